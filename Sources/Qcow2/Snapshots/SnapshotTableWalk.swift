/// The snapshot table walked entry by entry the way QEMU's `qcow2_do_read_snapshots`
/// (block/qcow2-snapshot.c) does: entries 8-aligned, at most 1024 bytes of extra data per entry,
/// the whole table at most 64 MiB. The two readers of the table share it: opening an image (bytes
/// past the end of the file are an error) and the consistency check (QEMU's block layer reads
/// them as zeros there, so `qemu-img check` goes on).
public struct SnapshotTableWalk: Sendable {
    /// What a read of bytes past the end of the file gives.
    public enum PastEndOfFile: Sendable {
        /// An error: the walk stops before that entry.
        case error
        /// Zeros, as QEMU's block layer reads them.
        case zeros
    }

    /// The entries read, in table order, up to the first that could not be.
    public var snapshots: [Snapshot] = []
    /// QEMU's `snapshots_size`: from the table's start to the end of the last entry read.
    public var bytes: UInt64 = 0
    /// Why the walk stopped before `count` entries; nil when every entry was read.
    public var failure: FormatError?

    /// Walks `count` entries from `start`. Never reads more than 64 MiB plus one entry.
    public init(_ file: any ByteSource, at start: UInt64, count: UInt32, pastEnd: PastEndOfFile) {
        var offset = start
        for index in 0..<Int(count) {
            let (aligned, overflow) = offset.addingReportingOverflow(7)
            offset = aligned & ~7
            guard !overflow else {
                failure = FormatError(.snapshotTable, at: start, "snapshot table offset overflows")
                return
            }
            do {
                let snapshot = try Self.entry(file, index: index, at: offset, pastEnd: pastEnd)
                // Unpadded, as QEMU measures: the next entry's padding is not the table's. One
                // entry is under 2^18 bytes (a 40-byte header, ≤ 1024 extra, two 16-bit lengths).
                let length = UInt64(Qcow2.snapshotEntryHeaderSize) &+ UInt64(snapshot.extraDataSize)
                    &+ UInt64(snapshot.id.bytes.count) &+ UInt64(snapshot.name.bytes.count)
                let (next, overflow) = offset.addingReportingOverflow(length)
                guard !overflow else {
                    failure = FormatError(.snapshotTable, at: start, "snapshot table offset overflows")
                    return
                }
                offset = next
                guard offset - start <= Qcow2.maxSnapshotTableBytes else {
                    failure = FormatError(.snapshotTable, at: start, "snapshot table exceeds 64 MiB")
                    return
                }
                snapshots.append(snapshot)
                bytes = offset - start
            } catch {
                failure = error
                return
            }
        }
    }

    private static func entry(_ file: any ByteSource, index: Int, at offset: UInt64, pastEnd: PastEndOfFile)
        throws(FormatError) -> Snapshot {
        let fixed = try read(file, Qcow2.snapshotEntryHeaderSize, at: offset, pastEnd: pastEnd)
        let r = ByteReader(fixed, baseOffset: offset, structure: .snapshotTable)
        let idSize = Int(try r.getU16(at: 12))
        let nameSize = Int(try r.getU16(at: 14))
        let extraSize = try r.getU32(at: 36)
        guard extraSize <= Qcow2.maxSnapshotExtraData else {
            throw FormatError(.snapshotTable, at: offset + 36, "snapshot \(index): \(extraSize) bytes of extra data exceed 1024")
        }
        let e = Int(extraSize)
        let rest = try read(file, e + idSize + nameSize, at: offset + 40, pastEnd: pastEnd)
        let extra = ByteReader(Array(rest[0..<e]), baseOffset: offset + 40, structure: .snapshotTable)
        var snapshot = Snapshot(
            index: index, entryOffset: offset,
            l1TableOffset: try r.getU64(at: 0), l1Size: try r.getU32(at: 8),
            id: RawString(Array(rest[e..<(e + idSize)])),
            name: RawString(Array(rest[(e + idSize)..<(e + idSize + nameSize)])),
            dateSeconds: try r.getU32(at: 16), dateNanoseconds: try r.getU32(at: 20),
            vmClockNanoseconds: try r.getU64(at: 24), vmStateSize32: try r.getU32(at: 32),
            extraDataSize: extraSize, vmStateSizeLarge: nil, diskSize: nil, icountRaw: nil,
            unknownExtraData: e > 24 ? Array(rest[24..<e]) : [])
        if e >= 8 { snapshot.vmStateSizeLarge = try extra.getU64(at: 0) }
        if e >= 16 { snapshot.diskSize = try extra.getU64(at: 8) }
        if e >= 24 { snapshot.icountRaw = try extra.getU64(at: 16) }
        return snapshot
    }

    /// `count` bytes at `offset`; past the end of the file an error or zeros. Beyond 2^63 QEMU's
    /// block layer refuses the request either way.
    private static func read(_ file: any ByteSource, _ count: Int, at offset: UInt64, pastEnd: PastEndOfFile)
        throws(FormatError) -> [UInt8] {
        switch pastEnd {
        case .error:
            return try file.readBytes(count, at: offset, for: .snapshotTable)
        case .zeros:
            guard count > 0 else { return [] }
            guard offset <= UInt64(Int64.max) - UInt64(count) else {
                throw FormatError(.snapshotTable, at: offset, "failed to read the snapshot table")
            }
            var bytes = [UInt8](repeating: 0, count: count)
            let read: Int? = bytes.withUnsafeMutableBytes { try? file.readZeroFilled(into: $0, at: offset) }
            guard read != nil else { throw FormatError(.snapshotTable, at: offset, "failed to read the snapshot table") }
            return bytes
        }
    }
}
