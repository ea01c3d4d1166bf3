import Guest
import Qcow2

extension GuestMap {
    /// The guest ranges the top layer itself holds data for — normal and compressed (sub)clusters
    /// of this file's active L1 (or the snapshot's, for a snapshot map), never the backing chain —
    /// as sorted, merged extents. This is "allocated in this file" for `space`: zero clusters
    /// (even preallocated ones) and unallocated subclusters are not data, and a range is counted
    /// whatever host cluster it lives in, so a freshly converted disk is a handful of extents.
    ///
    /// Granularity is the allocation unit: a cluster, or a subcluster with extended L2 entries.
    /// Entries QEMU refuses (``GuestState/invalid``) are not data; they come back as findings.
    public func allocatedExtents() throws(FormatError) -> (extents: [GuestExtent], findings: [Finding]) {
        guard let top = layers.first else { return ([], []) }
        var extents: [GuestExtent] = []
        let findings = try GuestMap(layers: [top]).forEachPiece(strict: false) { entry, state in
            guard state == .data || state == .compressed, entry.length > 0 else { return }
            if let last = extents.last, last.end == entry.start {
                extents[extents.count - 1].length += entry.length
            } else {
                extents.append(GuestExtent(start: entry.start, length: entry.length))
            }
        }
        return (extents, findings)
    }
}
