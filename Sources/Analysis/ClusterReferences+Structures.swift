import Qcow2

/// The image's tables as the reference search needs them: read once, bounded by the image's
/// ``DecodingLimits``, with the arithmetic that says whether a structure covers the target.
///
/// The wrapping arithmetic of the reference search (here and in ClusterReferences+Mappings) is
/// on bounded values: 32-bit header counts (l1_size, refcount_table_clusters, a bitmap's table
/// size) times 8 or a validated cluster size (≤ 2^21) stay below 2^53, and `table offset &+ i × 8`
/// only happens for an entry `i` of a table that was read whole from the file, so the sum is
/// inside the file (below 2^63); a snapshot entry's end is likewise inside the file it was read
/// from. ``covers(_:length:)`` checks the one sum of two untrusted values.
struct ReferenceWalker {
    let image: Qcow2Image
    let target: UInt64
    let clusterBits: UInt32
    let clusterSize: UInt64
    let snapshots: [Snapshot]
    let bitmaps: [BitmapDirectoryEntry]

    init(image: Qcow2Image, target: UInt64) {
        self.image = image
        self.target = target
        clusterBits = image.header.clusterBits
        clusterSize = image.header.clusterSize
        snapshots = image.readSnapshots().snapshots
        bitmaps = image.readBitmapDirectory().bitmaps
    }

    /// Whether `length` bytes at `offset` touch the target cluster (overflow-checked: a range
    /// that wraps past 2^64 is cut at the end of the address space).
    func covers(_ offset: UInt64, length: UInt64) -> Bool {
        guard length > 0 else { return false }
        let (end, overflow) = offset.addingReportingOverflow(length - 1)
        let first = offset >> UInt64(clusterBits)
        let last = (overflow ? UInt64.max : end) >> UInt64(clusterBits)
        return first <= target && target <= last
    }

    /// Bytes of the snapshot table up to the end of its last readable entry.
    var snapshotTableBytes: UInt64 {
        guard let last = snapshots.last else { return 0 }
        let end = last.entryOffset &+ UInt64(last.entryLength)
        return end >= image.header.snapshotsOffset ? end - image.header.snapshotsOffset : 0
    }
}

extension ClusterReferences {
    /// The header fields, snapshot entries and bitmap entries that locate a whole structure in
    /// the target cluster (QEMU's check counts each of these as one reference per cluster).
    mutating func findStructures(walker w: inout ReferenceWalker, scope: Scope) {
        let h = w.image.header
        if w.target == 0 { add(.header, at: 0) }
        if let crypt = w.image.encryptionPointer, w.covers(crypt.offset, length: crypt.length) {
            add(.cryptoHeader, at: crypt.offset)
        }
        if w.covers(h.l1TableOffset, length: UInt64(h.l1Size) &* 8) { add(.l1Table(snapshot: nil), at: h.l1TableOffset) }
        let refcountTableBytes = min(UInt64(h.refcountTableClusters) &* h.clusterSize, Qcow2.maxRefcountTableBytes)
        if w.covers(h.refcountTableOffset, length: refcountTableBytes) { add(.refcountTable, at: h.refcountTableOffset) }
        if h.nbSnapshots > 0, w.covers(h.snapshotsOffset, length: w.snapshotTableBytes) {
            add(.snapshotTable, at: h.snapshotsOffset)
        }
        for s in w.snapshots where w.covers(s.l1TableOffset, length: UInt64(s.l1Size) &* 8) {
            add(.l1Table(snapshot: s.index), at: s.l1TableOffset)
        }
        if let ext = w.image.bitmapsExtension, w.covers(ext.directoryOffset, length: ext.directorySize) {
            add(.bitmapDirectory, at: ext.directoryOffset)
        }
        for b in w.bitmaps where w.covers(b.tableOffset, length: UInt64(b.tableSize) &* 8) {
            add(.bitmapTable(bitmap: b.index), at: b.tableOffset)
        }
    }

    /// Refcount table entries naming the target as a refcount block (spec, "Refcount table").
    mutating func findRefcountBlockEntries(image: Qcow2Image) {
        guard !isSatisfied else { return }
        let table: [UInt64]
        do { table = try image.readRefcountTable() } catch {
            problems.append(error.description)
            return
        }
        let bits = UInt64(image.header.clusterBits)
        for (i, raw) in table.enumerated() {
            let offset = RefcountTableEntry(raw: raw).blockOffset
            guard offset != 0, offset >> bits == cluster else { continue }
            guard add(.refcountTableEntry(index: i), at: image.header.refcountTableOffset &+ UInt64(i) &* 8) else { return }
        }
    }

    /// Bitmap table entries naming the target as bitmap data (spec, "Bitmap table").
    mutating func findBitmapEntries(image: Qcow2Image, walker w: ReferenceWalker) {
        for b in w.bitmaps {
            guard !isSatisfied else { return }
            let table: [BitmapTableEntry]
            do { table = try image.readBitmapTable(of: b) } catch {
                problems.append(error.description)
                continue
            }
            for (i, entry) in table.enumerated() where entry.dataOffset != 0 && entry.dataOffset >> UInt64(w.clusterBits) == cluster {
                guard add(.bitmapTableEntry(bitmap: b.index, index: i), at: b.tableOffset &+ UInt64(i) &* 8) else { return }
            }
        }
    }
}
