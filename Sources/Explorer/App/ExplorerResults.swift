import Analysis
import Qcow2
import Reports

/// What the background work produced: the analysis, the guest map and its summary. Each part is
/// optional because each can fail on its own on a damaged image; views say what is missing.
public struct ExplorerResults: Sendable {
    public var analysis: ImageAnalysis?
    public var guestMap: GuestMap?
    public var guestSummary: GuestMapSummary?
    public var scanError: String?
    public var guestMapError: String?
    /// Role counts of the host clusters in chunks, for the host map (built right after the scan).
    public var hostMap: HostMapSummary?
    /// The check view's rows and summary (built right after the scan, kept with these results).
    public var check: CheckViewModel?
    /// Cluster drill-downs already built (they read and walk tables), for these results.
    public internal(set) var clusterDetails = ClusterDetailCache()
    /// The guest map's jumps in the host file and totals per kind, from the same walk as the
    /// summary (guest map view, fragmentation overlay).
    public var guestOverview: GuestMapOverview?
    /// What compacting would give, at the default and the image's cluster size (frag advice).
    public var compact: CompactAdvice?
    /// The guest map's cells and cursor details between frames.
    public let guestFrames = GuestMapFrameCache()

    public init() {}

    /// Builds the guest map of the whole chain and its summary.
    mutating func loadGuestMap(chain: BackingChain) {
        do {
            let map = try GuestMap(chain: chain)
            guestMap = map
            let overview = try map.overview()
            guestSummary = overview.summary
            guestOverview = overview
            if let image = chain.top?.image {
                compact = try? CompactAdvice(map: map, clusterSize: image.header.clusterSize, fileSize: image.file.size)
            }
        } catch {
            guestMapError = error.description
        }
    }
}
