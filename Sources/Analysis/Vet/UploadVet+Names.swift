import Qcow2

extension UploadVet {
    /// Backing and external data file names: any of them makes an upload unsafe (a service accepts
    /// standalone images), and each says what it points at. Decided from the name, lexically; a
    /// name that stays in the image's directory is looked at with `lstat` through the reach rule's
    /// walk (nothing outside is touched), never opened. A remote image's names get the same codes,
    /// judged by the same-server rule (``RemoteURL/reach(_:)``): off the server is `leaves-directory`.
    static func names(_ image: Qcow2Image) -> [Reason] {
        var out: [Reason] = []
        let h = image.header
        if h.hasBackingFile {
            let at = h.backingFileOffset
            let name = image.backingFileName.map(BackingChain.pathName) ?? []
            let shown = image.backingFileName == nil ? "(\(h.backingFileSize) bytes that cannot be read)" : "\"\(RawString.escape(name))\""
            if image.backingFileName == nil || !name.isEmpty {
                out.append(Reason(.backingFile, .unsafe, .backingFileName, at: at,
                                  "the image has a backing file \(shown): QEMU would read through it; an upload must stand alone"))
                out += pointing(.backingFile, name, structure: .backingFileName, at: at, image: image)
                if image.backingFormat == nil {
                    out.append(Reason(.backingFormatMissing, .unsafe, .headerExtension, at: at,
                                      "no backing file format is recorded: QEMU would probe the backing file's format"))
                }
            } else {
                out.append(Reason(.backingFile, .note, .backingFileName, at: at,
                                  "backing file offset is set but the name is empty: QEMU reads no backing file"))
            }
        }
        let ext = image.extensions.first { $0.knownType == .externalDataFile }
        let at = ext?.offset ?? 0x48
        if h.hasExternalDataFile {
            if let raw = image.dataFileName {
                let name = BackingChain.pathName(raw)
                out.append(Reason(.dataFile, .unsafe, .dataFile, at: at,
                                  "the image keeps its data in an external data file \"\(RawString.escape(name))\": QEMU would read and write it"))
                out += pointing(.dataFile, name, structure: .dataFile, at: at, image: image)
            } else {
                out.append(Reason(.dataFile, .unsafe, .dataFile, at: 0x48,
                                  "the external data file bit is set: QEMU reads the data from a file given when it is opened"))
            }
        } else if let raw = image.dataFileName {
            out.append(Reason(.dataFile, .note, .dataFile, at: at,
                              "a data file name \"\(RawString.escape(BackingChain.pathName(raw)))\" is recorded but the external data file bit is clear: QEMU ignores it"))
        }
        return out
    }

    /// What a backing or data file name points at: each is its own code under the file's.
    private enum Target {
        case url, absolute, device, parent, symlink, leavesDirectory, fifo, socket

        /// `backing-file-url` ... for `.backingFile`, `data-file-url` ... for `.dataFile`.
        func code(under file: Code) -> Code {
            let backing = file == .backingFile
            switch self {
            case .url: return backing ? .backingFileURL : .dataFileURL
            case .absolute: return backing ? .backingFileAbsolute : .dataFileAbsolute
            case .device: return backing ? .backingFileDevice : .dataFileDevice
            case .parent: return backing ? .backingFileParent : .dataFileParent
            case .symlink: return backing ? .backingFileSymlink : .dataFileSymlink
            case .leavesDirectory: return backing ? .backingFileLeavesDirectory : .dataFileLeavesDirectory
            case .fifo: return backing ? .backingFileFIFO : .dataFileFIFO
            case .socket: return backing ? .backingFileSocket : .dataFileSocket
            }
        }
    }

    /// The reasons for what a name points at (`file` is `.backingFile` or `.dataFile`).
    private static func pointing(_ file: Code, _ name: [UInt8], structure: Structure, at: UInt64, image: Qcow2Image) -> [Reason] {
        guard !name.isEmpty else { return [] }
        let shown = "\"\(RawString.escape(name))\""
        func reason(_ target: Target, _ message: String) -> Reason {
            Reason(target.code(under: file), .unsafe, structure, at: at, "\(shown) \(message)")
        }
        if BackingChain.hasProtocol(name) { return [reason(.url, "is a URL or protocol: QEMU would make a network request or read what it names")] }
        var out: [Reason] = []
        if name.first == UInt8(ascii: "/") { out.append(reason(.absolute, "is an absolute path: QEMU would read that file on the host")) }
        if name.starts(with: "/dev/".utf8) { out.append(reason(.device, "names a device node under /dev")) }
        if name.split(separator: UInt8(ascii: "/")).contains(where: { $0.elementsEqual("..".utf8) }) {
            out.append(reason(.parent, "contains '..'"))
        }
        if let remote = image.file.remoteURL {
            // A remote image's names are judged by the same-server rule, from the name alone:
            // nothing on the host is looked at (the URL is no local path) and nothing requested.
            switch remote.reach(name) {
            case .failure(let refusal):
                out.append(reason(.leavesDirectory, "resolves outside the image's directory: it is not on the image's server \(refusal.boundary)"))
            case .success where !remote.keepsInDirectory(name):
                out.append(reason(.leavesDirectory, "resolves outside the image's directory"))
            case .success:
                break
            }
            return out
        }
        switch ReachRule.imageDirectory.decide(name: name, relativeTo: image.file.rawPath) {
        case .refused(let refusal) where refusal.reason == .symlink:
            out.append(reason(.symlink, "goes through a symbolic link that leads out of the image's directory"))
        case .refused(let refusal) where refusal.reason != .url:
            out.append(reason(.leavesDirectory, "resolves outside the image's directory"))
        case .allowed(let path):
            switch FileType.of(linkAt: path) {
            case .symlink?: out.append(reason(.symlink, "is a symbolic link beside the image"))
            case .characterDevice?, .blockDevice?: out.append(reason(.device, "is a device node"))
            case .fifo?: out.append(reason(.fifo, "is a FIFO: opening it would block"))
            case .socket?: out.append(reason(.socket, "is a socket"))
            default: break
            }
        default:
            break
        }
        return out
    }
}
