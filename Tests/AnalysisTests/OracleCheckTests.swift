import Analysis
import Foundation
import Qcow2
import Reports
import TestSupport
import Testing

/// Images made by qemu-img/qemu-io in many shapes, some hand-damaged: `qcowscope check` must give
/// `qemu-img check`'s numbers and exit status, and `compact-size` must be `qemu-img measure`'s
/// `required`.
@Suite(.enabled(if: Tools.qemu, "needs qemu-img and qemu-io on PATH"))
struct OracleCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Shell commands that make img.qcow2 in an empty directory.
        var make: String
        /// How qemu-img opens it, when `-f qcow2 img.qcow2` is not enough (LUKS needs its key).
        var open: String? = nil
        var testDescription: String { name }
    }

    static let secret = "--object secret,id=sec0,data=abc123 --image-opts driver=qcow2,file.filename=img.qcow2,encrypt.key-secret=sec0"

    static let base: [Case] = [
        Case(name: "plain", make: "qemu-img create -q -f qcow2 img.qcow2 64M && qemu-io -c 'write -P 1 0 1M' -c 'write -P 2 8M 64k' -c 'write -P 3 4M 256k' img.qcow2"),
        Case(name: "snapshots", make: """
            qemu-img create -q -f qcow2 img.qcow2 16M && qemu-io -c 'write -P 1 0 2M' img.qcow2 && qemu-img snapshot -c s1 img.qcow2 \
            && qemu-io -c 'write -P 2 512k 1M' img.qcow2 && qemu-img snapshot -c s2 img.qcow2 && qemu-io -c 'write -P 3 1M 3M' img.qcow2 \
            && qemu-img snapshot -c s3 img.qcow2 && qemu-io -c 'write -P 4 0 64k' img.qcow2 && qemu-img snapshot -d s2 img.qcow2
            """),
        Case(name: "bitmaps", make: """
            qemu-img create -q -f qcow2 img.qcow2 32M && qemu-img bitmap --add img.qcow2 b1 && qemu-img bitmap --add -g 4096 img.qcow2 b2 \
            && qemu-io -c 'write -P 1 0 3M' -c 'write -P 2 20M 128k' img.qcow2 && qemu-img bitmap --add --disable img.qcow2 b3
            """),
        Case(name: "chain", make: """
            qemu-img create -q -f qcow2 base.qcow2 16M && qemu-io -c 'write -P 1 0 4M' base.qcow2 \
            && qemu-img create -q -f qcow2 -b base.qcow2 -F qcow2 img.qcow2 && qemu-io -c 'write -P 2 1M 1M' -c 'write -z 2M 512k' img.qcow2
            """),
        Case(name: "extl2", make: """
            qemu-img create -q -f qcow2 -o extended_l2=on img.qcow2 8M && qemu-io -c 'write -P 1 0 4k' -c 'write -P 2 70k 8k' \
            -c 'write -z 64k 4k' -c 'write -z 1M 64k' -c 'write -P 3 2M 192k' img.qcow2
            """),
        Case(name: "zlib", make: "qemu-img create -q -f qcow2 img.qcow2 8M && qemu-io -c 'write -c -P 1 0 64k' -c 'write -c -P 2 128k 64k' -c 'write -P 3 1M 64k' img.qcow2"),
        Case(name: "zstd", make: "qemu-img create -q -f qcow2 -o compression_type=zstd img.qcow2 8M && qemu-io -c 'write -c -P 1 0 64k' -c 'write -c -P 5 4M 64k' img.qcow2"),
        Case(name: "datafile", make: "qemu-img create -q -f qcow2 -o data_file=img.data img.qcow2 4M && qemu-io -c 'write -P 1 0 1M' -c 'write -P 2 3M 64k' img.qcow2"),
        Case(name: "luks", make: """
            qemu-img create -q -f qcow2 --object secret,id=sec0,data=abc123 -o encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10 img.qcow2 4M \
            && qemu-io --object secret,id=sec0,data=abc123 --image-opts driver=qcow2,file.filename=img.qcow2,encrypt.key-secret=sec0 -c 'write -P 1 0 256k'
            """, open: secret),
        Case(name: "rc1", make: "qemu-img create -q -f qcow2 -o refcount_bits=1 img.qcow2 4M && qemu-io -c 'write -P 1 0 1M' img.qcow2"),
        Case(name: "rc8-snap", make: "qemu-img create -q -f qcow2 -o refcount_bits=8 img.qcow2 4M && qemu-io -c 'write -P 1 0 1M' img.qcow2 && qemu-img snapshot -c s img.qcow2 && qemu-io -c 'write -P 2 0 64k' img.qcow2"),
        Case(name: "rc64-snap", make: "qemu-img create -q -f qcow2 -o refcount_bits=64 img.qcow2 4M && qemu-io -c 'write -P 1 0 1M' img.qcow2 && qemu-img snapshot -c s img.qcow2 && qemu-io -c 'write -P 2 0 64k' img.qcow2"),
        Case(name: "c512", make: "qemu-img create -q -f qcow2 -o cluster_size=512 img.qcow2 2M && qemu-io -c 'write -P 1 0 100k' -c 'write -P 2 1M 3k' img.qcow2"),
        Case(name: "c4k-snap", make: "qemu-img create -q -f qcow2 -o cluster_size=4k img.qcow2 16M && qemu-io -c 'write -P 1 0 3M' img.qcow2 && qemu-img snapshot -c s img.qcow2 && qemu-io -c 'write -P 2 1M 1M' img.qcow2"),
        Case(name: "c2m", make: "qemu-img create -q -f qcow2 -o cluster_size=2M img.qcow2 32M && qemu-io -c 'write -P 1 0 3M' -c 'write -c -P 2 8M 2M' img.qcow2"),
        Case(name: "prealloc-meta", make: "qemu-img create -q -f qcow2 -o preallocation=metadata img.qcow2 8M && qemu-io -c 'write -P 1 1M 64k' img.qcow2"),
        Case(name: "prealloc-falloc", make: "qemu-img create -q -f qcow2 -o preallocation=falloc img.qcow2 4M"),
        Case(name: "v2-snap", make: "qemu-img create -q -f qcow2 -o compat=0.10 img.qcow2 4M && qemu-io -c 'write -P 1 0 256k' img.qcow2 && qemu-img snapshot -c s img.qcow2 && qemu-io -c 'write -z 0 64k' img.qcow2"),
        Case(name: "lazy-dirty", make: "qemu-img create -q -f qcow2 -o lazy_refcounts=on img.qcow2 4M && qemu-io -c 'write -P 1 0 192k' -c flush -c abort img.qcow2 || true"),
    ]

    /// Damage from qcow2tool.py applied to copies of some of the images above.
    static let damaged: [Case] = ["plain", "snapshots", "c4k-snap", "rc8-snap"].flatMap { name -> [Case] in
        guard let recipe = base.first(where: { $0.name == name }) else { return [] }
        return ["leak", "zero-refcount", "l2-past-eof", "l2-shared", "truncate-data", "truncate-l2"].map { damage in
            Case(name: "\(name)+\(damage)", make: recipe.make + " && python3 '\(QemuOracle.damageTool)' \(damage) img.qcow2")
        }
    }

    static let all = base + damaged

    @Test(arguments: all)
    func checkMatchesQemu(_ c: Case) throws {
        let dir = try Tools.temporaryDirectory("qcowscope-analysis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try QemuOracle.make(c.make, in: dir)
        try #require(FileManager.default.fileExists(atPath: dir + "/img.qcow2"), "\(c.name): \(made.stderr)")
        let (status, expected) = try QemuOracle.check("img.qcow2", in: dir, openArguments: c.open)
        let analysis = try ImageAnalysis.scan(try Qcow2Image(path: dir + "/img.qcow2"))
        #expect(analysis.check.exitStatus == status, "\(c.name): \(analysis.couldNotCheck)")
        if let expected {
            #expect(qemuCheckValues(analysis, filename: "img.qcow2") == expected, "\(c.name)")
        }
    }

    @Test(arguments: base)
    func compactSizeMatchesMeasure(_ c: Case) throws {
        let dir = try Tools.temporaryDirectory("qcowscope-analysis")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try QemuOracle.make(c.make, in: dir)
        let required = try #require(try QemuOracle.measureRequired("img.qcow2", in: dir, openArguments: c.open), "\(c.name)")
        let image = try Qcow2Image(path: dir + "/img.qcow2")
        let size = try CompactSize.measure(GuestMap(chain: BackingChain.open(top: image)))
        #expect(size.required == required, "\(c.name)")
    }
}
