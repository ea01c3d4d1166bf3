/// The matrix of images the oracle suite makes with qemu-img / qemu-io and asks both tools about.
enum OracleMatrix {
    typealias C = OracleCase

    static let writes = ["write -P 0x11 0 64k", "write -P 0x22 1M 8k", "write -z 2M 64k"]

    /// Every cluster size QEMU opens, version 3 and version 2.
    static let clusterSizes: [OracleCase] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144,
                                             524288, 1 << 20, 2 << 20].flatMap { size -> [OracleCase] in
        [C(name: "cluster \(size) v3", steps: [C.create("i.qcow2", "8M", ["cluster_size=\(size)"]), C.io("i.qcow2", writes)],
           image: "i.qcow2"),
         C(name: "cluster \(size) v2", steps: [C.create("i.qcow2", "8M", ["cluster_size=\(size)", "compat=0.10"]),
                                               C.io("i.qcow2", writes)], image: "i.qcow2")]
    }

    /// refcount_bits 1 ... 64.
    static let refcountWidths: [OracleCase] = [1, 2, 4, 8, 16, 32, 64].map { bits in
        C(name: "refcount bits \(bits)", steps: [C.create("i.qcow2", "4M", ["refcount_bits=\(bits)"]), C.io("i.qcow2", writes)],
          image: "i.qcow2")
    }

    static let extendedL2: [OracleCase] = ["16k", "64k", "2M"].map { size in
        C(name: "extended_l2 \(size)", steps: [C.create("i.qcow2", "8M", ["extended_l2=on", "cluster_size=\(size)"]),
                                              C.io("i.qcow2", ["write -P 1 0 2k", "write -z 64k 4k"])], image: "i.qcow2")
    }

    static let compression: [OracleCase] = [
        C(name: "compressed zlib", steps: [C.create("i.qcow2", "4M"), C.io("i.qcow2", ["write -c -P 0x33 0 64k", "write -c -P 0x34 64k 64k"])],
          image: "i.qcow2"),
        C(name: "compressed zstd", steps: [C.create("i.qcow2", "4M", ["compression_type=zstd"]), C.io("i.qcow2", ["write -c -P 0x35 0 64k"])],
          image: "i.qcow2"),
        C(name: "zstd extended_l2", steps: [C.create("i.qcow2", "4M", ["compression_type=zstd", "extended_l2=on"]),
                                            C.io("i.qcow2", ["write -c -P 0x36 0 64k"])], image: "i.qcow2"),
    ]

    static let snapshots: [OracleCase] = [
        C(name: "snapshots v3", steps: [C.create("i.qcow2", "4M"), C.io("i.qcow2", writes), C.tool("qemu-img", "snapshot", "-c", "one", "i.qcow2"),
                                        C.io("i.qcow2", ["write -P 0x44 0 4k"]), C.tool("qemu-img", "snapshot", "-c", "two", "i.qcow2"),
                                        C.tool("qemu-img", "snapshot", "-c", "three", "i.qcow2"),
                                        C.tool("qemu-img", "snapshot", "-d", "two", "i.qcow2")], image: "i.qcow2"),
        C(name: "snapshots v2", steps: [C.create("i.qcow2", "4M", ["compat=0.10"]), C.io("i.qcow2", writes),
                                        C.tool("qemu-img", "snapshot", "-c", "only", "i.qcow2")], image: "i.qcow2"),
        C(name: "snapshot name with spaces and unicode", steps: [C.create("i.qcow2", "1M"),
                                        C.tool("qemu-img", "snapshot", "-c", "état du disque – ok", "i.qcow2")], image: "i.qcow2"),
    ]

    static let bitmaps: [OracleCase] = [
        C(name: "bitmaps", steps: [C.create("i.qcow2", "8M"), C.tool("qemu-img", "bitmap", "--add", "-g", "4k", "i.qcow2", "fine"),
                                   C.tool("qemu-img", "bitmap", "--add", "-g", "1M", "i.qcow2", "coarse"),
                                   C.tool("qemu-img", "bitmap", "--add", "--disable", "i.qcow2", "off"),
                                   C.io("i.qcow2", writes)], image: "i.qcow2"),
        C(name: "bitmap in use", steps: [C.create("i.qcow2", "8M"), C.tool("qemu-img", "bitmap", "--add", "i.qcow2", "open"),
                                         C.io("i.qcow2", ["write -P 1 0 64k", "flush", "abort"], mayFail: true)], image: "i.qcow2"),
    ]

    static let chains: [OracleCase] = [
        C(name: "chain qcow2 qcow2 raw", steps: [
            C.tool("qemu-img", "create", "-q", "-f", "raw", "base.raw", "1M"),
            C.create("mid.qcow2", "4M", extra: ["-b", "base.raw", "-F", "raw"]),
            C.create("top.qcow2", "4M", extra: ["-b", "mid.qcow2", "-F", "qcow2"]), C.io("top.qcow2", writes)],
          image: "top.qcow2", chain: true),
        C(name: "chain through a subdirectory", steps: [
            C.tool("mkdir", "sub"), C.create("base.qcow2", "2M"),
            C.create("sub/mid.qcow2", "2M", extra: ["-b", "../base.qcow2", "-F", "qcow2"]),
            C.create("top.qcow2", "2M", extra: ["-b", "sub/mid.qcow2", "-F", "qcow2"])], image: "top.qcow2", chain: true),
        C(name: "backing v2 image", steps: [C.create("base.qcow2", "2M", ["compat=0.10"]),
                                            C.create("top.qcow2", "2M", ["compat=0.10"], extra: ["-b", "base.qcow2", "-F", "qcow2"])],
          image: "top.qcow2", chain: true),
        C(name: "missing backing file", steps: [C.create("top.qcow2", "2M", extra: ["-u", "-b", "gone.qcow2", "-F", "qcow2"])],
          image: "top.qcow2"),
    ]

    static let dataFiles: [OracleCase] = [
        C(name: "data file", steps: [C.create("i.qcow2", "2M", ["data_file=i.data"]), C.io("i.qcow2", writes.prefix(2).map { $0 })],
          image: "i.qcow2"),
        C(name: "data file raw", steps: [C.create("i.qcow2", "2M", ["data_file=i.data", "data_file_raw=on"])], image: "i.qcow2"),
    ]

    static let encryption: [OracleCase] = [
        C(name: "luks default", steps: [C.create("i.qcow2", "4M", ["encrypt.format=luks", "encrypt.key-secret=sec0", "encrypt.iter-time=10"],
                                                 extra: C.secret)], image: "i.qcow2"),
        C(name: "luks aes-128 cbc essiv sha1", steps: [C.create("i.qcow2", "4M", [
            "encrypt.format=luks", "encrypt.key-secret=sec0", "encrypt.iter-time=10", "encrypt.cipher-alg=aes-128",
            "encrypt.cipher-mode=cbc", "encrypt.ivgen-alg=essiv", "encrypt.ivgen-hash-alg=sha256", "encrypt.hash-alg=sha1"],
                                                                extra: C.secret)], image: "i.qcow2"),
        C(name: "luks twofish cluster 4k", steps: [C.create("i.qcow2", "4M", [
            "encrypt.format=luks", "encrypt.key-secret=sec0", "encrypt.iter-time=10", "encrypt.cipher-alg=twofish-256",
            "cluster_size=4k"], extra: C.secret)], image: "i.qcow2"),
        C(name: "legacy aes", steps: [C.create("i.qcow2", "4M", ["encrypt.format=aes", "encrypt.key-secret=sec0"], extra: C.secret)],
          image: "i.qcow2"),
    ]

    static let preallocation: [OracleCase] = ["off", "metadata", "falloc", "full"].map { mode in
        C(name: "preallocation \(mode)", steps: [C.create("i.qcow2", "3M", ["preallocation=\(mode)"])], image: "i.qcow2")
    }

    static let features: [OracleCase] = [
        C(name: "lazy refcounts", steps: [C.create("i.qcow2", "4M", ["lazy_refcounts=on"]), C.io("i.qcow2", writes)], image: "i.qcow2"),
        C(name: "dirty after abort", steps: [C.create("i.qcow2", "4M", ["lazy_refcounts=on"]),
                                             C.io("i.qcow2", ["write -P 1 0 64k", "flush", "abort"], mayFail: true)], image: "i.qcow2"),
        C(name: "1 TiB virtual size", steps: [C.create("i.qcow2", "1T")], image: "i.qcow2"),
        C(name: "odd virtual size", steps: [C.create("i.qcow2", "1000001")], image: "i.qcow2"),
        C(name: "empty image", steps: [C.create("i.qcow2", "0")], image: "i.qcow2"),
    ]

    /// Headers edited after QEMU made them: what QEMU ignores or probes must be ignored or probed alike.
    static let edited: [OracleCase] = [
        C(name: "backing format extension removed (probed)", steps: [
            C.tool("qemu-img", "create", "-q", "-f", "raw", "base.raw", "1M"),
            C.create("top.qcow2", "2M", extra: ["-b", "base.raw", "-F", "raw"]),
            C.renameExtension("top.qcow2", from: 0xE279_2ACA, to: 0x1234_5678)], image: "top.qcow2", chain: true),
        C(name: "bitmaps autoclear bit cleared", steps: [C.create("i.qcow2", "4M"),
                                                          C.tool("qemu-img", "bitmap", "--add", "i.qcow2", "b0"),
                                                          C.clearBits("i.qcow2", offset: 95, mask: 1)], image: "i.qcow2"),
        C(name: "unknown compatible bit", steps: [C.create("i.qcow2", "4M"), C.setBits("i.qcow2", offset: 87, mask: 0x20)],
          image: "i.qcow2"),
        C(name: "unknown autoclear bit", steps: [C.create("i.qcow2", "4M"), C.setBits("i.qcow2", offset: 95, mask: 0x40)],
          image: "i.qcow2"),
        C(name: "corrupt bit", steps: [C.create("i.qcow2", "4M"), C.setBits("i.qcow2", offset: 79, mask: 2)], image: "i.qcow2"),
    ]

    static let all: [OracleCase] = clusterSizes + refcountWidths + extendedL2 + compression + snapshots + bitmaps
        + chains + dataFiles + encryption + preallocation + features + edited
}
