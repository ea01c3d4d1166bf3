import Foundation
import Qcow2

/// Locates the fixture images made by Tests/Fixtures/make-fixtures.sh, relative to this file.
enum Fixtures {
    static let root: String = {
        let file = "\(#filePath)"
        let testsDir = file.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
        return testsDir + "/Fixtures"
    }()

    static func path(_ name: String) -> String { root + "/images/" + name }

    static func open(_ name: String, limits: DecodingLimits = DecodingLimits()) throws -> Qcow2Image {
        try Qcow2Image(path: path(name), limits: limits)
    }

    /// The standard L2 entry (and extended bitmap) mapping `guestOffset` in the active L1 table.
    static func l2Entry(_ image: Qcow2Image, guestOffset: UInt64) throws -> L2Entry? {
        let h = image.header
        let l1 = try image.readL1Table()
        let l1Index = Int(guestOffset / h.bytesPerL1Entry)
        guard l1Index < l1.count else { return nil }
        let l2Offset = L1Entry(raw: l1[l1Index]).l2Offset
        guard l2Offset != 0 else { return nil }
        let index = Int((guestOffset % h.bytesPerL1Entry) / h.clusterSize)
        let bytes = try image.file.readBytes(h.l2EntrySize, at: l2Offset + UInt64(index * h.l2EntrySize), for: .l2Table)
        let r = ByteReader(bytes, baseOffset: 0, structure: .l2Table)
        return L2Entry(raw: try r.getU64(at: 0), bitmap: h.hasExtendedL2 ? try r.getU64(at: 8) : 0)
    }
}

/// A fresh temporary directory for files a test writes (never a fixture: those are only read).
func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Writes `bytes` to a new temporary file and returns its path.
func writeTemporaryFile(_ bytes: [UInt8], name: String = "image.qcow2") throws -> String {
    let path = try temporaryDirectory() + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}
