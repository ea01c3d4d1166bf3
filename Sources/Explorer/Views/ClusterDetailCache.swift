import Synchronization

/// The last few cluster drill-downs built, so redrawing or scrolling one never walks the tables
/// again. It belongs to one ``ExplorerResults``: when the scan finishes, new results bring an
/// empty cache, and drill-downs are rebuilt with the scan's roles and refcounts.
public final class ClusterDetailCache: Sendable {
    /// Models kept (each holds a cluster of bytes, at most 2 MiB, and its decoded lines).
    public static let capacity = 8
    private let models = Mutex<[ClusterDetailModel]>([])

    public init() {}

    /// The drill-down of `cluster`, built on first use.
    public func model(for cluster: UInt64, data: ExplorerData) -> ClusterDetailModel {
        if let known = models.withLock({ list in list.first { $0.cluster == cluster } }) { return known }
        // Built outside the lock: it reads the file.
        let model = ClusterDetailModel(cluster: cluster, data: data)
        models.withLock { list in
            list.removeAll { $0.cluster == cluster }
            list.append(model)
            if list.count > Self.capacity { list.removeFirst(list.count - Self.capacity) }
        }
        return model
    }
}
