import Qcow2

/// A client that reads byte ranges of one remote file: libcurl's ranged GETs or libnbd's reads.
/// ``RemoteByteSource`` puts the cache, the merging and the statistics in front of it.
protocol RangeFetcher: AnyObject {
    /// The file's size, learnt when it was opened.
    var size: UInt64 { get }
    /// Longest range one request may ask for.
    var requestLimit: UInt64 { get }
    /// Fetches every range (in parallel where the client can), returning their bytes in order,
    /// each exactly its range's length; throws a ``FormatError`` of structure `.file` at the
    /// failing range's offset. Each request made is counted in `stats`.
    func fetch(_ ranges: [Range<UInt64>], stats: RemoteStats) throws(FormatError) -> [[UInt8]]
}
