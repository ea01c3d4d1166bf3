import Qcow2
import Testing

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Analysis
import TestSupport

/// `compact-size` is exactly what `qemu-img measure -O qcow2` reports as `required`.
///
/// QEMU's answer depends on how the files are stored, not only on their bytes: `qcow2_measure`
/// asks the host file for holes (block status, SEEK_DATA/SEEK_HOLE) and counts a hole as zeros,
/// and its metadata-preallocation guess compares the blocks the file occupies with its refcounts.
/// make-fixtures.sh recorded its answers on files written without holes, while a git checkout
/// makes a hole wherever a 16 KiB piece of a file is all zeros (git's streaming checkout seeks
/// over them); 7 fixtures then measure smaller (c2m, chain-mid, chain-top, corrupt-l2-past-eof,
/// corrupt-truncated-l2, datafile-raw, prealloc-meta). So each fixture is held against:
/// - the recorded answer, on a copy written without holes (the state it was recorded in), with
///   or without QEMU;
/// - a live `qemu-img measure`, on the files as checked out and on a copy where every zero block
///   is a hole, when qemu-img is on PATH.
@Suite struct CompactSizeTests {
    static var measured: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.root + "/expected")) ?? []
        return names.filter { $0.hasSuffix(".measure.json") }.map { String($0.dropLast(".measure.json".count)) }.sorted()
    }

    @Test(.enabled(if: FixtureCopy.temporaryFilesStayDense, "the temporary directory's file system makes holes of zeros by itself"),
          arguments: measured)
    func matchesRecordedAnswerWithoutHoles(_ name: String) throws {
        let expected = try #require(Fixtures.json("\(name).measure.json"))
        let copy = try FixtureCopy(name, holes: false)
        defer { copy.remove() }
        let size = try Self.compactSize(copy.image)
        #expect(size.required == (expected["required"] as? NSNumber)?.uint64Value, "\(name)")
        #expect(size.fullyAllocated == (expected["fully-allocated"] as? NSNumber)?.uint64Value, "\(name)")
    }

    @Test(.enabled(if: Tools.qemu, "needs qemu-img on PATH"), arguments: measured)
    func matchesLiveMeasureAsCheckedOut(_ name: String) throws {
        let live = try #require(try QemuOracle.measureRequired("\(name).qcow2", in: Fixtures.root + "/images",
                                                                openArguments: Self.openArguments(name)), "\(name)")
        #expect(try Self.compactSize(Fixtures.image("\(name).qcow2")).required == live, "\(name)")
    }

    @Test(.enabled(if: Tools.qemu, "needs qemu-img on PATH"), arguments: measured)
    func matchesLiveMeasureWithHoles(_ name: String) throws {
        let copy = try FixtureCopy(name, holes: true)
        defer { copy.remove() }
        let live = try #require(try QemuOracle.measureRequired("\(name).qcow2", in: copy.directory,
                                                                openArguments: Self.openArguments(name)), "\(name)")
        #expect(try Self.compactSize(copy.image).required == live, "\(name)")
    }

    static func compactSize(_ path: String) throws -> CompactSize {
        let image = try Qcow2Image(path: path)
        return try CompactSize.measure(GuestMap(chain: BackingChain.open(top: image)))
    }

    /// How qemu-img opens the fixture: the LUKS one needs its passphrase (make-fixtures.sh).
    static func openArguments(_ name: String) -> String? {
        guard name == "luks" else { return nil }
        return "--object secret,id=sec0,data=abc123 --image-opts driver=qcow2,file.filename=luks.qcow2,encrypt.key-secret=sec0"
    }

    /// qcow2_calc_prealloc_size for sizes where QEMU's answer is known.
    @Test func preallocationFormula() {
        #expect(CompactSize.preallocatedSize(virtualSize: 100 << 20, clusterSize: 65536, refcountOrder: 4, extendedL2: false) == 105_185_280)
    }
}

/// A fixture copied into a temporary directory with the files it opens (backing chain, external
/// data file) under the same names, either with every byte written or with every all-zero 4 KiB
/// block left as a hole (`cp --sparse=always`).
struct FixtureCopy {
    let directory: String
    let image: String

    init(_ name: String, holes: Bool) throws {
        directory = try Tools.temporaryDirectory("qcowscope-compact")
        image = directory + "/\(name).qcow2"
        for file in try Self.files(of: name) {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.image(file)))
            try Self.write(data, to: directory + "/" + file, holes: holes)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The names (in the fixture directory) of the image, its backing files and data files.
    static func files(of name: String) throws -> [String] {
        let chain = BackingChain.open(top: try Qcow2Image(path: Fixtures.image("\(name).qcow2")))
        var files = chain.layers.map { URL(fileURLWithPath: $0.path).lastPathComponent }
        for layer in chain.layers {
            if let data = layer.image?.dataFileName { files.append(URL(fileURLWithPath: data.string).lastPathComponent) }
        }
        return files
    }

    static let block = 4096

    static func write(_ data: Data, to path: String, holes: Bool) throws {
        guard holes else {
            guard FileManager.default.createFile(atPath: path, contents: data) else { throw CocoaError(.fileWriteUnknown) }
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let ok = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            for start in stride(from: 0, to: bytes.count, by: block) {
                let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + block, bytes.count)])
                if piece.allSatisfy({ $0 == 0 }) { continue }
                guard pwrite(fd, piece.baseAddress, piece.count, off_t(start)) == piece.count else { return false }
            }
            return ftruncate(fd, off_t(bytes.count)) == 0
        }
        guard ok else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Whether a file written with every byte keeps every block in the temporary directory (not so
    /// on file systems that turn zeros into holes, such as ZFS or btrfs with compression): only
    /// then can a copy be put back in the state the recorded answers were made in.
    static let temporaryFilesStayDense: Bool = {
        guard let directory = try? Tools.temporaryDirectory("qcowscope-compact") else { return false }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/zeros"
        guard FileManager.default.createFile(atPath: path, contents: Data(count: 16 * block)) else { return false }
        var info = stat()
        return stat(path, &info) == 0 && Int64(info.st_blocks) * 512 >= Int64(info.st_size)
    }()
}
