extension Explorer {
    /// The screen type of each top-level view.
    static func viewType(_ id: ViewID) -> any ExplorerScreen.Type {
        switch id {
        case .header: HeaderView.self
        case .host: HostMapView.self
        case .refcounts: RefcountsView.self
        case .guest: GuestMapView.self
        case .snapshots: SnapshotsView.self
        case .bitmaps: BitmapsView.self
        case .check: CheckView.self
        default: HeaderView.self
        }
    }

    /// The screen type of each drill-down.
    static func drillType(_ drill: Drill) -> any ExplorerScreen.Type {
        switch drill {
        case .cluster: ClusterDetailView.self
        case .snapshotGuestMap: SnapshotGuestMapView.self
        case .bitmapExtents: BitmapExtentsView.self
        default: HeaderView.self
        }
    }
}
