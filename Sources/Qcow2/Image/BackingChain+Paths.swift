extension BackingChain {
    /// Joins a backing file name to the path of the image that names it, as QEMU's
    /// `path_combine` does: an absolute name is used as is; a relative one replaces everything
    /// after the last '/' of `base` (so "sub/mid.qcow2" naming "../base.qcow2" gives
    /// "sub/../base.qcow2", exactly what `qemu-img info` prints as full-backing-filename).
    public static func resolve(_ name: String, relativeTo base: String) -> String {
        String(decoding: resolve(Array(name.utf8), relativeTo: Array(base.utf8)), as: UTF8.self)
    }

    /// ``resolve(_:relativeTo:)`` on the bytes of the paths, which is what QEMU does (C strings):
    /// a name that is not UTF-8 still names the file with exactly those bytes. Only '/' (0x2F) is
    /// looked at, and in UTF-8 that byte never occurs inside another character.
    public static func resolve(_ name: [UInt8], relativeTo base: [UInt8]) -> [UInt8] {
        if name.first == slash { return name }
        guard let last = base.lastIndex(of: slash) else { return name }
        return Array(base[...last]) + name
    }

    /// Whether QEMU would read `name` as a protocol ("nbd:…", "json:{…}") rather than a file:
    /// a ':' before any '/' (QEMU's `path_has_protocol`). Such names are never followed.
    public static func hasProtocol(_ name: String) -> Bool { hasProtocol(Array(name.utf8)) }

    /// ``hasProtocol(_:)`` on the bytes of the name.
    public static func hasProtocol(_ name: [UInt8]) -> Bool {
        guard let colon = name.firstIndex(of: UInt8(ascii: ":")) else { return false }
        if let first = name.firstIndex(of: slash), first < colon { return false }
        return true
    }

    private static let slash = UInt8(ascii: "/")

    /// The name as QEMU uses it: the stored bytes up to the first NUL (QEMU reads the backing name
    /// into a C string). Kept as bytes: the file is opened by them, and shown escaped.
    public static func pathName(_ raw: RawString) -> [UInt8] {
        Array(raw.bytes.prefix { $0 != 0 })
    }

    /// The format QEMU would probe for a file with no backing format extension, among the two a
    /// chain is followed through: "qcow2" when the file starts with the qcow2 magic, else "raw".
    public static func probeFormat(_ file: any ByteSource) -> String {
        guard let magic = try? file.readBytes(4, at: 0, for: .backingFile) else { return rawFormat }
        let value = magic.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return value == Qcow2.magic ? qcow2Format : rawFormat
    }

    /// Stats then opens the path whose bytes are `path`, refusing anything but a regular file
    /// before `open` (opening a FIFO read-only would block; a device is not an image).
    static func openRegularFile(_ path: [UInt8], structure: Structure, at offset: UInt64) -> Result<(ReadOnlyFile, FileStatus), FormatError> {
        let shown = RawString.escape(path)
        let status: FileStatus
        switch FileStatus.of(rawPath: path) {
        case .success(let s): status = s
        case .failure(let e): return .failure(FormatError(structure, at: offset, e.kind))
        }
        guard status.isRegularFile else {
            return .failure(FormatError(structure, at: offset, .notRegularFile(shown)))
        }
        do {
            let file = try ReadOnlyFile(rawPath: path)
            guard file.isRegularFile else {
                return .failure(FormatError(structure, at: offset, "\(shown) changed into a non-regular file while being opened"))
            }
            return .success((file, status))
        } catch {
            return .failure(FormatError(structure, at: offset, error.kind))
        }
    }
}
