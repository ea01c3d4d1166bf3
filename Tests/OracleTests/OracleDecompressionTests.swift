import Foundation
import Qcow2
import Testing
import TestSupport

/// Compressed clusters written by qemu-io, decoded by ``Qcow2Image/readCompressedCluster(_:)``,
/// compared with the guest data `qemu-img convert -O raw` produces: every codec at every cluster
/// size from 512 B to 2 MiB.
@Suite(.enabled(if: Tools.qemu, "qemu-img and qemu-io are not on PATH"))
struct OracleDecompressionTests {
    static let cases: [(String, Int)] = ["zlib", "zstd"].flatMap { codec in
        [512, 4096, 65536, 2 << 20].map { (codec, $0) }
    }

    /// Text-like bytes that compress to a few sectors per cluster (not to a single run).
    static func text(count: Int, seed: UInt64) -> [UInt8] {
        let words = ["qcow2", "cluster", "refcount", "snapshot", "bitmap", "L2", "zero", "guest", "host", "offset"]
        var state = seed
        var out: [UInt8] = []
        out.reserveCapacity(count + 16)
        while out.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out += Array(words[Int(state >> 33) % words.count].utf8) + [0x20]
        }
        return Array(out.prefix(count))
    }

    @Test(arguments: cases)
    func compressedClustersDecodeToTheWrittenData(codec: String, clusterSize: Int) throws {
        let dir = try Tools.temporaryDirectory("qcowscope-oracle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clusters = clusterSize >= 1 << 20 ? 2 : 8
        let length = clusterSize * clusters
        // One pattern file per cluster: qemu-io's -s always reads its file from the start.
        for c in 0..<clusters {
            try Data(Self.text(count: clusterSize, seed: UInt64(clusterSize + c))).write(to: URL(fileURLWithPath: dir + "/pattern\(c)"))
        }
        let steps: [[String]] = [
            ["qemu-img", "create", "-q", "-f", "qcow2", "-o", "cluster_size=\(clusterSize),compression_type=\(codec)", "i.qcow2", "\(length * 2)"],
            // One cluster per write keeps the file layout deterministic (QEMU compresses in threads).
        ] + (0..<clusters).map { c in
            ["qemu-io", "-f", "qcow2", "-c", "write -c -s pattern\(c) \(c * clusterSize) \(clusterSize)", "i.qcow2"]
        } + [["qemu-img", "convert", "-f", "qcow2", "-O", "raw", "i.qcow2", "i.raw"]]
        for step in steps {
            let result = try Tools.run(step, in: dir)
            try #require(result.status == 0, "\(step.joined(separator: " ")): \(result.stderr)")
        }
        let raw = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/i.raw")))
        let image = try Qcow2Image(path: dir + "/i.qcow2")
        #expect(image.header.compression?.qemuName == codec)
        let entries = try Self.l2Entries(image, clusters: clusters)
        #expect(Set(stride(from: 0, to: raw.count / 2, by: clusterSize).map { raw[$0..<$0 + clusterSize] }).count == clusters)
        var compressed = 0
        for (index, entry) in entries.enumerated() where entry.isCompressed {
            let data = try image.readCompressedCluster(entry)
            #expect(data == Array(raw[(index * clusterSize)..<((index + 1) * clusterSize)]), "cluster \(index)")
            compressed += 1
        }
        #expect(compressed == clusters)
    }

    /// The first `clusters` L2 entries of the active table (all within the first L2 table here).
    static func l2Entries(_ image: Qcow2Image, clusters: Int) throws -> [L2Entry] {
        let h = image.header
        var entries: [L2Entry] = []
        let l1 = try image.readL1Table()
        for guest in 0..<clusters {
            let offset = UInt64(guest) * h.clusterSize
            let l2 = L1Entry(raw: l1[Int(offset / h.bytesPerL1Entry)]).l2Offset
            let index = (offset % h.bytesPerL1Entry) / h.clusterSize
            let bytes = try image.file.readBytes(8, at: l2 + index * UInt64(h.l2EntrySize), for: .l2Table)
            entries.append(L2Entry(raw: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }))
        }
        return entries
    }
}
