extension BackingChain {
    /// Joins a backing file name to the path of the image that names it, as QEMU's
    /// `path_combine` does: an absolute name is used as is; a relative one replaces everything
    /// after the last '/' of `base` (so "sub/mid.qcow2" naming "../base.qcow2" gives
    /// "sub/../base.qcow2", exactly what `qemu-img info` prints as full-backing-filename).
    public static func resolve(_ name: String, relativeTo base: String) -> String {
        if name.hasPrefix("/") { return name }
        guard let slash = base.lastIndex(of: "/") else { return name }
        return String(base[...slash]) + name
    }

    /// Whether QEMU would read `name` as a protocol ("nbd:…", "json:{…}") rather than a file:
    /// a ':' before any '/' (QEMU's `path_has_protocol`). Such names are never followed.
    public static func hasProtocol(_ name: String) -> Bool {
        guard let colon = name.firstIndex(of: ":") else { return false }
        if let slash = name.firstIndex(of: "/"), slash < colon { return false }
        return true
    }

    /// The name as QEMU uses it: the stored bytes up to the first NUL (QEMU reads the backing name
    /// into a C string), invalid UTF-8 replaced.
    static func pathName(_ raw: RawString) -> String {
        RawString(Array(raw.bytes.prefix { $0 != 0 })).string
    }

    /// The format QEMU would probe for a file with no backing format extension, among the two a
    /// chain is followed through: "qcow2" when the file starts with the qcow2 magic, else "raw".
    public static func probeFormat(_ file: ReadOnlyFile) -> String {
        guard let magic = try? file.readBytes(4, at: 0, for: .backingFile) else { return rawFormat }
        let value = magic.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return value == Qcow2.magic ? qcow2Format : rawFormat
    }

    /// Stats then opens `path`, refusing anything but a regular file before `open` (opening a FIFO
    /// read-only would block; a device is not an image).
    static func openRegularFile(_ path: String, structure: Structure, at offset: UInt64) -> Result<(ReadOnlyFile, FileStatus), FormatError> {
        let status: FileStatus
        switch FileStatus.of(path: path) {
        case .success(let s): status = s
        case .failure(let e): return .failure(FormatError(structure, at: offset, e.reason))
        }
        guard status.isRegularFile else {
            return .failure(FormatError(structure, at: offset, "\(path.terminalSafe) is not a regular file; only regular files are opened"))
        }
        do {
            let file = try ReadOnlyFile(path: path)
            guard file.isRegularFile else {
                return .failure(FormatError(structure, at: offset, "\(path.terminalSafe) changed into a non-regular file while being opened"))
            }
            return .success((file, status))
        } catch {
            return .failure(FormatError(structure, at: offset, error.reason))
        }
    }
}
