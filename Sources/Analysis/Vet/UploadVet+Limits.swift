import Qcow2

extension UploadVet {
    /// Header fields that would make QEMU allocate or loop past its own limits (it refuses them,
    /// but only after a service has accepted the upload), and the virtual size the service allows.
    /// Offsets are those of the header fields, so a reason points at the byte to look at.
    static func limits(_ image: Qcow2Image, policy: Policy) -> [Reason] {
        var out: [Reason] = []
        let h = image.header
        let cluster = h.clusterSize
        let fileSize = image.file.size
        let l1Bytes = UInt64(h.l1Size) * 8
        if l1Bytes > Qcow2.maxL1TableBytes {
            out.append(Reason(.l1TableTooLarge, .unsafe, .header, at: 0x24,
                              "the L1 table has \(h.l1Size) entries (\(l1Bytes) bytes), over QEMU's limit of \(Qcow2.maxL1TableBytes >> 20) MiB"))
        }
        let (refcountBytes, overflow) = UInt64(h.refcountTableClusters).multipliedReportingOverflow(by: cluster)
        if overflow || refcountBytes > Qcow2.maxRefcountTableBytes {
            out.append(Reason(.refcountTableTooLarge, .unsafe, .header, at: 0x38,
                              "the refcount table is \(h.refcountTableClusters) clusters, over QEMU's limit of \(Qcow2.maxRefcountTableBytes >> 20) MiB"))
        }
        if h.nbSnapshots > Qcow2.maxSnapshots {
            out.append(Reason(.tooManySnapshots, .unsafe, .header, at: 0x3c,
                              "\(h.nbSnapshots) snapshots, over QEMU's limit of \(Qcow2.maxSnapshots)"))
        }
        if h.nbSnapshots > 0 {
            // Each entry is at least 40 bytes: the table cannot be smaller than that.
            let least = UInt64(h.nbSnapshots) * UInt64(Qcow2.snapshotEntryHeaderSize)
            if h.snapshotsOffset < cluster {
                out.append(Reason(.metadataOverlap, .unsafe, .snapshotTable, at: 0x40,
                                  "the snapshot table of \(h.nbSnapshots) entries is at \(hex(h.snapshotsOffset)), inside the header cluster"))
            }
            if h.snapshotsOffset > fileSize || least > fileSize - h.snapshotsOffset {
                out.append(Reason(.snapshotTableTooLarge, .unsafe, .snapshotTable, at: 0x40,
                                  "\(h.nbSnapshots) snapshots need at least \(least) bytes at \(hex(h.snapshotsOffset)), past the end of the file (\(fileSize) bytes)"))
            }
        }
        if let bitmaps = image.bitmapsExtension {
            let at = image.extensions.first { $0.knownType == .bitmaps }?.offset ?? 0
            if bitmaps.nbBitmaps > Qcow2.maxBitmaps || bitmaps.directorySize > Qcow2.maxBitmapDirectoryBytes {
                out.append(Reason(.bitmapDirectoryTooLarge, .unsafe, .bitmapExtension, at: at,
                                  "\(bitmaps.nbBitmaps) bitmaps in a directory of \(bitmaps.directorySize) bytes, over QEMU's limits (\(Qcow2.maxBitmaps) bitmaps, \(Qcow2.maxBitmapDirectoryBytes >> 20) MiB)"))
            } else if bitmaps.directoryOffset > fileSize || bitmaps.directorySize > fileSize - bitmaps.directoryOffset {
                out.append(Reason(.bitmapDirectoryTooLarge, .unsafe, .bitmapExtension, at: at,
                                  "the bitmap directory of \(bitmaps.directorySize) bytes at \(hex(bitmaps.directoryOffset)) runs past the end of the file"))
            }
        }
        for f in image.findings where f.structure == .headerExtension && f.severity == .error {
            out.append(Reason(.headerExtensionsPastCluster, .unsafe, .headerExtension, at: f.offset, f.message))
        }
        if let max = policy.maxVirtualSize, h.size > max {
            out.append(Reason(.virtualSizeTooLarge, .unsafe, .header, at: 0x18,
                              "the virtual size is \(h.size) bytes, over the \(max) bytes allowed (--max-virtual-size)"))
        }
        return out
    }

    /// The header's flags: encryption (a note: the service needs the key), the dirty and corrupt
    /// bits, and bitmaps left in use by a QEMU that did not close the image. And a lock a running
    /// QEMU holds: such a file changes while it is read (the scan then sets refcount differences
    /// aside as QEMU's caches), so nothing said about it holds for an upload.
    static func flags(_ image: Qcow2Image) -> [Reason] {
        var out: [Reason] = []
        if image.isInUse {
            out.append(Reason(.inUse, .unsafe, .file, at: 0,
                              "a running QEMU holds the image's lock: it may change while it is read, so no verdict on it holds; vet an upload at rest"))
        }
        let h = image.header
        if h.cryptMethod != 0 {
            let how = h.encryption == .luks ? "LUKS" : h.encryption == .aes ? "legacy AES" : "method \(h.cryptMethod)"
            out.append(Reason(.encrypted, .note, .header, at: 0x20, "the image is encrypted (\(how)): QEMU needs its key to read it"))
        }
        if h.isCorrupt {
            out.append(Reason(.corruptBit, .damaged, .header, at: 0x48,
                              "the corrupt bit is set: QEMU found the metadata damaged and will not write to it"))
        }
        if h.isDirty {
            out.append(Reason(.dirty, .note, .header, at: 0x48,
                              "the dirty bit is set: the refcounts were not saved and QEMU rebuilds them when it opens the image"))
        }
        let directory = image.readBitmapDirectory()
        for bitmap in directory.bitmaps where bitmap.isInUse {
            out.append(Reason(.bitmapInUse, .note, .bitmapDirectory, at: bitmap.entryOffset,
                              "bitmap \"\(RawString.escape(bitmap.name.bytes))\" is marked in use: it was not saved cleanly and QEMU treats it as inconsistent"))
        }
        return out
    }
}
