import Qcow2

/// Reads one bitmap's table and data clusters and turns set bits into guest ranges, as QEMU's
/// `load_bitmap_data` (qcow2-bitmap.c) fills a dirty bitmap: table entry `i` covers guest bytes
/// `[i * cluster_size * 8 * granularity, …)`; an unallocated entry reads as all zeros, or all
/// ones when its bit 0 is set; bit `n` of the data is bit `n % 8` of byte `n / 8` (spec, "Bitmap
/// data").
///
/// Bounded: the table read is checked against the file size, data clusters are read one at a time
/// into one buffer, and the bits are scanned a 64-bit word at a time — all-zero and all-one words
/// cost one comparison — so a 4 TiB disk at 64 KiB granularity (8 MiB of bitmap) decodes in
/// milliseconds.
struct BitmapDecoder {
    let entry: BitmapDirectoryEntry
    let image: Qcow2Image
    let virtualSize: UInt64
    var findings: [Finding] = []
    private(set) var extents: [DirtyExtent] = []
    /// First bit of the open run of ones, if any.
    private var runStart: UInt64?
    private var granularity: UInt64 = 0

    init(entry: BitmapDirectoryEntry, image: Qcow2Image) {
        self.entry = entry
        self.image = image
        virtualSize = image.header.size & ~UInt64(511)
    }

    private mutating func note(_ severity: Finding.Severity, _ structure: Structure, at offset: UInt64, _ message: String) {
        guard findings.count < 100 else { return }
        findings.append(Finding(severity, structure, at: offset, "bitmap \"\(entry.name.escaped)\": \(message)"))
    }

    /// Decodes the whole bitmap; false when nothing could be.
    mutating func run() -> Bool {
        let header = image.header
        if entry.isInUse {
            note(.warning, .bitmapDirectory, at: entry.entryOffset, "flag in_use is set: the bitmap was not saved cleanly and QEMU refuses it")
        }
        guard header.hasUsableGeometry, let g = entry.granularity,
              (Qcow2.minBitmapGranularityBits...Qcow2.maxBitmapGranularityBits).contains(entry.granularityBits) else {
            return false
        }
        granularity = g
        let table: [BitmapTableEntry]
        do {
            table = try image.readBitmapTable(of: entry)
        } catch {
            findings.append(Finding(error))
            return false
        }
        let clusterSize = header.clusterSize
        let bitsPerCluster = clusterSize * 8
        let totalBits = virtualSize / g + (virtualSize % g == 0 ? 0 : 1)
        var buffer = [UInt8](repeating: 0, count: Int(clusterSize))
        for (i, item) in table.enumerated() {
            let firstBit = UInt64(i) * bitsPerCluster
            guard firstBit < totalBits else { break }
            let bits = min(bitsPerCluster, totalBits - firstBit)
            let at = entry.tableOffset &+ UInt64(i) * 8
            if item.hasReservedBits {
                note(.error, .bitmapTable, at: at, "table entry \(i) (\(hex(item.raw))) has reserved bits set")
            }
            let dataOffset = item.dataOffset
            if dataOffset == 0 {
                if item.readsAsAllOnes { setOnes(from: firstBit) } else { setZeros(at: firstBit) }
                continue
            }
            if dataOffset & (clusterSize - 1) != 0 {
                note(.error, .bitmapTable, at: at, "data cluster offset \(hex(dataOffset)) is not aligned to a cluster")
            }
            let (end, overflow) = dataOffset.addingReportingOverflow(clusterSize)
            if overflow || end > image.file.size {
                note(.error, .bitmapData, at: dataOffset, "data cluster of table entry \(i) lies past the end of the file; read as zeros")
            }
            let read = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(FormatError) -> Int in try image.file.readZeroFilled(into: raw, at: dataOffset) }
            }
            if case .failure(let error) = read {
                findings.append(Finding(error))
                setZeros(at: firstBit)
                continue
            }
            buffer.withUnsafeBytes { scan($0, firstBit: firstBit, bits: bits) }
        }
        let needed = totalBits / bitsPerCluster + (totalBits % bitsPerCluster == 0 ? 0 : 1)
        if UInt64(table.count) < needed {
            // QEMU refuses such a bitmap; what is missing reads as clean here.
            setZeros(at: UInt64(table.count) * bitsPerCluster)
        }
        close(at: totalBits)
        return true
    }

    /// Scans `bits` bits of one data cluster, a word at a time.
    private mutating func scan(_ data: UnsafeRawBufferPointer, firstBit: UInt64, bits: UInt64) {
        let words = bits / 64
        var w: UInt64 = 0
        while w < words {
            let word = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: Int(w) * 8, as: UInt64.self))
            let base = firstBit + w * 64
            w += 1
            if word == 0 {
                if runStart != nil { close(at: base) }
            } else if word == .max {
                if runStart == nil { runStart = base }
            } else {
                scanWord(word, base: base, width: 64)
            }
        }
        let tail = bits % 64
        guard tail > 0 else { return }
        // The last bits of the disk: gather them byte by byte (the word may run past the cluster).
        var word: UInt64 = 0
        let tailBytes = Int((tail + 7) / 8)
        for b in 0..<tailBytes { word |= UInt64(data[Int(words) * 8 + b]) << UInt64(b * 8) }
        scanWord(word, base: firstBit + words * 64, width: tail)
    }

    /// Opens and closes runs at each change of bit value within the low `width` bits of `word`.
    private mutating func scanWord(_ word: UInt64, base: UInt64, width: UInt64) {
        var position: UInt64 = 0
        while position < width {
            let mask = UInt64.max << position
            if runStart != nil {
                let zeros = ~word & mask
                if zeros == 0 { return }
                let next = UInt64(zeros.trailingZeroBitCount)
                if next >= width { return }
                close(at: base + next)
                position = next
            } else {
                let ones = word & mask
                if ones == 0 { return }
                let next = UInt64(ones.trailingZeroBitCount)
                if next >= width { return }
                runStart = base + next
                position = next
            }
        }
    }

    private mutating func setOnes(from bit: UInt64) {
        if runStart == nil { runStart = bit }
    }

    private mutating func setZeros(at bit: UInt64) {
        if runStart != nil { close(at: bit) }
    }

    /// Ends the open run before bit `bit`, as guest bytes clipped to the disk.
    private mutating func close(at bit: UInt64) {
        guard let start = runStart else { return }
        runStart = nil
        let first = start.multipliedReportingOverflow(by: granularity)
        let last = bit.multipliedReportingOverflow(by: granularity)
        let from = first.overflow ? virtualSize : min(first.partialValue, virtualSize)
        let to = last.overflow ? virtualSize : min(last.partialValue, virtualSize)
        guard from < to else { return }
        if let previous = extents.last, previous.end == from {
            extents[extents.count - 1].length += to - from
        } else {
            extents.append(DirtyExtent(start: from, length: to - from))
        }
    }
}
