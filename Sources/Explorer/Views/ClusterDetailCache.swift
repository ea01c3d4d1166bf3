/// The last few cluster drill-downs built, so redrawing, scrolling or going back to one never
/// walks the tables again. It belongs to one ``ExplorerResults``: when the scan finishes, new
/// results bring an empty cache, and drill-downs are rebuilt with the scan's roles and refcounts.
///
/// A value in the session's data: models are built off the UI thread (``ExplorerWork/cluster(_:)``)
/// and inserted under the session's lock.
public struct ClusterDetailCache: Sendable {
    /// Models kept (each holds a cluster of bytes, at most 2 MiB, and its decoded lines).
    public static let capacity = 8
    /// Most recently built last.
    private var models: [ClusterDetailModel] = []

    public init() {}

    /// The drill-down of `cluster`, if it has been built.
    public subscript(cluster: UInt64) -> ClusterDetailModel? {
        models.last { $0.cluster == cluster }
    }

    /// Keeps `model`, forgetting the oldest beyond ``capacity``.
    public mutating func insert(_ model: ClusterDetailModel) {
        models.removeAll { $0.cluster == model.cluster }
        models.append(model)
        if models.count > Self.capacity { models.removeFirst(models.count - Self.capacity) }
    }
}
