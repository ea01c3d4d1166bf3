import Qcow2

/// An LVM2 physical volume (guest-formats.md §4): the label, the metadata text of its volume group,
/// and the PV's own extents. As a volume its allocation unit is the physical extent, and its free
/// map the extents no logical volume uses (plus nothing of its label or metadata, which are in
/// use). The logical volumes themselves are volumes of their own (``GuestDiskLayout``).
public enum LVM2PhysicalVolume: FilesystemReader {
    /// What one PV says: its label, and its VG when the metadata could be read.
    struct Scan {
        var label: LVMLabel
        var group: LVMVolumeGroup?
        /// This PV's entry in the VG (matched by UUID).
        var pv: LVMVolumeGroup.PhysicalVolume?
        var findings: [Finding]
    }

    public static func matches(_ volume: VolumeReader) -> Bool { LVMLabel.find(volume) != nil }

    /// Reads the label and the first metadata area that parses.
    static func scan(_ volume: VolumeReader) throws(FormatError) -> Scan {
        let label = try LVMLabel(volume)
        var scan = Scan(label: label, group: nil, pv: nil, findings: [])
        for area in label.metadataAreas {
            do {
                let (text, offset) = try LVMMetadataArea.text(volume, area: area)
                let at = volume.guestOffset(offset)
                let group = try LVMVolumeGroup(LVMConfig.parse(text, baseOffset: at), at: at)
                if let current = scan.group, current.seqno >= group.seqno { continue }
                scan.group = group
                scan.pv = group.physicalVolumes.first { $0.uuid == label.uuid }
                if scan.pv == nil {
                    scan.findings.append(Finding(.error, .lvmMetadata, at: at, "VG \(group.name) does not list this PV (\(label.uuid))"))
                }
            } catch {
                scan.findings.append(Finding(error))
            }
        }
        if label.metadataAreas.isEmpty {
            scan.findings.append(Finding(.info, .lvmLabel, at: volume.guestOffset(label.sectorOffset),
                                         "this PV holds no metadata area (its VG's metadata is on another PV)"))
        }
        return scan
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        var info = FilesystemInfo(kind: .lvm2)
        let scan: Scan
        do {
            scan = try self.scan(volume)
        } catch {
            info.findings.append(Finding(error))
            info.notAnalysedReason = "LVM2: \(error.reason)"
            return info
        }
        info.uuid = scan.label.uuid
        info.findings = scan.findings
        guard let group = scan.group, let pv = scan.pv else {
            info.notAnalysedReason = "LVM2: the volume group metadata could not be read"
            return info
        }
        info.details = [("VG", group.name), ("PV", pv.name), ("extent size", "\(group.extentSize)"),
                        ("PE start", "\(pv.peStart)"), ("PE count", "\(pv.peCount)"),
                        ("LVs", "\(group.logicalVolumes.count)")]
        var peCount = pv.peCount
        let (extentsEnd, overflow) = pv.peCount.multipliedReportingOverflow(by: group.extentSize)
        if overflow || pv.peStart > volume.length || extentsEnd > volume.length - pv.peStart {
            let fits = pv.peStart < volume.length ? (volume.length - pv.peStart) / group.extentSize : 0
            info.findings.append(Finding(.warning, .lvmMetadata, at: volume.guestOffset(0),
                                         "\(pv.name): \(pv.peCount) extents from \(pv.peStart) do not fit the \(volume.length)-byte volume; \(fits) counted"))
            peCount = fits
        }
        var builder = FreeExtentBuilder(base: volume.guestOffset(pv.peStart), unitSize: group.extentSize)
        var next: UInt64 = 0
        for (first, count) in group.usedExtents(of: pv.name) {
            if first > next { builder.add(unit: next, count: min(first, peCount) - min(next, peCount)) }
            let (end, overflow) = first.addingReportingOverflow(count)
            next = max(next, overflow ? .max : end)
        }
        if next < peCount { builder.add(unit: next, count: peCount - next) }
        info.blockSize = group.extentSize
        info.blocks = peCount
        info.freeBlocks = builder.freeUnits
        info.freeExtents = builder.extents
        return info
    }
}
