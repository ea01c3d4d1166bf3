/// One image of the oracle matrix: the commands that make it (run in an empty directory) and the
/// image `info` is asked about.
struct OracleCase: Sendable, CustomTestStringConvertible {
    struct Step: Sendable {
        var arguments: [String]
        /// qemu-io `abort` leaves a dirty image on purpose and exits non-zero.
        var mayFail = false
    }

    var name: String
    var steps: [Step]
    var image: String
    /// Also compare `--backing-chain`.
    var chain = false

    var testDescription: String { name }

    static let secret = ["--object", "secret,id=sec0,data=oracle"]

    static func create(_ image: String, _ size: String, _ options: [String] = [], extra: [String] = []) -> Step {
        Step(arguments: ["qemu-img", "create", "-q", "-f", "qcow2"] + extra + (options.isEmpty ? [] : ["-o", options.joined(separator: ",")]) + [image, size])
    }

    static func io(_ image: String, _ commands: [String], mayFail: Bool = false) -> Step {
        Step(arguments: ["qemu-io", "-f", "qcow2"] + commands.flatMap { ["-c", $0] } + [image], mayFail: mayFail)
    }

    static func tool(_ arguments: String...) -> Step { Step(arguments: arguments) }

    /// ORs `mask` into the byte at `offset` of `file` (a header edit QEMU itself would not make).
    static func setBits(_ file: String, offset: Int, mask: UInt8) -> Step {
        Step(arguments: ["python3", "-c", """
            f = open('\(file)', 'r+b'); f.seek(\(offset)); b = f.read(1)[0]; f.seek(\(offset)); f.write(bytes([b | \(mask)]))
            """])
    }

    /// ANDs `mask` into the byte at `offset` of `file`.
    static func clearBits(_ file: String, offset: Int, mask: UInt8) -> Step {
        Step(arguments: ["python3", "-c", """
            f = open('\(file)', 'r+b'); f.seek(\(offset)); b = f.read(1)[0]; f.seek(\(offset)); f.write(bytes([b & ~\(mask) & 255]))
            """])
    }

    /// Renames the first header extension of type `from` to type `to` (e.g. to an unknown type).
    static func renameExtension(_ file: String, from: UInt32, to: UInt32) -> Step {
        Step(arguments: ["python3", "-c", """
            import struct
            f = open('\(file)', 'r+b'); h = f.read(4096)
            off = struct.unpack('>I', h[100:104])[0] if struct.unpack('>I', h[4:8])[0] == 3 else 72
            while True:
                t, n = struct.unpack('>II', h[off:off + 8])
                if t == 0: raise SystemExit('extension not found')
                if t == \(from):
                    f.seek(off); f.write(struct.pack('>I', \(to))); break
                off += 8 + (n + 7) // 8 * 8
            """])
    }
}

import Testing
