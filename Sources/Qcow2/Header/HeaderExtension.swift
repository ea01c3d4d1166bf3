/// One header extension as stored (spec, "Header extensions"): where it is, its type and its bytes.
public struct HeaderExtension: Sendable, Hashable {
    /// Absolute offset of the extension's type field.
    public var offset: UInt64
    public var type: UInt32
    public var data: [UInt8]

    public var knownType: HeaderExtensionType? { HeaderExtensionType(rawValue: type) }

    /// A name for people: the spec's name for known types, "unknown" otherwise.
    public var typeName: String {
        switch knownType {
        case .backingFileFormat: "backing file format"
        case .featureNameTable: "feature name table"
        case .bitmaps: "bitmaps"
        case .fullDiskEncryption: "full disk encryption header pointer"
        case .externalDataFile: "external data file name"
        case .end: "end"
        case nil: "unknown"
        }
    }
}

/// One entry of the feature name table extension (spec, "Feature name table").
public struct FeatureNameEntry: Sendable, Hashable {
    /// 0 incompatible, 1 compatible, 2 autoclear (other values are kept and reported).
    public var kind: UInt8
    public var bit: UInt8
    /// The name, decoded leniently (the bytes up to the first NUL, at most 46).
    public var name: String
}

/// The bitmaps extension fields (spec, "Bitmaps extension").
public struct BitmapsExtension: Sendable, Hashable {
    public var nbBitmaps: UInt32
    public var reserved: UInt32
    public var directorySize: UInt64
    public var directoryOffset: UInt64
}

/// The full disk encryption header pointer (spec, "Full disk encryption header pointer").
public struct EncryptionHeaderPointer: Sendable, Hashable {
    public var offset: UInt64
    public var length: UInt64
}
