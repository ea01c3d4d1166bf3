import Qcow2

/// The engine behind ``GuestMap``: walks the active L1/L2 tables of each layer and reports, in
/// guest order, what every byte of a guest range reads as — with the semantics of QEMU's
/// `qcow2_co_block_status` / `qcow2_get_host_offset` (block/qcow2.c, qcow2-cluster.c), the generic
/// `bdrv_co_block_status` (block/io.c) and qemu-img's `get_block_status`:
///
/// - unallocated ranges fall through to the backing layer (depth + 1); past the end of a shorter
///   backing layer, or with no backing layer, they read as zeros at this depth ("present": false);
/// - a data range of a metadata-preallocated image is split by the host file's holes, which read
///   as zero (BDRV_BLOCK_RECURSE);
/// - encrypted layers give no host offsets, compressed clusters never do.
///
/// Each layer gets one reusable L2 buffer (a cluster) and one hole probe; entries are decoded
/// with `be64(at:)` straight from the buffer, and runs of like clusters are gathered before
/// anything is emitted, so a preallocated terabyte emits a handful of pieces.
final class GuestMapWalker {
    struct Run {
        var state: GuestState
        var start: UInt64
        var end: UInt64
        var host: UInt64
        var hasHost: Bool
    }

    let layers: [GuestMapLayer]
    /// Throw on entries QEMU refuses (as `qemu-img map` fails); otherwise record a finding and
    /// report the range as ``GuestState/invalid``.
    let strict: Bool
    private let emit: (GuestMapEntry, GuestState) -> Void
    private(set) var findings: [Finding] = []
    private var tables: [L2TableCache?]
    /// L2 tables kept per layer: 1 for a front-to-back walk; more for a ``GuestDisk`` whose reads
    /// jump around the disk (filesystem bitmaps spread over every group).
    private let tablesPerLayer: Int
    private var probes: [HostExtentProbe?]
    private var probesOpened: [Bool]
    /// Per layer, the L1 indexes whose L2 tables were last announced to the source (prefetch).
    var announcedL1: [Range<UInt64>]
    static let maxFindings = 200

    init(layers: [GuestMapLayer], strict: Bool, tablesPerLayer: Int = 1, emit: @escaping (GuestMapEntry, GuestState) -> Void) {
        self.layers = layers
        self.strict = strict
        self.tablesPerLayer = max(1, tablesPerLayer)
        self.emit = emit
        tables = Array(repeating: nil, count: layers.count)
        probes = Array(repeating: nil, count: layers.count)
        probesOpened = Array(repeating: false, count: layers.count)
        announcedL1 = Array(repeating: 0..<0, count: layers.count)
    }

    /// Reports guest `[start, end)` of layer `i` (end ≤ the layer's length).
    func walk(layer i: Int, from start: UInt64, to end: UInt64) throws(FormatError) {
        guard start < end else { return }
        switch layers[i].format {
        case .raw: walkRaw(layer: i, from: start, to: end)
        case .qcow2(let image, let l1): try walkQcow2(layer: i, image: image, l1: l1, from: start, to: end)
        }
    }

    /// A raw layer: data or hole, offset = guest offset (file-posix `raw_co_block_status`).
    private func walkRaw(layer i: Int, from start: UInt64, to end: UInt64) {
        guard let probe = probe(i) else {
            report(GuestMapEntry(start: start, length: end - start, depth: i, present: true, zero: false, data: true, offset: start), .rawData)
            return
        }
        var g = start
        while g < end {
            let (isData, extentEnd) = probe.extent(at: g)
            let next = min(end, extentEnd)
            report(GuestMapEntry(start: g, length: next - g, depth: i, present: true, zero: !isData, data: isData, offset: g),
                   isData ? .rawData : .rawHole)
            g = next
        }
    }

    private func walkQcow2(layer i: Int, image: Qcow2Image, l1: [UInt64], from start: UInt64, to end: UInt64) throws(FormatError) {
        let header = image.header
        let shift = Self.l1Shift(header)
        var g = start
        while g < end {
            let l1Index = g >> shift
            // Past the L1 table nothing is allocated (qcow2_get_host_offset): one run to the end,
            // however large a hostile virtual size makes it.
            let inTable = l1Index < UInt64(l1.count)
            let tableEnd = inTable ? min(end, (l1Index + 1) << shift) : end
            let l2Offset = inTable ? l1[Int(l1Index)] & Qcow2.l1OffsetMask : 0
            // A walk over more than one table: announce the next tables (a remote source fetches
            // them together); a read inside one table reads only its pages.
            if inTable, !announcedL1[i].contains(l1Index), end - g > 1 << shift {
                announceTables(layer: i, image: image, l1: l1, from: l1Index, through: (end - 1) >> shift)
            }
            if l2Offset == 0 {
                try resolve(layer: i, Run(state: .unallocated, start: g, end: tableEnd, host: 0, hasHost: false))
            } else if l2Offset & (header.clusterSize - 1) != 0 {
                // l1Index < l1.count, and the L1 table was read whole from the file: inside it.
                let at = header.l1TableOffset &+ l1Index &* 8
                try refuse(.l1Table, at: at, "L2 table offset \(hex(l2Offset)) is not aligned to a cluster (L1 index \(l1Index))")
                try resolve(layer: i, Run(state: .invalid, start: g, end: tableEnd, host: 0, hasHost: false))
            } else {
                // Only the entries of [g, tableEnd) are read: a small guest read costs a page.
                let mask = header.l2Entries - 1
                let bits = UInt64(header.clusterBits)
                let first = Int((g >> bits) & mask) * header.l2EntrySize
                let last = Int(((tableEnd - 1) >> bits) & mask) * header.l2EntrySize
                let table = try l2Table(layer: i, image: image, at: l2Offset, bytes: first..<(last + header.l2EntrySize))
                try walkL2(layer: i, image: image, table: table.bytes, l2Offset: l2Offset, from: g, to: tableEnd)
            }
            g = tableEnd
        }
    }

    /// Turns a run of like (sub)clusters of layer `i` into map entries.
    func resolve(layer i: Int, _ run: Run) throws(FormatError) {
        // The two flags, not the layer: a copy of it costs a retain and release of each reference.
        let encrypted = layers[i].encrypted
        let preallocated = layers[i].metadataPreallocated
        let length = run.end - run.start
        guard length > 0 else { return }
        let host: UInt64? = run.hasHost && !encrypted ? run.host : nil
        func entry(present: Bool = true, zero: Bool, data: Bool, offset: UInt64?) -> GuestMapEntry {
            GuestMapEntry(start: run.start, length: length, depth: i, present: present, zero: zero, data: data, offset: offset)
        }
        switch run.state {
        case .data:
            if let host, preallocated, let probe = probe(i) {
                splitByHoles(layer: i, run: run, host: host, probe: probe)
            } else {
                report(entry(zero: false, data: true, offset: host), .data)
            }
        case .compressed: report(entry(zero: false, data: true, offset: nil), .compressed)
        case .zeroPlain: report(entry(zero: true, data: false, offset: nil), .zeroPlain)
        case .zeroAllocated: report(entry(zero: true, data: false, offset: host), .zeroAllocated)
        case .unallocated: try fallThrough(layer: i, from: run.start, to: run.end, host: host)
        case .invalid, .rawData, .rawHole: report(entry(zero: false, data: true, offset: nil), .invalid)
        }
    }

    /// Nothing in layer `i`: ask the backing layer, whose length QEMU checks first
    /// (`bdrv_co_block_status`: offset ≥ backing length reads as zero, not allocated).
    private func fallThrough(layer i: Int, from start: UInt64, to end: UInt64, host: UInt64?) throws(FormatError) {
        var zeroFrom = start
        if i + 1 < layers.count {
            let backingLength = layers[i + 1].length
            if start < backingLength { try walk(layer: i + 1, from: start, to: min(end, backingLength)) }
            zeroFrom = max(start, min(end, backingLength))
        }
        guard zeroFrom < end else { return }
        report(GuestMapEntry(start: zeroFrom, length: end - zeroFrom, depth: i, present: false, zero: true, data: false,
                             // A host offset (< 2^57) plus less than one L2 table's span (≤ 2^39).
                             offset: host.map { $0 &+ (zeroFrom - start) }), .unallocated)
    }

    /// Data clusters of a metadata-preallocated layer: holes of the host file (and anything past
    /// its end) read as zero, so QEMU adds BDRV_BLOCK_ZERO there and splits at hole boundaries.
    private func splitByHoles(layer i: Int, run: Run, host: UInt64, probe: HostExtentProbe) {
        var g = run.start
        var h = host
        while g < run.end {
            let (isData, extentEnd) = probe.extent(at: h)
            // A source that answers an extent ending at or before `h` must not stall the loop.
            let n = extentEnd > h ? min(run.end - g, extentEnd - h) : run.end - g
            report(GuestMapEntry(start: g, length: n, depth: i, present: true, zero: !isData, data: true, offset: h), .data)
            g += n
            h &+= n  // h stays within the run's host range: a masked offset plus one table's span.
        }
    }

    @inline(__always) private func report(_ entry: GuestMapEntry, _ state: GuestState) { emit(entry, state) }

    /// An entry QEMU signals as corruption: thrown when strict, else kept as a finding.
    func refuse(_ structure: Structure, at offset: UInt64, _ message: String) throws(FormatError) {
        if strict { throw FormatError(structure, at: offset, message) }
        if findings.count < Self.maxFindings { findings.append(Finding(.error, structure, at: offset, message)) }
    }

    private func probe(_ i: Int) -> HostExtentProbe? {
        if !probesOpened[i] {
            probesOpened[i] = true
            probes[i] = layers[i].host.map(HostExtentProbe.init)
        }
        return probes[i]
    }

    func l2Table(layer i: Int, image: Qcow2Image, at offset: UInt64, bytes range: Range<Int>) throws(FormatError) -> L2Buffer {
        let cache: L2TableCache
        if let existing = tables[i] {
            cache = existing
        } else {
            cache = L2TableCache(tableSize: Int(image.header.clusterSize), capacity: tablesPerLayer)
            tables[i] = cache
        }
        return try cache.table(at: offset, bytes: range, from: image.file)
    }
}
