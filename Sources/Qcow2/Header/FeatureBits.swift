/// The three feature bitmaps of a v3 header (Header, bytes 72-95). The raw value is the type byte
/// of a feature name table entry.
public enum FeatureKind: UInt8, Sendable, Hashable, Codable, CaseIterable {
    case incompatible = 0
    case compatible = 1
    case autoclear = 2

    public var name: String {
        switch self {
        case .incompatible: "incompatible"
        case .compatible: "compatible"
        case .autoclear: "autoclear"
        }
    }
}

public enum IncompatibleFeature: Int, CaseIterable, Sendable {
    case dirty = 0, corrupt = 1, externalDataFile = 2, compressionType = 3, extendedL2 = 4
    public var mask: UInt64 { 1 << UInt64(rawValue) }
    /// QEMU's names, as its feature name table writes them.
    public var name: String {
        switch self {
        case .dirty: "dirty bit"
        case .corrupt: "corrupt bit"
        case .externalDataFile: "external data file"
        case .compressionType: "compression type"
        case .extendedL2: "extended L2 entries"
        }
    }
}

public enum CompatibleFeature: Int, CaseIterable, Sendable {
    case lazyRefcounts = 0
    public var mask: UInt64 { 1 << UInt64(rawValue) }
    public var name: String { "lazy refcounts" }
}

public enum AutoclearFeature: Int, CaseIterable, Sendable {
    case bitmaps = 0, rawExternalData = 1
    public var mask: UInt64 { 1 << UInt64(rawValue) }
    public var name: String { self == .bitmaps ? "bitmaps" : "raw external data" }
}

/// One feature bit that is set in the header, with the best name known for it.
public struct FeatureBit: Sendable, Hashable {
    public var kind: FeatureKind
    public var bit: Int
    /// The name from the image's feature name table, else the spec's, else nil.
    public var name: String?
    /// True when the spec defines this bit; unknown set bits are flagged (an unknown incompatible bit
    /// means QEMU would refuse the image).
    public var isKnown: Bool

    /// The spec's name for a bit, or nil for a reserved bit.
    public static func specName(_ kind: FeatureKind, bit: Int) -> String? {
        switch kind {
        case .incompatible: IncompatibleFeature(rawValue: bit)?.name
        case .compatible: CompatibleFeature(rawValue: bit)?.name
        case .autoclear: AutoclearFeature(rawValue: bit)?.name
        }
    }
}

extension Header {
    /// The bitmap of one feature kind.
    public func featureBitmap(_ kind: FeatureKind) -> UInt64 {
        switch kind {
        case .incompatible: incompatibleFeatures
        case .compatible: compatibleFeatures
        case .autoclear: autoclearFeatures
        }
    }

    /// Every set feature bit, named from `table` (the image's feature name table) first, then from
    /// the spec. Unknown bits are kept and marked, never dropped.
    public func setFeatures(names table: [FeatureNameEntry] = []) -> [FeatureBit] {
        var result: [FeatureBit] = []
        for kind in FeatureKind.allCases {
            let bits = featureBitmap(kind)
            for bit in 0..<64 where bits & (1 << UInt64(bit)) != 0 {
                let spec = FeatureBit.specName(kind, bit: bit)
                let fromTable = table.first { $0.kind == kind.rawValue && Int($0.bit) == bit }?.name
                result.append(FeatureBit(kind: kind, bit: bit, name: fromTable ?? spec, isKnown: spec != nil))
            }
        }
        return result
    }
}
