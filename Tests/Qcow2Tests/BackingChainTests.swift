import Foundation
import Testing
@testable import Qcow2

@Suite struct BackingChainTests {
    @Test func fixtureChainTopMidRaw() throws {
        let top = try Fixtures.open("chain-top.qcow2")
        #expect(top.backingFileName == "chain-mid.qcow2")
        #expect(top.backingFormat == "qcow2")
        let chain = BackingChain.open(top: top)
        #expect(chain.findings.isEmpty)
        #expect(chain.layers.map(\.depth) == [0, 1, 2])
        #expect(chain.layers.map(\.format) == ["qcow2", "qcow2", "raw"])
        #expect(chain.layers[1].path == Fixtures.path("chain-mid.qcow2"))
        #expect(chain.layers[2].path == Fixtures.path("chain-base.raw"))
        #expect(chain.layers[2].image == nil)
        #expect(chain.layers[2].file.size == 1 << 20)
    }

    @Test func noBackingStopsAtTheTop() throws {
        let chain = BackingChain.open(top: try Fixtures.open("chain-top.qcow2", limits: .noBacking))
        #expect(chain.layers.count == 1)
        #expect(chain.findings.isEmpty)
    }

    @Test func pathCombineAsQEMU() {
        #expect(BackingChain.resolve("../base.qcow2", relativeTo: "sub/mid.qcow2") == "sub/../base.qcow2")
        #expect(BackingChain.resolve("b.qcow2", relativeTo: "top.qcow2") == "b.qcow2")
        #expect(BackingChain.resolve("/abs/b", relativeTo: "/x/y/top") == "/abs/b")
        #expect(BackingChain.resolve("b", relativeTo: "/x/y/top") == "/x/y/b")
        #expect(BackingChain.hasProtocol("nbd://host/x"))
        #expect(BackingChain.hasProtocol("json:{}"))
        #expect(!BackingChain.hasProtocol("dir/a:b"))
    }

    /// Writes a synthetic qcow2 naming `backing` (with an optional format extension).
    static func write(_ path: String, backing: String?, format: String? = "qcow2") throws {
        var s = SyntheticImage()
        s.clusters = 1
        s.clusterBits = 12
        s.l1TableOffset = 0
        s.refcountTableOffset = 0
        if let format { s.extensions = [(HeaderExtensionType.backingFileFormat.rawValue, Array(format.utf8))] }
        s.backingName = backing.map { Array($0.utf8) }
        try Data(s.bytes()).write(to: URL(fileURLWithPath: path))
    }

    @Test func relativeNamesResolveAgainstTheNamingImage() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try Self.write(dir + "/base.qcow2", backing: nil)
        try Self.write(dir + "/sub/mid.qcow2", backing: "../base.qcow2")
        try Self.write(dir + "/top.qcow2", backing: "sub/mid.qcow2")
        let chain = BackingChain.open(top: try Qcow2Image(path: dir + "/top.qcow2"))
        #expect(chain.findings.isEmpty)
        #expect(chain.layers.map(\.path) == [dir + "/top.qcow2", dir + "/sub/mid.qcow2", dir + "/sub/../base.qcow2"])
    }

    @Test func loopIsDetected() throws {
        let dir = try temporaryDirectory()
        try Self.write(dir + "/a.qcow2", backing: "b.qcow2")
        try Self.write(dir + "/b.qcow2", backing: "./a.qcow2")
        let chain = BackingChain.open(top: try Qcow2Image(path: dir + "/a.qcow2"))
        #expect(chain.layers.count == 2)
        #expect(chain.stop == .loop)
        // An image naming itself.
        try Self.write(dir + "/self.qcow2", backing: "self.qcow2")
        let selfChain = BackingChain.open(top: try Qcow2Image(path: dir + "/self.qcow2"))
        #expect(selfChain.layers.count == 1)
        #expect(selfChain.stop == .loop)
    }

    @Test func missingBackingFileIsAFinding() throws {
        let dir = try temporaryDirectory()
        try Self.write(dir + "/top.qcow2", backing: "missing.qcow2")
        let chain = BackingChain.open(top: try Qcow2Image(path: dir + "/top.qcow2"))
        #expect(chain.layers.count == 1)
        let finding = try #require(chain.findings.first)
        #expect(finding.structure == .backingFile && finding.severity == .error)
        #expect(chain.stop == .missing(dir + "/missing.qcow2") && chain.stop?.stopsQemu == true)
    }

    @Test func fifoAndDirectoryAreNotOpened() throws {
        let dir = try temporaryDirectory()
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        try Self.write(dir + "/top.qcow2", backing: "pipe", format: "raw")
        let chain = BackingChain.open(top: try Qcow2Image(path: dir + "/top.qcow2"))
        #expect(chain.layers.count == 1)
        guard case .unopenable(let kind)? = chain.stop else { Issue.record("stop: \(String(describing: chain.stop))"); return }
        #expect(kind.isNotRegularFile && chain.stop?.stopsQemu == false)
        try Self.write(dir + "/top2.qcow2", backing: ".", format: "raw")
        #expect(BackingChain.open(top: try Qcow2Image(path: dir + "/top2.qcow2")).layers.count == 1)
    }

    @Test func depthLimit() throws {
        let dir = try temporaryDirectory()
        for i in 0..<10 { try Self.write(dir + "/l\(i).qcow2", backing: i == 9 ? nil : "l\(i + 1).qcow2") }
        var limits = DecodingLimits()
        limits.maxBackingDepth = 4
        let chain = BackingChain.open(top: try Qcow2Image(path: dir + "/l0.qcow2", limits: limits))
        #expect(chain.layers.count == 5)
        #expect(chain.stop == .tooDeep)
        #expect(BackingChain.open(top: try Qcow2Image(path: dir + "/l0.qcow2")).layers.count == 10)
    }

    @Test func probedAndUnsupportedFormats() throws {
        let dir = try temporaryDirectory()
        try Data([UInt8](repeating: 7, count: 4096)).write(to: URL(fileURLWithPath: dir + "/disk.img"))
        try Self.write(dir + "/q.qcow2", backing: nil)
        try Self.write(dir + "/probe-raw.qcow2", backing: "disk.img", format: nil)
        try Self.write(dir + "/probe-qcow2.qcow2", backing: "q.qcow2", format: nil)
        try Self.write(dir + "/vmdk.qcow2", backing: "disk.img", format: "vmdk")
        try Self.write(dir + "/lie.qcow2", backing: "disk.img", format: "qcow2")
        let raw = BackingChain.open(top: try Qcow2Image(path: dir + "/probe-raw.qcow2"))
        #expect(raw.layers.map(\.format) == ["qcow2", "raw"])
        #expect(raw.findings.contains { $0.severity == .info && $0.message.contains("probed as raw") })
        #expect(BackingChain.open(top: try Qcow2Image(path: dir + "/probe-qcow2.qcow2")).layers.map(\.format) == ["qcow2", "qcow2"])
        let vmdk = BackingChain.open(top: try Qcow2Image(path: dir + "/vmdk.qcow2"))
        #expect(vmdk.layers.count == 1 && vmdk.stop == .unsupportedFormat("vmdk"))
        let lie = BackingChain.open(top: try Qcow2Image(path: dir + "/lie.qcow2"))
        #expect(lie.layers.count == 1 && lie.stop == .unreadable(.badMagic(0x0707_0707, looksLike: nil)))
    }

    @Test func dataFileFixtures() throws {
        #expect(try Fixtures.open("v3.qcow2").openDataFile() == nil)
        let image = try Fixtures.open("datafile.qcow2")
        #expect(image.dataFileName == "datafile.data")
        // QEMU opens the name relative to the working directory; qcowscope falls back to the image's directory.
        let file = try #require(image.openDataFile()).get()
        #expect(file.size == 1 << 20)
        #expect(try Fixtures.open("datafile-raw.qcow2").header.dataFileIsRaw)
    }

    @Test func missingDataFileIsAFailure() throws {
        var s = SyntheticImage()
        s.incompatible = IncompatibleFeature.externalDataFile.mask
        #expect(throws: FormatError.self) { try #require(try s.open().openDataFile()).get() }
        s.extensions = [(HeaderExtensionType.externalDataFile.rawValue, Array("nowhere.data".utf8))]
        let result = try #require(try s.open().openDataFile())
        guard case .failure(let error) = result else { Issue.record("opened a missing data file"); return }
        guard case .cannotOpen(let what, let because) = error.kind else { Issue.record("kind: \(error.kind)"); return }
        #expect(error.structure == .dataFile && what == "data file nowhere.data" && because.isMissingFile)
    }
}
