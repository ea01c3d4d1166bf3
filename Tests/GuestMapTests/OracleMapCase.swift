/// One image (or chain) for the map oracle: commands that make it in an empty directory, the
/// image to map, and how qemu-img must open it.
struct OracleMapCase: CustomStringConvertible, Sendable {
    var name: String
    /// Commands run in order in the case's directory (relative file names).
    var setup: [[String]]
    /// The image mapped (relative to the directory).
    var top: String
    /// qemu-img's way to open it, `{}` standing for the image's absolute path; nil: `-f qcow2 PATH`.
    var qemuOpen: [String]? = nil
    /// Compare the human table too (not for data files: qemu names them relative to its cwd).
    var human = true
    var noBacking = false
    /// Random cases may ask qemu-io for something it refuses (a compressed write over data):
    /// the image is still mapped, as it was left.
    var setupMayFail = false

    var description: String { name }

    static func io(_ image: String, _ commands: String..., format: String = "qcow2") -> [String] {
        ["qemu-io", "-f", format] + commands.flatMap { ["-c", $0] } + [image]
    }

    static func create(_ image: String, _ size: String, _ options: String = "", backing: String? = nil,
                       backingFormat: String = "qcow2") -> [String] {
        var command = ["qemu-img", "create", "-q", "-f", "qcow2"]
        if !options.isEmpty { command += ["-o", options] }
        if let backing { command += ["-b", backing, "-F", backingFormat] }
        return command + [image, size]
    }

    static let luksSecret = ["--object", "secret,id=s0,data=pw"]
    static let luksOpen = luksSecret + ["--image-opts", "driver=qcow2,file.filename={},encrypt.key-secret=s0"]

    /// The matrix: backing chains (qcow2 → qcow2 → raw, shorter backing files), extended L2
    /// subclusters, zero clusters, compression, external data files, LUKS, preallocation,
    /// snapshots, version 2, odd and empty sizes, and the chain cut by --no-backing.
    static let matrix: [OracleMapCase] = {
        var cases: [OracleMapCase] = []
        let chainSetup: [[String]] = [
            ["qemu-img", "create", "-q", "-f", "raw", "base.raw", "3M"],
            io("base.raw", "write -P 1 0 1M", "write -P 1 2500k 3k", format: "raw"),
            create("mid.qcow2", "5M", "cluster_size=4k", backing: "base.raw", backingFormat: "raw"),
            io("mid.qcow2", "write -P 2 1M 512k", "write -z 2M 64k", "write -P 7 2600k 9k"),
            create("top.qcow2", "9M", backing: "mid.qcow2"),
            io("top.qcow2", "write -P 3 4M 64k", "write -z -u 5M 128k", "write -P 3 8M 4k", "discard 1M 64k"),
        ]
        cases.append(OracleMapCase(name: "chain qcow2-qcow2-raw, shorter backing", setup: chainSetup, top: "top.qcow2"))
        cases.append(OracleMapCase(name: "chain, --no-backing", setup: chainSetup, top: "top.qcow2",
                                   qemuOpen: [#"json:{"driver":"qcow2","file":{"driver":"file","filename":"{}"},"backing":null}"#],
                                   noBacking: true))
        cases.append(OracleMapCase(name: "extended L2 over raw backing", setup: [
            ["qemu-img", "create", "-q", "-f", "raw", "base.raw", "4M"],
            io("base.raw", "write -P 1 0 4M", format: "raw"),
            create("ext.qcow2", "4M", "extended_l2=on", backing: "base.raw", backingFormat: "raw"),
            io("ext.qcow2", "write -P 1 0 2k", "write -P 2 6k 4k", "write -z 70k 8k", "write -P 3 130k 100k",
               "write -z -u 1M 64k", "write -z 2M 2k", "discard 140k 2k"),
        ], top: "ext.qcow2"))
        cases.append(OracleMapCase(name: "extended L2, 2 MiB clusters, no backing", setup: [
            create("ext2m.qcow2", "8M", "extended_l2=on,cluster_size=2M"),
            io("ext2m.qcow2", "write -P 1 64k 64k", "write -z 2M 128k", "write -P 2 4M 2M", "write -z -u 6M 64k"),
        ], top: "ext2m.qcow2"))
        cases.append(OracleMapCase(name: "zero clusters", setup: [
            create("zero.qcow2", "4M"),
            io("zero.qcow2", "write -P 1 0 256k", "write -z 64k 64k", "write -z -u 128k 64k", "write -z 1M 128k"),
        ], top: "zero.qcow2"))
        for type in ["zlib", "zstd"] {
            cases.append(OracleMapCase(name: "compressed \(type)", setup: [
                ["qemu-img", "create", "-q", "-f", "raw", "src.raw", "4M"],
                io("src.raw", "write -P 5 0 1M", "write -P 6 2M 100k", format: "raw"),
                ["qemu-img", "convert", "-c", "-O", "qcow2", "-o", "compression_type=\(type)", "src.raw", "c.qcow2"],
                io("c.qcow2", "write -P 7 512k 64k"),
            ], top: "c.qcow2"))
        }
        for raw in ["off", "on"] {
            cases.append(OracleMapCase(name: "external data file, data_file_raw=\(raw)", setup: [
                create("d.qcow2", "4M", "data_file=d.data,data_file_raw=\(raw)"),
                io("d.qcow2", "write -P 1 64k 64k", "write -z 1M 64k", "write -P 2 3M 4k"),
            ], top: "d.qcow2", human: false))
        }
        cases.append(OracleMapCase(name: "LUKS", setup: [
            ["qemu-img", "create", "-q", "-f", "qcow2"] + luksSecret + ["-o", "encrypt.format=luks,encrypt.key-secret=s0", "l.qcow2", "4M"],
            ["qemu-io"] + luksSecret + ["--image-opts", "driver=qcow2,file.filename=l.qcow2,encrypt.key-secret=s0",
                                        "-c", "write -P 1 0 64k", "-c", "write -z 1M 64k", "-c", "write -z -u 2M 64k"],
        ], top: "l.qcow2", qemuOpen: luksOpen))
        for (mode, cluster) in [("metadata", "512"), ("metadata", "4k"), ("metadata", "64k"), ("metadata", "2M"),
                                ("falloc", "64k"), ("full", "64k")] {
            cases.append(OracleMapCase(name: "preallocation=\(mode), \(cluster) clusters", setup: [
                create("p.qcow2", "20M", "preallocation=\(mode),cluster_size=\(cluster)"),
                io("p.qcow2", "write -P 1 1M 4k", "write -z 3M 64k"),
            ], top: "p.qcow2"))
        }
        cases.append(OracleMapCase(name: "preallocation=metadata with extended L2 over a backing file", setup: [
            create("b.qcow2", "4M"), io("b.qcow2", "write -P 1 0 2M"),
            create("p.qcow2", "4M", "preallocation=metadata,extended_l2=on", backing: "b.qcow2"),
            io("p.qcow2", "write -P 2 1M 8k"),
        ], top: "p.qcow2"))
        cases.append(OracleMapCase(name: "snapshots", setup: [
            create("s.qcow2", "4M"), io("s.qcow2", "write -P 1 0 128k"),
            ["qemu-img", "snapshot", "-c", "one", "s.qcow2"], io("s.qcow2", "write -P 2 64k 64k", "discard 0 64k"),
            ["qemu-img", "snapshot", "-c", "two", "s.qcow2"], io("s.qcow2", "write -P 3 1M 64k"),
        ], top: "s.qcow2"))
        cases.append(OracleMapCase(name: "version 2", setup: [
            create("v2.qcow2", "4M", "compat=0.10"), io("v2.qcow2", "write -P 1 0 128k", "write -z 1M 64k"),
        ], top: "v2.qcow2"))
        cases.append(OracleMapCase(name: "odd virtual size", setup: [
            create("odd.qcow2", "1000000"), io("odd.qcow2", "write -P 1 999424 512"),
        ], top: "odd.qcow2"))
        cases.append(OracleMapCase(name: "empty disk", setup: [create("z.qcow2", "0")], top: "z.qcow2"))
        cases.append(OracleMapCase(name: "3-byte raw backing file", setup: [
            ["sh", "-c", "printf abc > tiny.raw"], create("t.qcow2", "1M", backing: "tiny.raw", backingFormat: "raw"),
        ], top: "t.qcow2"))
        cases.append(OracleMapCase(name: "shorter qcow2 backing, different cluster sizes", setup: [
            create("b.qcow2", "1049088", "cluster_size=512"), io("b.qcow2", "write -P 1 1048064 1024"),
            create("t.qcow2", "4M", "cluster_size=2M", backing: "b.qcow2"), io("t.qcow2", "write -P 2 2M 4k"),
        ], top: "t.qcow2"))
        return cases
    }()
}
