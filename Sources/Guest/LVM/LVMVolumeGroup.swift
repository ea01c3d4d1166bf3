import Qcow2

/// A volume group as its text metadata describes it (guest-formats.md §4; lvm2
/// lib/format_text/import_vsn1.c): extent size, physical volumes (pe_start and sizes in 512-byte
/// sectors in the text, kept here in bytes) and logical volumes with their segments. Values are
/// checked as they are read; anything out of range is an error naming the metadata text.
struct LVMVolumeGroup: Sendable {
    static let sector: UInt64 = 512
    /// Extents are at most 2³⁸ per PV here (LVM's own limit is far lower), so byte products fit.
    static let maxExtents: UInt64 = 1 << 38

    struct PhysicalVolume: Sendable {
        var name: String
        var uuid: String
        /// First extent's byte offset in the PV.
        var peStart: UInt64
        var peCount: UInt64
    }

    struct Stripe: Sendable, Hashable {
        var pv: String
        var extent: UInt64
    }

    struct Segment: Sendable {
        var startExtent: UInt64
        var extentCount: UInt64
        var type: String
        /// For "striped" segments: one (PV name, first PE) pair per stripe; each holds
        /// extentCount / stripes.count extents.
        var stripes: [Stripe]
    }

    struct LogicalVolume: Sendable {
        var name: String
        var visible: Bool
        var segments: [Segment]
        var extentCount: UInt64 { segments.reduce(0) { $0 + $1.extentCount } }
    }

    var name: String
    var seqno: Int64
    var extentSize: UInt64
    var physicalVolumes: [PhysicalVolume]
    var logicalVolumes: [LogicalVolume]

    /// Reads the VG from parsed metadata: the first top-level section is the VG.
    init(_ config: LVMConfig, at offset: UInt64) throws(FormatError) {
        func fail(_ reason: String) -> FormatError { FormatError(.lvmMetadata, at: offset, reason) }
        guard let vg = config.entries.first(where: { if case .section = $0.value { true } else { false } }) else {
            throw fail("metadata text has no volume group section")
        }
        name = vg.key
        let body = vg.value
        seqno = body["seqno"]?.number ?? 0
        func count(_ value: LVMConfig?, _ what: String, max: UInt64 = LVMVolumeGroup.maxExtents) throws(FormatError) -> UInt64 {
            guard let number = value?.number, number >= 0, UInt64(number) <= max else {
                throw fail("\(what) is missing or out of range")
            }
            return UInt64(number)
        }
        let extentSectors = try count(body["extent_size"], "\(name): extent_size", max: 1 << 32)
        guard extentSectors > 0 else { throw fail("\(name): extent_size is 0") }
        extentSize = extentSectors * Self.sector
        var pvs: [PhysicalVolume] = []
        for entry in body["physical_volumes"]?.entries ?? [] {
            let pv = entry.value
            pvs.append(PhysicalVolume(name: entry.key, uuid: pv["id"]?.string ?? "",
                                      peStart: try count(pv["pe_start"], "\(entry.key): pe_start", max: 1 << 48) * Self.sector,
                                      peCount: try count(pv["pe_count"], "\(entry.key): pe_count")))
        }
        physicalVolumes = pvs
        var lvs: [LogicalVolume] = []
        for entry in body["logical_volumes"]?.entries ?? [] {
            let lv = entry.value
            let status = lv["status"]?.items?.compactMap(\.string) ?? []
            var segments: [Segment] = []
            for segmentEntry in lv.entries where segmentEntry.key.hasPrefix("segment") {
                let s = segmentEntry.value
                guard case .section = s else { continue }
                let where_ = "\(entry.key).\(segmentEntry.key)"
                let start = try count(s["start_extent"], "\(where_): start_extent")
                let extents = try count(s["extent_count"], "\(where_): extent_count")
                let type = s["type"]?.string ?? "?"
                var stripes: [Stripe] = []
                if type == "striped" {
                    let items = s["stripes"]?.items ?? []
                    let stripeCount = try count(s["stripe_count"], "\(where_): stripe_count", max: 1024)
                    guard stripeCount > 0, items.count == 2 * Int(stripeCount), extents % stripeCount == 0 else {
                        throw fail("\(where_): \(items.count / 2) stripes listed for stripe_count \(stripeCount) over \(extents) extents")
                    }
                    for k in 0..<Int(stripeCount) {
                        guard let pv = items[2 * k].string else { throw fail("\(where_): stripe \(k) names no PV") }
                        stripes.append(Stripe(pv: pv, extent: try count(items[2 * k + 1], "\(where_): stripe \(k) extent")))
                    }
                }
                segments.append(Segment(startExtent: start, extentCount: extents, type: type, stripes: stripes))
            }
            segments.sort { $0.startExtent < $1.startExtent }
            lvs.append(LogicalVolume(name: entry.key, visible: status.contains("VISIBLE"), segments: segments))
        }
        logicalVolumes = lvs
    }

    /// The PE ranges of PV `pvName` that some segment uses, as (first PE, count).
    func usedExtents(of pvName: String) -> [(first: UInt64, count: UInt64)] {
        var used: [(first: UInt64, count: UInt64)] = []
        for lv in logicalVolumes {
            for segment in lv.segments where !segment.stripes.isEmpty {
                let perStripe = segment.extentCount / UInt64(segment.stripes.count)
                for stripe in segment.stripes where stripe.pv == pvName { used.append((stripe.extent, perStripe)) }
            }
        }
        return used.sorted { $0.first < $1.first }
    }
}
