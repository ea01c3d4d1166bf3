import Qcow2

extension UploadVet {
    /// Backing and external data file names: any of them makes an upload unsafe (a service accepts
    /// standalone images), and each says what it points at. Decided from the name, lexically; a
    /// name that stays in the image's directory is looked at with `lstat` through the reach rule's
    /// walk (nothing outside is touched), never opened.
    static func names(_ image: Qcow2Image) -> [Reason] {
        var out: [Reason] = []
        let h = image.header
        if h.hasBackingFile {
            let at = h.backingFileOffset
            let name = image.backingFileName.map(BackingChain.pathName) ?? []
            let shown = image.backingFileName == nil ? "(\(h.backingFileSize) bytes that cannot be read)" : "\"\(RawString.escape(name))\""
            if image.backingFileName == nil || !name.isEmpty {
                out.append(Reason("backing-file", .unsafe, .backingFileName, at: at,
                                  "the image has a backing file \(shown): QEMU would read through it; an upload must stand alone"))
                out += pointing("backing-file", name, structure: .backingFileName, at: at, image: image)
                if image.backingFormat == nil {
                    out.append(Reason("backing-format-missing", .unsafe, .headerExtension, at: at,
                                      "no backing file format is recorded: QEMU would probe the backing file's format"))
                }
            } else {
                out.append(Reason("backing-file", .note, .backingFileName, at: at,
                                  "backing file offset is set but the name is empty: QEMU reads no backing file"))
            }
        }
        let ext = image.extensions.first { $0.knownType == .externalDataFile }
        let at = ext?.offset ?? 0x48
        if h.hasExternalDataFile {
            if let raw = image.dataFileName {
                let name = BackingChain.pathName(raw)
                out.append(Reason("data-file", .unsafe, .dataFile, at: at,
                                  "the image keeps its data in an external data file \"\(RawString.escape(name))\": QEMU would read and write it"))
                out += pointing("data-file", name, structure: .dataFile, at: at, image: image)
            } else {
                out.append(Reason("data-file", .unsafe, .dataFile, at: 0x48,
                                  "the external data file bit is set: QEMU reads the data from a file given when it is opened"))
            }
        } else if let raw = image.dataFileName {
            out.append(Reason("data-file", .note, .dataFile, at: at,
                              "a data file name \"\(RawString.escape(BackingChain.pathName(raw)))\" is recorded but the external data file bit is clear: QEMU ignores it"))
        }
        return out
    }

    /// The `-url`, `-absolute`, `-parent`, `-leaves-directory`, `-symlink`, `-device`, `-fifo` and
    /// `-socket` reasons for a name (`prefix` is `backing-file` or `data-file`).
    private static func pointing(_ prefix: String, _ name: [UInt8], structure: Structure, at: UInt64, image: Qcow2Image) -> [Reason] {
        guard !name.isEmpty else { return [] }
        let shown = "\"\(RawString.escape(name))\""
        func reason(_ suffix: String, _ message: String) -> Reason {
            Reason("\(prefix)-\(suffix)", .unsafe, structure, at: at, "\(shown) \(message)")
        }
        if BackingChain.hasProtocol(name) { return [reason("url", "is a URL or protocol: QEMU would make a network request or read what it names")] }
        var out: [Reason] = []
        if name.first == UInt8(ascii: "/") { out.append(reason("absolute", "is an absolute path: QEMU would read that file on the host")) }
        if name.starts(with: "/dev/".utf8) { out.append(reason("device", "names a device node under /dev")) }
        if name.split(separator: UInt8(ascii: "/")).contains(where: { $0.elementsEqual("..".utf8) }) {
            out.append(reason("parent", "contains '..'"))
        }
        switch ReachRule.imageDirectory.decide(name: name, relativeTo: image.file.rawPath) {
        case .refused(let refusal) where refusal.reason == .symlink:
            out.append(reason("symlink", "goes through a symbolic link that leads out of the image's directory"))
        case .refused(let refusal) where refusal.reason != .url:
            out.append(reason("leaves-directory", "resolves outside the image's directory"))
        case .allowed(let path):
            switch FileType.of(linkAt: path) {
            case .symlink?: out.append(reason("symlink", "is a symbolic link beside the image"))
            case .characterDevice?, .blockDevice?: out.append(reason("device", "is a device node"))
            case .fifo?: out.append(reason("fifo", "is a FIFO: opening it would block"))
            case .socket?: out.append(reason("socket", "is a socket"))
            default: break
            }
        default:
            break
        }
        return out
    }
}
