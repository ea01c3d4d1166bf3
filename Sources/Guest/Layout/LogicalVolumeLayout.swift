import Qcow2

/// Maps the logical volumes of the volume groups whose physical volumes are on this disk to guest
/// extents (guest-formats.md §4, "Linear mapping"), probes each linear LV for a filesystem, and
/// narrows each PV's ``GuestVolume/segments`` to what no LV covers, so every guest byte is counted
/// once.
enum LogicalVolumeLayout {
    /// Where a PV of this disk lies: its index in the volume list and its guest extent.
    struct Location {
        var index: Int
        var extent: GuestExtent
    }

    static func resolve(_ disk: VolumeReader, volumes: [GuestVolume], findings: inout [Finding]) -> [GuestVolume] {
        var locations: [String: Location] = [:]
        var groups: [LVMVolumeGroup] = []
        for (index, volume) in volumes.enumerated() where volume.filesystem.kind == .lvm2 {
            let window = VolumeReader(source: disk.source, start: volume.start, length: volume.length)
            guard let scan = try? LVM2PhysicalVolume.scan(window) else { continue }
            guard locations[scan.label.uuid] == nil else {
                findings.append(Finding(.warning, .lvmLabel, at: volume.start,
                                        "PV \(scan.label.uuid) appears twice on this disk; the first copy is used"))
                continue
            }
            locations[scan.label.uuid] = Location(index: index, extent: GuestExtent(start: volume.start, length: volume.length))
            if let group = scan.group {
                if let known = groups.firstIndex(where: { $0.name == group.name }) {
                    if groups[known].seqno < group.seqno { groups[known] = group }
                } else {
                    groups.append(group)
                }
            }
        }
        guard !locations.isEmpty else { return volumes }
        var logical: [(pv: Int, volume: GuestVolume)] = []
        for group in groups {
            let home = group.physicalVolumes.lazy.compactMap { locations[$0.uuid] }.first
            for lv in group.logicalVolumes {
                let (pieces, reason) = self.pieces(of: lv, in: group, locations: locations, findings: &findings)
                let owner = pieces.first.flatMap { piece in locations.values.first { $0.extent.start <= piece.start && piece.start < $0.extent.end } } ?? home
                guard let owner else { continue }
                let (size, overflow) = lv.extentCount.multipliedReportingOverflow(by: group.extentSize)
                var volume = GuestVolume(start: pieces.first?.start ?? owner.extent.start, length: overflow ? UInt64.max : size,
                                         table: .lvm, partition: nil, type: nil, name: lv.name, segments: pieces,
                                         filesystem: FilesystemInfo(kind: .unknown, notAnalysedReason: reason))
                if reason == nil, !pieces.isEmpty { volume.filesystem = probe(disk, pieces: pieces) }
                if !lv.visible { volume.filesystem.details.append(("hidden", "yes")) }
                logical.append((owner.index, volume))
            }
        }
        var result: [GuestVolume] = []
        let covered = logical.flatMap(\.volume.segments).sortedMerged()
        for (index, volume) in volumes.enumerated() {
            var volume = volume
            if locations.values.contains(where: { $0.index == index }) {
                volume.segments = subtract(covered, from: GuestExtent(start: volume.start, length: volume.length))
            }
            result.append(volume)
            result += logical.filter { $0.pv == index }.map(\.volume).sorted { $0.start < $1.start }
        }
        return result
    }

    /// The LV's guest pieces in LV order (adjacent ones merged), and why it is not analysed, if so.
    static func pieces(of lv: LVMVolumeGroup.LogicalVolume, in group: LVMVolumeGroup, locations: [String: Location],
                       findings: inout [Finding]) -> (pieces: [GuestExtent], reason: String?) {
        var pieces: [GuestExtent] = []
        var reason: String?
        for segment in lv.segments {
            guard segment.type == "striped" else {
                reason = reason ?? "LVM segment type \"\(segment.type)\": not analysed"
                continue
            }
            if segment.stripes.count > 1 { reason = reason ?? "striped over \(segment.stripes.count) PVs: not analysed" }
            let perStripe = segment.extentCount / UInt64(segment.stripes.count)
            for stripe in segment.stripes {
                guard let pv = group.physicalVolumes.first(where: { $0.name == stripe.pv }),
                      let location = locations[pv.uuid] else {
                    reason = reason ?? "on PV \(stripe.pv), which is not on this disk"
                    continue
                }
                let (offset, o1) = stripe.extent.multipliedReportingOverflow(by: group.extentSize)
                let (length, o2) = perStripe.multipliedReportingOverflow(by: group.extentSize)
                let (within, o3) = pv.peStart.addingReportingOverflow(offset)
                let (end, o4) = within.addingReportingOverflow(length)
                guard !o1, !o2, !o3, !o4, end <= location.extent.length else {
                    findings.append(Finding(.error, .lvmMetadata, at: location.extent.start,
                                            "LV \(lv.name): extents \(stripe.extent)+\(perStripe) lie outside PV \(stripe.pv)"))
                    reason = reason ?? "its extents lie outside its PV"
                    continue
                }
                let piece = GuestExtent(start: location.extent.start + within, length: length)
                if let last = pieces.last, last.end == piece.start {
                    pieces[pieces.count - 1].length += piece.length
                } else {
                    pieces.append(piece)
                }
            }
        }
        return (pieces, reason)
    }

    /// The filesystem of a linear LV: read in place when it is one piece, else through a
    /// ``ConcatenatedSource`` with its free extents and findings mapped back to guest offsets.
    static func probe(_ disk: VolumeReader, pieces: [GuestExtent]) -> FilesystemInfo {
        if pieces.count == 1 {
            return FilesystemProbe.read(VolumeReader(source: disk.source, start: pieces[0].start, length: pieces[0].length))
        }
        let source = ConcatenatedSource(base: disk.source, pieces: pieces)
        var info = FilesystemProbe.read(VolumeReader(source: source))
        info.freeExtents = info.freeExtents.flatMap { source.toGuest($0) }.sortedMerged()
        info.findings = info.findings.map { finding in
            var mapped = finding
            mapped.offset = source.toGuest(offset: finding.offset)
            return mapped
        }
        return info
    }

    /// `whole` minus the sorted, merged `covered` extents.
    static func subtract(_ covered: [GuestExtent], from whole: GuestExtent) -> [GuestExtent] {
        var out: [GuestExtent] = []
        var position = whole.start
        for extent in covered where extent.end > whole.start && extent.start < whole.end {
            if extent.start > position { out.append(GuestExtent(start: position, length: extent.start - position)) }
            position = max(position, extent.end)
        }
        if position < whole.end { out.append(GuestExtent(start: position, length: whole.end - position)) }
        return out
    }
}
