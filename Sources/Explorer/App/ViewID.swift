/// The explorer's top-level views, in the order of their number keys (1-7) and of Tab cycling.
public enum ViewID: Int, CaseIterable, Sendable, Hashable {
    case header = 1, host, guest, refcounts, snapshots, bitmaps, check

    /// The name `qcowscope render --view` takes and the tab bar shows.
    public var name: String {
        switch self {
        case .header: "header"
        case .host: "host"
        case .guest: "guest"
        case .refcounts: "refcounts"
        case .snapshots: "snapshots"
        case .bitmaps: "bitmaps"
        case .check: "check"
        }
    }

    /// The title shown in the tab bar.
    public var title: String {
        switch self {
        case .header: "Header"
        case .host: "Host map"
        case .guest: "Guest map"
        case .refcounts: "Refcounts"
        case .snapshots: "Snapshots"
        case .bitmaps: "Bitmaps"
        case .check: "Check"
        }
    }

    public init?(name: String) {
        guard let v = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = v
    }

    /// The next view for Tab, wrapping around.
    public var next: ViewID { ViewID(rawValue: rawValue % Self.allCases.count + 1) ?? .header }
    /// The previous view for Shift-Tab, wrapping around.
    public var previous: ViewID { ViewID(rawValue: (rawValue + Self.allCases.count - 2) % Self.allCases.count + 1) ?? .header }
}
