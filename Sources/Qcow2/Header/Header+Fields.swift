/// One header field as the header view and `info --json`'s `header` object show it.
public struct HeaderField: Sendable, Hashable {
    /// The spec's field name, e.g. `l1_table_offset`.
    public var name: String
    /// Byte offset of the field in the file.
    public var offset: Int
    /// Width in bytes.
    public var width: Int
    public var value: UInt64
    /// Whether the spec writes this value as an offset (shown in hex).
    public var isOffset: Bool
}

extension Header {
    /// Every field present in this header, in file order, with its byte offset (spec, "Header").
    public var fields: [HeaderField] {
        func f(_ name: String, _ offset: Int, _ width: Int, _ value: UInt64, offset isOffset: Bool = false) -> HeaderField {
            HeaderField(name: name, offset: offset, width: width, value: value, isOffset: isOffset)
        }
        var list = [
            f("magic", 0, 4, UInt64(magic), offset: true),
            f("version", 4, 4, UInt64(version)),
            f("backing_file_offset", 8, 8, backingFileOffset, offset: true),
            f("backing_file_size", 16, 4, UInt64(backingFileSize)),
            f("cluster_bits", 20, 4, UInt64(clusterBits)),
            f("size", 24, 8, size),
            f("crypt_method", 32, 4, UInt64(cryptMethod)),
            f("l1_size", 36, 4, UInt64(l1Size)),
            f("l1_table_offset", 40, 8, l1TableOffset, offset: true),
            f("refcount_table_offset", 48, 8, refcountTableOffset, offset: true),
            f("refcount_table_clusters", 56, 4, UInt64(refcountTableClusters)),
            f("nb_snapshots", 60, 4, UInt64(nbSnapshots)),
            f("snapshots_offset", 64, 8, snapshotsOffset, offset: true),
        ]
        guard version >= 3 else { return list }
        list += [
            f("incompatible_features", 72, 8, incompatibleFeatures, offset: true),
            f("compatible_features", 80, 8, compatibleFeatures, offset: true),
            f("autoclear_features", 88, 8, autoclearFeatures, offset: true),
            f("refcount_order", 96, 4, UInt64(refcountOrder)),
            f("header_length", 100, 4, UInt64(headerLength)),
        ]
        if headerLength > UInt32(Qcow2.compressionTypeOffset) {
            list.append(f("compression_type", 104, 1, UInt64(compressionType)))
        }
        return list
    }
}
