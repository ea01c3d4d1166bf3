extension BackingChain {
    /// Follows `top`'s backing files (spec, "Header", backing_file_offset / backing_file_size).
    ///
    /// QEMU's rules: a relative name is resolved against the directory of the image naming it;
    /// the format comes from the backing file format extension, else is probed from the magic.
    /// qcowscope's extra rules: only regular files are opened, and only where `limits.reach`
    /// allows (``ReachRule``: by default inside the top image's directory, which every layer is
    /// held to); a file already in the chain (same device and inode) is a loop; at most
    /// `limits.maxBackingDepth` backing layers; nothing past the top when `limits.followBacking`
    /// is false. Every stop is a finding, never an error.
    public static func open(top: Qcow2Image) -> BackingChain {
        var layers = [Layer(depth: 0, path: top.path, format: qcow2Format, image: top, file: top.file)]
        var findings: [Finding] = []
        var visited: Set<FileIdentity> = []
        if let identity = top.file.fileIdentity { visited.insert(identity) }
        // A remote chain's files have no device and inode: their URLs are what repeats in a loop.
        var visitedURLs: Set<String> = []
        if let url = top.file.remoteURL { visitedURLs.insert(url.text) }
        var stop: Stop?
        guard top.limits.followBacking else { return BackingChain(layers: layers, findings: findings) }

        // Every layer is held to the top image's boundary, not to its own directory.
        var limits = top.limits
        limits.reach = limits.reach.pinned(toImage: top.file.rawPath)
        var current = top
        var currentPath = top.file.rawPath
        while let raw = current.backingFileName {
            let step = next(after: current, path: currentPath, name: raw, depth: layers.count, limits: limits,
                            visited: &visited, visitedURLs: &visitedURLs)
            findings += step.findings
            guard let layer = step.layer else {
                stop = step.stop
                break
            }
            layers.append(layer)
            guard let image = layer.image else { break }
            current = image
            currentPath = layer.file.rawPath
        }
        return BackingChain(layers: layers, findings: findings, stop: stop)
    }

    /// Opens the backing file `current` names, or says why not.
    private static func next(after current: Qcow2Image, path currentPath: [UInt8], name raw: RawString, depth: Int,
                             limits: DecodingLimits, visited: inout Set<FileIdentity>,
                             visitedURLs: inout Set<String>) -> (layer: Layer?, findings: [Finding], stop: Stop?) {
        var findings: [Finding] = []
        let at = current.header.backingFileOffset
        func note(_ severity: Finding.Severity, _ message: String) {
            findings.append(Finding(severity, .backingFile, at: at, "\(RawString.escape(currentPath)): \(message)"))
        }
        // Names and paths stay bytes (QEMU's are C strings): a name that is not UTF-8 opens the
        // file with exactly those bytes, and only messages show them, escaped.
        let name = pathName(raw)
        let shownName = RawString.escape(name)
        guard !name.isEmpty else {
            note(.error, "backing file name is empty")
            return (nil, findings, .emptyName)
        }
        guard depth <= limits.maxBackingDepth else {
            note(.error, "backing chain is deeper than \(limits.maxBackingDepth); \"\(shownName)\" is not opened")
            return (nil, findings, .tooDeep)
        }
        let file: any ByteSource
        if let remote = current.file.remoteURL {
            // A remote image's names resolve against its URL and reach only its server.
            switch limits.reach.decide(name: name, fromRemote: remote) {
            case .failure(let refusal):
                note(.error, FormatError.Kind.outsideReach("backing file", refusal).message)
                return (nil, findings, .outsideReach(shownName, refusal))
            case .success(let url):
                let shown = url.text.terminalSafe
                guard visitedURLs.insert(url.text).inserted else {
                    note(.error, "backing file \(shown) is already in the chain: the chain loops")
                    return (nil, findings, .loop)
                }
                do {
                    file = try current.file.openOnSameServer(url)
                } catch {
                    note(.error, FormatError.Kind.cannotOpen("backing file \(shown)", because: error.kind).message)
                    return (nil, findings, error.kind.isMissingFile ? .missing(shown) : .unopenable(error.kind))
                }
            }
        } else {
            let rawPath: [UInt8]
            switch limits.reach.decide(name: name, relativeTo: currentPath) {
            case .allowed(let path):
                rawPath = path
            case .refused(let refusal) where refusal.reason == .url:
                note(.warning, "backing file \"\(shownName)\" names a protocol, which is not followed")
                return (nil, findings, .protocolName)
            case .refused(let refusal):
                note(.error, FormatError.Kind.outsideReach("backing file", refusal).message)
                return (nil, findings, .outsideReach(shownName, refusal))
            case .unresolvable(let code, let path):
                let shown = RawString.escape(path)
                note(.error, FormatError.Kind.cannotOpen("backing file \(shown)", because: .io(errno: code, operation: "cannot stat \(shown)")).message)
                return (nil, findings, code == SystemError.noSuchFile ? .missing(shown) : .unopenable(.io(errno: code, operation: "cannot stat \(shown)")))
            }
            let shown = RawString.escape(rawPath)
            switch openRegularFile(rawPath, structure: .backingFile, at: at) {
            case .failure(let e):
                note(.error, FormatError.Kind.cannotOpen("backing file \(shown)", because: e.kind).message)
                return (nil, findings, e.kind.isMissingFile ? .missing(shown) : .unopenable(e.kind))
            case .success(let (opened, status)):
                guard visited.insert(status.identity).inserted else {
                    note(.error, "backing file \(shown) is already in the chain: the chain loops")
                    return (nil, findings, .loop)
                }
                file = opened
            }
        }
        let shown = file.displayPath
        let path = file.path

        let probed = probeFormat(file)
        let format: String
        if let declared = current.backingFormat {
            format = declared.string
            if format == rawFormat && probed == qcow2Format {
                note(.info, "backing file \(shown) holds a qcow2 header but is declared raw; QEMU reads it as raw")
            }
        } else {
            format = probed
            note(.info, "no backing file format recorded; \(shown) probed as \(probed)")
        }
        switch format {
        case rawFormat:
            return (Layer(depth: depth, path: path, format: rawFormat, image: nil, file: file), findings, nil)
        case qcow2Format:
            do {
                let image = try Qcow2Image(file: file, limits: limits)
                return (Layer(depth: depth, path: path, format: qcow2Format, image: image, file: file), findings, nil)
            } catch {
                note(.error, "backing file \(shown) is not a readable qcow2 image: \(error.description)")
                return (nil, findings, .unreadable(error.kind))
            }
        default:
            note(.warning, "backing file \(shown) has format \"\(format.terminalSafe)\", which qcowscope does not read")
            return (nil, findings, .unsupportedFormat(format))
        }
    }
}
