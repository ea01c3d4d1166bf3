import Analysis
import Qcow2

/// One image of a survey: a small, flat record (about twenty numbers) built from the reports the
/// single-image commands print, so a survey's figures are exactly theirs.
///
/// Keys reuse the names of `check --json` (`check-errors`, `corruptions`, `leaks`), `info --json`
/// (`virtual-size`, `actual-size`, `cluster-size`, `dirty-flag`, and `compat` from its
/// format-specific data), `frag --json` (`file-size`, `score`, `band`, `compact-size`) and
/// `snapshots --json` (`exclusive-bytes`, summed), with the same values; the rest are the
/// survey's own (``columns`` lists them all in order). Every record has every key, null when
/// unknown, so the CSV has the same columns as the JSON.
public struct SurveyRecord: Sendable {
    /// The path the image was found by, as bytes (not necessarily UTF-8).
    public let rawPath: [UInt8]
    /// The values, in ``columns`` order.
    public let values: [JSONValue]
    /// What keeps this image from being "complete and clean" (damage, leaks, a read that failed),
    /// the first reason in words; nil when it is clean.
    public let problem: String?

    /// The record's keys, in order: the JSON keys and the CSV header.
    public static let columns = [
        "path", "virtual-size", "file-size", "actual-size", "cluster-size", "compat",
        "backing-chain-depth", "backing-chain-complete", "snapshot-count", "snapshot-exclusive-bytes",
        "bitmap-count", "in-use-bitmaps", "check-errors", "corruptions", "leaks", "leaked-bytes",
        "score", "band", "compact-size", "compact-saving-bytes", "guest-reclaimable-bytes",
        "in-use", "dirty-flag", "error",
    ]

    /// The path as UTF-8 (invalid bytes as U+FFFD), as the JSON names it.
    public var path: String { String(decoding: rawPath, as: UTF8.self) }

    /// The value under `key` (one of ``columns``).
    public subscript(key: String) -> JSONValue {
        Self.columns.firstIndex(of: key).map { values[$0] } ?? .null
    }

    /// The record as one JSON object, keys in ``columns`` order.
    public var json: JSONValue { .object(Array(zip(Self.columns, values))) }

    /// A record for a file with the qcow2 magic that could not be read at all.
    public init(rawPath: [UInt8], error: String) {
        self.rawPath = rawPath
        values = Self.columns.map { key in
            key == "path" ? .string(String(decoding: rawPath, as: UTF8.self)) : key == "error" ? .string(error) : .null
        }
        problem = error
    }

    /// The record of an analysed image: `check`, `info`, `frag` and `snapshots` reports on it,
    /// the chain it was opened with, and the guest's reclaimable bytes when the guest was read.
    public init(rawPath: [UInt8], check: CheckReport, info: InfoReport, frag: FragReport, chain: BackingChain,
                guestReclaimable: UInt64?) {
        let analysis = check.analysis
        let header = analysis.header
        let counts = check.counts
        let fileSize = analysis.fileSize
        let compact = frag.compact?.required
        let exclusive = analysis.snapshots.reduce(UInt64?.some(0)) { sum, s in
            guard let sum, let bytes = s.exclusiveBytes else { return nil }
            return sum &+ bytes
        }
        let chainShape = Self.chainShape(chain, image: analysis.image)
        func value(_ v: UInt64?) -> JSONValue { v.map(JSONValue.uint) ?? .null }
        let fields: [String: JSONValue] = [
            "path": .string(String(decoding: rawPath, as: UTF8.self)),
            "virtual-size": .uint(header.size),
            "file-size": .uint(fileSize),
            "actual-size": value(info.actualSize),
            "cluster-size": .uint(header.clusterSize),
            "compat": .string(header.version >= 3 ? "1.1" : "0.10"),
            "backing-chain-depth": .uint(UInt64(chainShape.depth)),
            "backing-chain-complete": chainShape.complete.map(JSONValue.bool) ?? .null,
            "snapshot-count": .uint(UInt64(analysis.snapshots.count)),
            "snapshot-exclusive-bytes": value(exclusive),
            "bitmap-count": .uint(UInt64(info.bitmaps.count)),
            "in-use-bitmaps": .uint(UInt64(info.bitmaps.filter(\.isInUse).count)),
            "check-errors": .uint(counts.checkErrors),
            "corruptions": .uint(counts.corruptions),
            "leaks": .uint(counts.leaks),
            "leaked-bytes": .uint(counts.leaks &* header.clusterSize),
            "score": .int(Int64(frag.stats.score)),
            "band": .string(frag.band),
            "compact-size": value(compact),
            "compact-saving-bytes": value(compact.map { fileSize > $0 ? fileSize - $0 : 0 }),
            "guest-reclaimable-bytes": value(guestReclaimable),
            // The scan's answer first: its counts were read tolerantly exactly when it saw the
            // lock, so the row's state and its check counts agree; else the lock as it is now.
            "in-use": analysis.inUse ? .bool(true) : analysis.image.file.isLockedByAnotherProcess().map(JSONValue.bool) ?? .null,
            "dirty-flag": .bool(header.isDirty),
            "error": .null,
        ]
        self.rawPath = rawPath
        values = Self.columns.map { fields[$0] ?? .null }
        problem = Self.problem(check: check, info: info)
    }

    /// How deep the backing chain goes (backing files below the image, counting one that is named
    /// but missing) and whether every layer was opened; nil for "complete" when the chain was not
    /// followed (`--no-backing`) or stopped at a name qcowscope does not follow (a protocol, a file
    /// outside the reach rule's boundary).
    static func chainShape(_ chain: BackingChain, image: Qcow2Image) -> (depth: Int, complete: Bool?) {
        let opened = chain.layers.count - 1
        guard image.limits.followBacking else { return (image.backingFileName == nil ? 0 : 1, image.backingFileName == nil ? true : nil) }
        switch chain.stop {
        case nil, .emptyName?: return (opened, true)
        case .protocolName?, .unsupportedFormat?, .outsideReach?: return (opened + 1, nil)
        default: return (opened + 1, false)
        }
    }

    /// Why the image is not clean: the check's verdict when it is not clean, then the first error
    /// finding (the reason a check could not be done, e.g. a backing file outside the reach).
    static func problem(check: CheckReport, info: InfoReport) -> String? {
        let c = check.counts
        var parts: [String] = []
        if c.corruptions > 0 || c.leaks > 0 || c.checkErrors > 0 {
            parts.append("check found \(c.corruptions) corruptions, \(c.leaks) leaked clusters, \(c.checkErrors) check errors")
        }
        if let f = info.findings.first(where: { $0.severity == .error }) {
            parts.append("\(f.structure.rawValue) at 0x\(String(f.offset, radix: 16)): \(f.message)")
        } else if let f = check.analysis.findings.sortedSamples.first(where: { $0.severity == .error }) {
            parts.append("\(f.kind.rawValue) at 0x\(String(f.offset, radix: 16)): \(f.message)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
