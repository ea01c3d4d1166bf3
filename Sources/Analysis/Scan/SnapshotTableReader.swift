/// One snapshot table entry as `qemu-img check` reads it: only what the check uses.
struct TableSnapshot {
    var entryOffset: UInt64
    var l1TableOffset: UInt64
    var l1Size: UInt32
    var extraDataSize: UInt32
    var id: RawString
    var name: RawString
}

/// Reads the snapshot table the way `qcow2_check_read_snapshot_table` and
/// `qcow2_do_read_snapshots` (block/qcow2-snapshot.c) do without repairing: entries 8-aligned,
/// bytes past the end of the file read as zeros, at most 1024 bytes of extra data per entry and
/// 64 MiB for the whole table. Returns the entries and QEMU's snapshots_size, or why the check
/// cannot go on.
enum SnapshotTableReader {
    static func read(_ file: ReadOnlyFile, offset start: UInt64, count: UInt32, clusterSize: UInt64)
        -> Result<(entries: [TableSnapshot], bytes: UInt64), FormatError> {
        guard count > 0 else { return .success(([], 0)) }
        guard count <= Qcow2.maxSnapshots else {
            return .failure(FormatError(.snapshotTable, at: start, "\(count) snapshots exceed QEMU's limit of \(Qcow2.maxSnapshots)"))
        }
        guard start & (clusterSize - 1) == 0, start <= UInt64(Int64.max) - UInt64(count) * 40 else {
            return .failure(FormatError(.snapshotTable, at: start, "snapshot table offset \(hex(start)) is invalid"))
        }
        var entries: [TableSnapshot] = []
        var offset = start
        for i in 0..<Int(count) {
            offset = (offset + 7) & ~7
            guard let fixed = zeroFilled(file, at: offset, count: 40) else { return .failure(ioError(offset)) }
            let r = ByteReader(fixed, baseOffset: offset, structure: .snapshotTable)
            let extra = (try? r.getU32(at: 36)) ?? 0
            guard extra <= Qcow2.maxSnapshotExtraData else {
                return .failure(FormatError(.snapshotTable, at: offset, "too much extra metadata in snapshot table entry \(i) (\(extra) bytes)"))
            }
            let idSize = Int((try? r.getU16(at: 12)) ?? 0)
            let nameSize = Int((try? r.getU16(at: 14)) ?? 0)
            let namesAt = offset + 40 + UInt64(extra)
            guard let id = zeroFilled(file, at: namesAt, count: idSize),
                  let name = zeroFilled(file, at: namesAt + UInt64(idSize), count: nameSize) else {
                return .failure(ioError(namesAt))
            }
            entries.append(TableSnapshot(entryOffset: offset, l1TableOffset: (try? r.getU64(at: 0)) ?? 0,
                                         l1Size: (try? r.getU32(at: 8)) ?? 0, extraDataSize: extra,
                                         id: RawString(id), name: RawString(name)))
            offset = namesAt + UInt64(idSize) + UInt64(nameSize)
            guard offset - start <= Qcow2.maxSnapshotTableBytes else {
                return .failure(FormatError(.snapshotTable, at: start, "snapshot table is too big"))
            }
        }
        return .success((entries, offset - start))
    }

    /// `count` bytes at `offset`, zeros past the end of the file; nil where QEMU's block layer
    /// refuses the request (beyond 2^63).
    private static func zeroFilled(_ file: ReadOnlyFile, at offset: UInt64, count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        guard offset <= UInt64(Int64.max) - UInt64(count) else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let read: Int? = bytes.withUnsafeMutableBytes { try? file.readZeroFilled(into: $0, at: offset) }
        return read == nil ? nil : bytes
    }

    private static func ioError(_ offset: UInt64) -> FormatError {
        FormatError(.snapshotTable, at: offset, "failed to read the snapshot table")
    }
}
