import Qcow2

extension ImageScanner {
    /// The conditions under which `qcow2_do_open` (block/qcow2.c, qemu 7.2) refuses the image,
    /// so `qemu-img check` stops with status 1 before checking anything: header fields, the
    /// header extensions as `qcow2_read_extensions` walks them, the external data file and the
    /// backing chain. The scan still walks what it can; each reason becomes a check error.
    ///
    /// Deliberate difference: QEMU also needs the key of an encrypted image to check it;
    /// qcowscope never decrypts anything, so it checks encrypted images without one.
    mutating func checkOpenability() {
        for f in image.findings where f.severity == .error {
            note(.image, at: f.offset, severity: .error, structure: f.structure, "\(f.structure.rawValue): \(f.message)")
        }
        let h = header
        if h.version < 2 || h.version > 3 { fatal.append("unsupported qcow2 version \(h.version)") }
        if h.version >= 3 {
            if h.headerLength < Qcow2.v3MinimumHeaderLength { fatal.append("header too short") }
            if UInt64(h.headerLength) > clusterSize { fatal.append("header exceeds the cluster size") }
            if h.incompatibleFeatures >> 5 != 0 { fatal.append("unsupported incompatible features \(hex((h.incompatibleFeatures >> 5) << 5))") }
            let bit = h.incompatibleFeatures & IncompatibleFeature.compressionType.mask != 0
            if h.compression == nil { fatal.append("unknown compression type \(h.compressionType)") }
            else if bit != (h.compressionType != 0) { fatal.append("compression type \(h.compressionType) disagrees with the compression type bit") }
            if extendedL2, clusterBits < Qcow2.minExtendedL2ClusterBits { fatal.append("extended L2 entries need clusters of 16 KiB or more") }
        }
        if h.backingFileOffset > clusterSize { fatal.append("invalid backing file offset") }
        else if h.hasBackingFile, UInt64(h.backingFileSize) > min(UInt64(Qcow2.maxBackingFileNameLength), clusterSize - h.backingFileOffset) {
            fatal.append("backing file name too long")
        }
        if h.cryptMethod > 2 { fatal.append("unsupported encryption method \(h.cryptMethod)") }
        if UInt64(h.l1Size) > Qcow2.maxL1TableBytes / 8 { fatal.append("active L1 table too large") }
        else if !isAligned(h.l1TableOffset) || h.l1TableOffset > UInt64(Int64.max) - UInt64(h.l1Size) * 8 {
            fatal.append("invalid L1 table offset")
        } else if UInt64(h.l1Size) < h.requiredL1Size { fatal.append("L1 table is too small") }
        if UInt64(h.refcountTableClusters) * clusterSize > Qcow2.maxRefcountTableBytes { fatal.append("reference count table too large") }
        else if !isAligned(h.refcountTableOffset)
            || h.refcountTableOffset > UInt64(Int64.max) - UInt64(h.refcountTableClusters) * clusterSize {
            fatal.append("invalid reference count table offset")
        }
        walkExtensionsLikeQemu()
        if h.encryption == .luks, image.encryptionPointer == nil { fatal.append("missing the encryption header extension") }
        // A file the reach rule refuses counts as one QEMU could not open (a missing file), but
        // is not said to stop QEMU: QEMU would have opened it.
        var refused: [String] = []
        if hasDataFile {
            // QEMU opens a device node as data file; qcowscope only opens regular files. Told to
            // open nothing the image names (vet), the data file is left alone as --no-backing
            // leaves the backing file.
            if image.limits.reach.scope != .nothing, case .failure(let e)? = image.openDataFile(), !e.kind.isNotRegularFile {
                if e.kind.refusal != nil { refused.append(e.reason) } else { fatal.append(e.reason) }
            }
        } else if h.dataFileIsRaw {
            fatal.append("data-file-raw requires a data file")
        }
        if h.hasBackingFile, image.limits.followBacking {
            // QEMU opens device nodes, deeper chains and an empty name (as no backing file), which
            // qcowscope does not follow; anything else that stops the chain stops QEMU too.
            let chain = BackingChain.open(top: image)
            if let stop = chain.stop, stop.stopsQemu, let f = chain.findings.last(where: { $0.severity == .error }) {
                if case .outsideReach = stop { refused.append(f.message) } else { fatal.append("backing chain: \(f.message)") }
            }
        }
        for reason in fatal { note(.image, at: 0, severity: .error, "QEMU refuses to open the image: \(reason)") }
        for reason in refused { note(.image, at: 0, severity: .error, "the image cannot be checked: \(reason)") }
        fatal += refused
    }

    /// `qcow2_read_extensions`: from header_length (72 for version 2) to the backing file name or
    /// the end of the first cluster. An extension longer than what is left, a backing format
    /// name of 16 bytes or more, an encryption pointer without LUKS or of the wrong size, and a
    /// malformed bitmaps extension (when the autoclear bit says it is valid) stop the open.
    /// The area can be a whole 2 MiB cluster, mostly zeros after the end marker: it is read through
    /// a 4 KiB window (reading it whole cost 2 MiB of memory), and only the extensions' headers
    /// and the at most 24 bytes of data looked at have to fit in it.
    private mutating func walkExtensionsLikeQemu() {
        let h = header
        guard h.backingFileOffset <= clusterSize else { return }
        let start = UInt64(h.version >= 3 ? h.headerLength : Qcow2.v2HeaderLength)
        let end = h.backingFileOffset != 0 ? h.backingFileOffset : clusterSize
        guard start < end, end <= clusterSize else { return }
        // The window holds file bytes [windowStart, windowStart + count), zeros past the end of the file.
        var bytes = [UInt8](repeating: 0, count: 4096)
        var windowStart = UInt64.max
        var offset = start
        var bitmapsSeen: ArraySlice<UInt8>? = nil
        while offset < end {
            // An extension header and the data looked at: 32 bytes from offset.
            if windowStart == UInt64.max || offset < windowStart || offset - windowStart > UInt64(bytes.count - 32) {
                let read: Int? = bytes.withUnsafeMutableBytes { try? file.readZeroFilled(into: $0, at: offset) }
                guard read != nil else { fatal.append("the header extensions cannot be read"); return }
                windowStart = offset
            }
            let i = Int(offset - windowStart)
            let magic = bytes.withUnsafeBytes { $0.be32(at: i) }
            let length = UInt64(bytes.withUnsafeBytes { $0.be32(at: i + 4) })
            offset += 8
            if offset > end || length > end - offset { fatal.append("header extension too large"); return }
            let data = i + 8
            switch HeaderExtensionType(rawValue: magic) {
            case .end?:
                return
            case .backingFileFormat?:
                if length >= 16 { fatal.append("backing format name of \(length) bytes is too long"); return }
            case .fullDiskEncryption?:
                if h.encryption != .luks { fatal.append("encryption header extension without LUKS encryption"); return }
                if length != 16 { fatal.append("encryption header extension of \(length) bytes"); return }
                let at = bytes.withUnsafeBytes { $0.be64(at: data) }
                if !isAligned(at) { fatal.append("encryption header offset \(hex(at)) is not cluster aligned"); return }
                qemuSeesCrypto = true
            case .bitmaps?:
                if length != 24 { fatal.append("bitmaps extension of \(length) bytes"); return }
                guard h.bitmapsConsistent else { break }
                let (count, reserved, size, at) = bytes.withUnsafeBytes {
                    ($0.be32(at: data), $0.be32(at: data + 4), $0.be64(at: data + 8), $0.be64(at: data + 16))
                }
                if reserved != 0 { fatal.append("bitmaps extension reserved field is not zero"); return }
                if count == 0 || count > Qcow2.maxBitmaps { fatal.append("bitmaps extension with \(count) bitmaps"); return }
                if !isAligned(at) { fatal.append("bitmap directory offset \(hex(at)) is not cluster aligned"); return }
                if size > Qcow2.maxBitmapDirectoryBytes { fatal.append("bitmap directory too large"); return }
                // A later extension overrides an earlier one in QEMU; qcowscope's decoder keeps the
                // first, so two different ones cannot be checked the same way.
                let this = bytes[data..<(data + 24)]
                if let seen = bitmapsSeen, seen != this { fatal.append("two different bitmaps extensions"); return }
                bitmapsSeen = this
                qemuSeesBitmaps = true
            default:
                break
            }
            offset += (length + 7) & ~7
        }
    }
}
