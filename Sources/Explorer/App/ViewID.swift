/// The explorer's top-level views, in the order of their number keys and of Tab cycling. Each
/// is declared once, in ``registration``; everything else (tab bar, keys, help, `render --view`,
/// the README's table, the end-to-end walk) is derived from that.
public enum ViewID: CaseIterable, Sendable, Hashable {
    case header, host, guest, refcounts, snapshots, bitmaps, check, volumes

    /// This view's declaration: its names, what it shows, and the screen that draws it (whose
    /// ``ExplorerScreen/work(_:_:)`` names the background work it needs).
    public var registration: ViewRegistration {
        switch self {
        case .header:
            ViewRegistration(name: "header", title: "Header", screen: HeaderView.self,
                             summary: "header fields, feature bits, extensions, encryption, backing chain, health")
        case .host:
            ViewRegistration(name: "layout", title: "Layout", screen: HostMapView.self,
                             summary: "the host file cluster by cluster (as `layout`), marked by role; Enter opens a cluster",
                             aliases: ["host"])
        case .guest:
            ViewRegistration(name: "map", title: "Map", screen: GuestMapView.self,
                             summary: "the virtual disk (as `map`): data, zero, unallocated, compressed, backing layers; `f` host jumps",
                             aliases: ["guest"])
        case .refcounts:
            ViewRegistration(name: "refcounts", title: "Refcounts & frag", screen: RefcountsView.self,
                             summary: "refcount histogram, clusters per role, and fragmentation (as `frag`)",
                             aliases: ["frag"])
        case .snapshots:
            ViewRegistration(name: "snapshots", title: "Snapshots", screen: SnapshotsView.self,
                             summary: "snapshot tree with shared and exclusive bytes, the chain's own and shadowed bytes; Enter opens a snapshot's guest map, space / `d` / `D` a diff")
        case .bitmaps:
            ViewRegistration(name: "bitmaps", title: "Bitmaps", screen: BitmapsView.self,
                             summary: "persistent dirty bitmaps and their flags; Enter lists a bitmap's dirty extents")
        case .check:
            ViewRegistration(name: "check", title: "Check", screen: CheckView.self,
                             summary: "`qemu-img check`'s verdict and every finding; Enter opens its cluster, `m` shows it in the layout")
        case .volumes:
            ViewRegistration(name: "volumes", title: "Volumes", screen: VolumesView.self,
                             summary: "the guest's partitions and filesystems: used, free, allocated in the file, reclaimable; Enter shows a volume in the map, `v` its layer")
        }
    }

    /// The name `qcowscope render --view` and `--view` take.
    public var name: String { registration.name }
    /// The title shown in the tab bar and the status bar.
    public var title: String { registration.title }

    /// 1-based position: the number key that opens the view.
    public var number: Int { (Self.allCases.firstIndex(of: self) ?? 0) + 1 }
    /// The key that opens the view (`1`…`9`).
    public var key: Character { Character(String(number)) }

    /// The view named `name`: its name, an older name (`host`, `guest`), or its number (`1`–`7`).
    public init?(name: String) {
        let name = name.lowercased()
        if let n = Int(name), let v = ViewID(number: n) { self = v; return }
        guard let v = Self.allCases.first(where: { $0.name == name || $0.registration.aliases.contains(name) }) else { return nil }
        self = v
    }

    /// The names `--view` takes, for help and errors: `header, layout, map, …`.
    public static var names: String { allCases.map(\.name).joined(separator: ", ") }

    /// The view whose number key is `number` (1-based).
    public init?(number: Int) {
        guard number >= 1, number <= Self.allCases.count else { return nil }
        self = Self.allCases[number - 1]
    }

    /// The next view for Tab, wrapping around.
    public var next: ViewID { ViewID(number: number % Self.allCases.count + 1) ?? self }
    /// The previous view for Shift-Tab, wrapping around.
    public var previous: ViewID { ViewID(number: (number + Self.allCases.count - 2) % Self.allCases.count + 1) ?? self }

    /// The number keys' range for the help and the README: `1-8`.
    public static var keyRange: String { "1-\(allCases.count)" }
}

/// What declares a top-level view: the names it goes by, one line on what it shows (help,
/// README), and its screen type.
public struct ViewRegistration {
    /// For `--view` and `render --view`.
    public let name: String
    /// For the tab bar and the status bar.
    public let title: String
    /// Draws the view, takes its keys, says what background work it needs.
    public let screen: any ExplorerScreen.Type
    /// What the view shows, in a line (README table, help).
    public let summary: String
    /// Other names `--view` accepts (the names of earlier versions).
    public var aliases: [String] = []
}

extension Drill {
    /// The screen type of each drill-down.
    var screen: any ExplorerScreen.Type {
        switch self {
        case .cluster: ClusterDetailView.self
        case .snapshotGuestMap: SnapshotGuestMapView.self
        case .bitmapExtents: BitmapExtentsView.self
        case .chainLayer: ChainLayerView.self
        case .diff: DiffMapView.self
        }
    }
}

extension ViewID {
    /// The README's table of views (Markdown), derived from the registrations; a test keeps the
    /// README's copy equal to it.
    public static var markdownTable: String {
        var lines = ["| key | view | `--view` | what it shows |", "|---|---|---|---|"]
        for id in allCases {
            lines.append("| `\(id.key)` | \(id.title) | `\(id.name)` | \(id.registration.summary) |")
        }
        return lines.joined(separator: "\n")
    }
}
