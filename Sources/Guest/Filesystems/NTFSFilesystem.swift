import Qcow2

/// NTFS (guest-formats.md §7): the free map is $Bitmap (MFT record 6), one bit per cluster, set = in
/// use, stored in the clusters its unnamed $DATA runs name. The $MFT is found from the boot sector
/// and mapped through record 0's own runs; records are read with their fixups applied.
public enum NTFSFilesystem: FilesystemReader {
    /// The bitmap is read this many bytes at a time.
    static let chunkBytes: UInt64 = 1 << 20

    public static func matches(_ volume: VolumeReader) -> Bool {
        guard let sector = try? volume.bytes(512, at: 0, for: .ntfsBootSector) else { return false }
        return NTFSBootSector.isNTFS(sector)
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        var info = FilesystemInfo(kind: .ntfs)
        do {
            let boot = try NTFSBootSector(volume.bytes(512, at: 0, for: .ntfsBootSector), at: volume.guestOffset(0))
            info.uuid = boot.serialText
            info.blockSize = boot.clusterSize
            info.details = [("sector size", "\(boot.bytesPerSector)"), ("MFT record size", "\(boot.recordSize)")]
            var clusters = boot.clusterCount
            let inVolume = volume.length / boot.clusterSize
            if clusters > inVolume {
                info.findings.append(Finding(.warning, .ntfsBootSector, at: volume.guestOffset(0x28),
                                             "the boot sector counts \(clusters) clusters, the volume holds \(inVolume); counted to the volume's end"))
                clusters = inVolume
            }
            info.blocks = clusters
            let mft = try MFT(volume, boot: boot)
            readVolumeInformation(mft, into: &info)
            try readBitmap(mft, clusters: clusters, into: &info)
        } catch {
            info.findings.append(Finding(error))
            if info.freeBlocks == nil { info.notAnalysedReason = "NTFS: \(error.reason)" }
        }
        return info
    }

    /// Label ($Volume's $VOLUME_NAME) and the dirty flag ($VOLUME_INFORMATION) from record 3; a
    /// damaged record 3 only loses them (a finding), the free map does not need it.
    private static func readVolumeInformation(_ mft: MFT, into info: inout FilesystemInfo) {
        do {
            let record = try mft.record(3)
            for attribute in try record.attributes() where !attribute.nonResident {
                let value = record.residentValue(attribute)
                if attribute.type == 0x60 { info.label = value.utf16LEText(0, units: value.count / 2) }
                if attribute.type == 0x70, value.count >= 12 {
                    info.details.append(("version", "\(value[8]).\(value[9])"))
                    if value.le16(10) & 1 != 0 {
                        info.possiblyStale = true
                        info.findings.append(Finding(.warning, .ntfsMFTRecord, at: record.offset,
                                                     "the volume is marked dirty; $Bitmap may be stale"))
                    }
                }
            }
        } catch {
            info.findings.append(Finding(error, severity: .warning))
        }
    }

    /// Counts the clear bits of $Bitmap's first `clusters` bits into `info`'s free map.
    private static func readBitmap(_ mft: MFT, clusters: UInt64, into info: inout FilesystemInfo) throws(FormatError) {
        let volume = mft.volume, clusterSize = mft.boot.clusterSize
        let record = try mft.record(6)
        let data = try record.unnamedData()
        var builder = FreeExtentBuilder(base: volume.guestOffset(0), unitSize: clusterSize)
        defer {
            info.freeBlocks = builder.freeUnits
            info.freeExtents = builder.extents
        }
        let neededBytes = (clusters + 7) / 8
        /// Feeds `bytes`, which hold bitmap bits from bit `firstBit` on, to the builder.
        func feed(_ bytes: [UInt8], firstBit: UInt64) {
            guard firstBit < clusters else { return }
            let bits = Int(min(UInt64(bytes.count) * 8, clusters - firstBit))
            bytes.withUnsafeBytes { raw in
                BitmapRuns.forEachClearRun(in: raw, bits: bits) { start, length in
                    builder.add(unit: firstBit + UInt64(start), count: UInt64(length))
                }
            }
        }
        if !data.nonResident {
            let value = record.residentValue(data)
            feed(value, firstBit: 0)
            if UInt64(value.count) < neededBytes { shortBitmap(UInt64(value.count), clusters, record, &info) }
            return
        }
        let runs = try NTFSRunList(record, data)
        var streamByte: UInt64 = 0
        let available = min(runs.dataSize, neededBytes)
        for run in runs.runs where streamByte < available {
            let runBytes = min(run.length * clusterSize, available - streamByte)
            guard let lcn = run.lcn else {
                info.findings.append(Finding(.warning, .ntfsBitmap, at: record.offset,
                                             "$Bitmap has a sparse run at byte \(streamByte); its clusters are counted as in use"))
                streamByte += runBytes
                continue
            }
            guard lcn < clusters, run.length <= clusters - lcn else {
                throw FormatError(.ntfsBitmap, at: record.offset,
                                  "$Bitmap data run (cluster \(lcn), \(run.length) clusters) points past the volume (\(clusters) clusters); the rest is counted as in use")
            }
            var done: UInt64 = 0
            while done < runBytes {
                let count = min(chunkBytes, runBytes - done)
                let bytes = try volume.bytes(Int(count), at: lcn * clusterSize + done, for: .ntfsBitmap)
                feed(bytes, firstBit: (streamByte + done) * 8)
                done += count
            }
            streamByte += runBytes
        }
        if streamByte < neededBytes { shortBitmap(streamByte, clusters, record, &info) }
        if builder.overflowed {
            info.findings.append(Finding(.warning, .ntfsBitmap, at: record.offset,
                                         "the free map is too fragmented to keep; the rest is counted as in use"))
        }
    }

    private static func shortBitmap(_ bytes: UInt64, _ clusters: UInt64, _ record: NTFSRecord, _ info: inout FilesystemInfo) {
        info.findings.append(Finding(.warning, .ntfsBitmap, at: record.offset,
                                     "$Bitmap holds \(bytes * 8) bits for \(clusters) clusters; the rest are counted as in use"))
    }
}

extension NTFSFilesystem {
    /// The $MFT: record 0's runs, through which any record is read.
    struct MFT {
        let volume: VolumeReader
        let boot: NTFSBootSector
        let runs: NTFSRunList

        init(_ volume: VolumeReader, boot: NTFSBootSector) throws(FormatError) {
            self.volume = volume
            self.boot = boot
            let (offset, overflow) = boot.mftCluster.multipliedReportingOverflow(by: boot.clusterSize)
            guard !overflow else {
                throw FormatError(.ntfsBootSector, at: volume.guestOffset(0x30), "$MFT cluster \(boot.mftCluster) is beyond any volume")
            }
            let raw = try volume.bytes(Int(boot.recordSize), at: offset, for: .ntfsMFTRecord)
            let record = try NTFSRecord(raw, at: volume.guestOffset(offset))
            runs = try NTFSRunList(record, record.unnamedData())
        }

        /// Record `number`, gathered cluster by cluster through the $MFT's runs, fixups applied.
        func record(_ number: UInt64) throws(FormatError) -> NTFSRecord {
            let size = boot.recordSize, clusterSize = boot.clusterSize
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(size))
            var position = number * size
            var firstOffset: UInt64?
            while UInt64(bytes.count) < size {
                let vcn = position / clusterSize, within = position % clusterSize
                guard let (lcn, remaining) = runs.locate(vcn), let lcn else {
                    throw FormatError(.ntfsMFTRecord, at: volume.guestOffset(0), "MFT record \(number) is not mapped by the $MFT's runs")
                }
                // A record spans at most size / clusterSize + 1 clusters: bound `remaining` first.
                let count = min(size - UInt64(bytes.count), min(remaining, size / clusterSize + 2) * clusterSize - within)
                let (cluster, o1) = lcn.multipliedReportingOverflow(by: clusterSize)
                let (base, o2) = cluster.addingReportingOverflow(within)
                guard !o1, !o2 else {
                    throw FormatError(.ntfsMFTRecord, at: volume.guestOffset(0), "MFT record \(number) maps to cluster \(lcn), beyond any volume")
                }
                if firstOffset == nil { firstOffset = base }
                bytes += try volume.bytes(Int(count), at: base, for: .ntfsMFTRecord)
                position += count
            }
            return try NTFSRecord(bytes, at: volume.guestOffset(firstOffset ?? 0))
        }
    }
}
