/// The numbers `qemu-img check --output=json` prints (qemu 7.2 `ImageCheck`), computed the way
/// `qcow2_check_refcounts` and `qcow2_check_read_snapshot_table` compute them.
public struct CheckCounts: Sendable, Hashable {
    /// Things that could not be read or checked at all (QEMU: check-errors; exit status 1).
    public var checkErrors: UInt64 = 0
    /// Refcounts too low, misplaced structures, bad flags... (exit status 2).
    public var corruptions: UInt64 = 0
    /// Refcounts too high: space wasted, no harm to data (exit status 3 when nothing worse).
    public var leaks: UInt64 = 0
    /// One past the last cluster with a stored or computed refcount, in bytes.
    public var imageEndOffset: UInt64 = 0
    /// Guest clusters of the virtual disk (virtual size in sectors, rounded up to clusters).
    public var totalClusters: UInt64 = 0
    /// Allocated guest clusters of the active L1 (normal, preallocated zero and compressed).
    public var allocatedClusters: UInt64 = 0
    /// Active guest clusters whose host cluster does not follow the previous one of the same L2
    /// table, plus every compressed cluster (QEMU's CHECK_FRAG_INFO counters).
    public var fragmentedClusters: UInt64 = 0
    public var compressedClusters: UInt64 = 0

    public init() {}

    /// The exit status `qemu-img check` uses: 0 clean, 1 check failed, 2 corrupt, 3 leaks only.
    public var exitStatus: Int32 {
        if checkErrors > 0 { return 1 }
        if corruptions > 0 { return 2 }
        if leaks > 0 { return 3 }
        return 0
    }
}
