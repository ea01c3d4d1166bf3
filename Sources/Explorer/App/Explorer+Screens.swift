extension Explorer {
    /// The screen type of each top-level view.
    static func viewType(_ id: ViewID) -> any ExplorerScreen.Type {
        switch id {
        case .header: HeaderView.self
        case .host: HostMapView.self
        case .refcounts: RefcountsView.self
        default: HeaderView.self
        }
    }

    /// The screen type of each drill-down.
    static func drillType(_ drill: Drill) -> any ExplorerScreen.Type {
        switch drill {
        case .cluster: ClusterDetailView.self
        default: HeaderView.self
        }
    }
}
