/// What the `g` (go to) prompt accepts: an offset in the host file or the virtual disk, or a
/// cluster number.
///
/// `0x30000`, `196608`, `64K`, `1.5G`, `#12` (cluster 12), `host 0x10000`, `guest 2G`,
/// `host #3`. Suffixes K, M, G, T, P are binary (KiB, MiB, …) as qemu-img uses them; a fraction
/// is allowed with a suffix. `host` and `guest` switch to the view that has that position.
public struct OffsetExpression: Sendable, Hashable {
    public enum Space: Sendable, Hashable { case host, guest, current }

    public var space: Space
    /// A byte offset, or a cluster number when ``isCluster``.
    public var offset: UInt64
    /// `#N`: ``offset`` counts clusters, not bytes.
    public var isCluster: Bool

    public init(space: Space, offset: UInt64, isCluster: Bool = false) {
        self.space = space
        self.offset = offset
        self.isCluster = isCluster
    }

    /// The byte offset, with a cluster number turned into its first byte (nil on overflow).
    public func byteOffset(clusterSize: UInt64) -> UInt64? {
        guard isCluster else { return offset }
        let (v, overflow) = offset.multipliedReportingOverflow(by: max(clusterSize, 1))
        return overflow ? nil : v
    }

    /// Parses `text`, or returns nil when it is not an offset (out of range, empty, bad digits).
    public init?(parsing text: String) {
        var words = text.lowercased().split(separator: " ").map(String.init)
        var space = Space.current
        if let first = words.first, ["host", "h", "guest", "g"].contains(first) {
            space = first.hasPrefix("h") ? .host : .guest
            words.removeFirst()
        }
        guard words.count == 1 else { return nil }
        if words[0].hasPrefix("#") {
            guard let n = UInt64(words[0].dropFirst()) else { return nil }
            self.init(space: space, offset: n, isCluster: true)
            return
        }
        guard let value = Self.number(words[0]) else { return nil }
        self.init(space: space, offset: value)
    }

    private static func number(_ word: String) -> UInt64? {
        if word.hasPrefix("0x") { return UInt64(word.dropFirst(2), radix: 16) }
        let suffixes: [Character: UInt64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50]
        var digits = Substring(word)
        var scale: UInt64 = 1
        if let last = digits.last, let s = suffixes[last] {
            scale = s
            digits = digits.dropLast()
        }
        if let whole = UInt64(digits) {
            let (v, overflow) = whole.multipliedReportingOverflow(by: scale)
            return overflow ? nil : v
        }
        // A fraction only makes sense with a suffix ("1.5G").
        guard scale > 1, let d = Double(digits), d >= 0, d * Double(scale) < 1.8e19 else { return nil }
        return UInt64(d * Double(scale))
    }
}
