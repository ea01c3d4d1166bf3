extension Header {
    /// Whether the table geometry can be trusted enough to walk tables: cluster_bits and
    /// refcount_order in the spec's range. When false, only the header itself is shown.
    public var hasUsableGeometry: Bool {
        (Qcow2.minClusterBits...Qcow2.maxClusterBits).contains(clusterBits)
            && refcountOrder <= Qcow2.maxRefcountOrder
    }

    /// Checks a contiguous table (QEMU's `qcow2_validate_table`): aligned to a cluster, inside
    /// the limit, with no overflow. Returns the byte length, or a ``FormatError`` at `offsetField`.
    public func validateTable(_ structure: Structure, offset: UInt64, entries: UInt64, entrySize: UInt64,
                              maxBytes: UInt64, fileSize: UInt64) -> Result<UInt64, FormatError> {
        let (bytes, o1) = entries.multipliedReportingOverflow(by: entrySize)
        if o1 || bytes > maxBytes {
            return .failure(FormatError(structure, at: offset, .tooLarge(count: entries, limit: maxBytes)))
        }
        if offset & (clusterSize - 1) != 0 {
            return .failure(FormatError(structure, at: offset, .misaligned(alignment: clusterSize)))
        }
        let (end, o2) = offset.addingReportingOverflow(bytes)
        if o2 || end > UInt64(Int64.max) {
            return .failure(FormatError(structure, at: offset, .overflow))
        }
        if end > fileSize {
            return .failure(FormatError(structure, at: offset, .pastEndOfFile(length: bytes, end: end, fileSize: fileSize)))
        }
        return .success(bytes)
    }

    /// Everything wrong with the header itself, as findings (QEMU's open-time checks in
    /// `qcow2_do_open`, plus the spec's "must" rules). An error-severity finding about geometry
    /// means tables cannot be walked; the rest of the image is still shown where it can be.
    public func validate(fileSize: UInt64) -> [Finding] {
        var out: [Finding] = []
        func add(_ s: Finding.Severity, _ at: UInt64, _ m: String) { out.append(Finding(s, .header, at: at, m)) }

        if !(Qcow2.minClusterBits...Qcow2.maxClusterBits).contains(clusterBits) {
            add(.error, 20, "cluster_bits \(clusterBits) is outside 9...21 (512 B to 2 MiB)")
        }
        if refcountOrder > Qcow2.maxRefcountOrder {
            add(.error, 96, "refcount_order \(refcountOrder) exceeds 6 (64-bit refcounts)")
        }
        if version >= 3 {
            if headerLength % 8 != 0 { add(.warning, 100, "header_length \(headerLength) is not a multiple of 8") }
            if hasUsableGeometry, UInt64(headerLength) > clusterSize {
                add(.error, 100, "header_length \(headerLength) exceeds the cluster size")
            }
            if UInt64(headerLength) > fileSize { add(.error, 100, "header_length \(headerLength) runs past the end of the file") }
            let unknown = incompatibleFeatures >> 5
            if unknown != 0 { add(.error, 72, "unknown incompatible feature bits \(hex(unknown << 5)): QEMU refuses to open this image") }
            if hasExtendedL2, clusterBits < Qcow2.minExtendedL2ClusterBits {
                add(.error, 72, "extended L2 entries need cluster_bits ≥ 14, have \(clusterBits)")
            }
            let compressionBit = incompatibleFeatures & IncompatibleFeature.compressionType.mask != 0
            if compressionBit != (compressionType != 0) {
                add(.error, 104, "compression_type \(compressionType) disagrees with the compression type feature bit")
            }
            if compression == nil { add(.error, 104, "unknown compression_type \(compressionType)") }
            if additionalBytes.contains(where: { $0 != 0 }) {
                add(.info, 105, "\(additionalBytes.count) bytes of unknown additional header fields are not zero")
            }
            if dataFileIsRaw && !hasExternalDataFile {
                add(.error, 88, "raw external data bit set without the external data file bit")
            }
        }
        if encryption == nil { add(.error, 32, "unknown crypt_method \(cryptMethod)") }
        if hasBackingFile {
            if backingFileSize > Qcow2.maxBackingFileNameLength {
                add(.error, 16, "backing_file_size \(backingFileSize) exceeds 1023 bytes")
            }
            if hasUsableGeometry, backingFileOffset > clusterSize {
                add(.error, 8, "backing file name at \(hex(backingFileOffset)) is outside the first cluster")
            }
        }
        guard hasUsableGeometry else { return out }

        if UInt64(l1Size) < requiredL1Size {
            add(.error, 36, "l1_size \(l1Size) is too small for a virtual size of \(size) bytes (needs \(requiredL1Size))")
        }
        if case .failure(let e) = validateTable(.l1Table, offset: l1TableOffset, entries: UInt64(l1Size),
                                                entrySize: 8, maxBytes: Qcow2.maxL1TableBytes, fileSize: fileSize) {
            add(.error, 40, e.description)
        }
        if case .failure(let e) = validateTable(.refcountTable, offset: refcountTableOffset,
                                                entries: UInt64(refcountTableClusters) &* clusterSize / 8, entrySize: 8,
                                                maxBytes: Qcow2.maxRefcountTableBytes, fileSize: fileSize) {
            add(.error, 48, e.description)
        }
        if refcountTableClusters == 0 { add(.error, 56, "refcount_table_clusters is 0") }
        if nbSnapshots > Qcow2.maxSnapshots { add(.error, 60, "\(nbSnapshots) snapshots exceed QEMU's limit of 65536") }
        if nbSnapshots > 0, snapshotsOffset & (clusterSize - 1) != 0 {
            add(.error, 64, "snapshots_offset \(hex(snapshotsOffset)) is not aligned to a cluster")
        }
        return out
    }
}
