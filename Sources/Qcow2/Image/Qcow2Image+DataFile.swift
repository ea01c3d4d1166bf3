extension Qcow2Image {
    /// Opens the external data file (spec, "Header", incompatible bit 2; "External data file name
    /// string" extension) read-only, or says why it cannot be opened.
    ///
    /// Returns nil when the image has no external data file (the incompatible bit is clear: QEMU
    /// then ignores any name extension). QEMU 7.2 opens the stored name as given, relative to its
    /// working directory, not to the image (checked with qemu-io); that is tried first. When it
    /// fails for a relative name, the name is also tried beside the image, as a backing file would
    /// be, because that is where people keep data files. Only regular files are opened, by the
    /// stored bytes (a name that is not UTF-8 is still that file's name), and only where
    /// `limits.reach` allows (``ReachRule``); a protocol or URL never.
    public func openDataFile() -> Result<any ByteSource, FormatError>? {
        guard header.hasExternalDataFile else { return nil }
        let at = extensions.first { $0.knownType == .externalDataFile }?.offset ?? 72
        guard let raw = dataFileName else {
            return .failure(FormatError(.dataFile, at: 72,
                "the external data file bit is set but no data file name extension is present; QEMU needs a data-file option"))
        }
        let name = BackingChain.pathName(raw)
        let shown = RawString.escape(name)
        guard !name.isEmpty else { return .failure(FormatError(.dataFile, at: at, "the external data file name is empty")) }
        if let remote = file.remoteURL {
            // A remote image's data file: beside it on the same server, or nothing.
            switch limits.reach.decide(name: name, fromRemote: remote) {
            case .failure(let refusal):
                return .failure(FormatError(.dataFile, at: at, .outsideReach("data file", refusal)))
            case .success(let url):
                return Result { () throws(FormatError) -> any ByteSource in try file.openOnSameServer(url) }
                    .mapError { FormatError(.dataFile, at: at, .cannotOpen("data file \(shown)", because: $0.kind)) }
            }
        }
        // A relative name is tried as QEMU does (from the working directory), then beside the
        // image; each candidate must pass the reach rule, and refusals are only reported when no
        // allowed candidate got as far as the file system.
        let reach = limits.reach.pinned(toImage: file.rawPath)
        var candidates: [(name: [UInt8], base: [UInt8])] = [(name, [])]
        if name.first != UInt8(ascii: "/"), file.rawPath.contains(UInt8(ascii: "/")) { candidates.append((name, file.rawPath)) }
        var firstError: FormatError?
        var firstRefusal: ReachRule.Refusal?
        for candidate in candidates {
            let path: [UInt8]
            switch reach.decide(name: candidate.name, relativeTo: candidate.base) {
            case .allowed(let p): path = p
            case .refused(let refusal):
                firstRefusal = firstRefusal ?? refusal
                continue
            case .unresolvable(let code, let p):
                firstError = firstError ?? FormatError(.dataFile, at: at, .io(errno: code, operation: "cannot stat \(RawString.escape(p))"))
                continue
            }
            switch BackingChain.openRegularFile(path, structure: .dataFile, at: at) {
            case .success(let (file, _)): return .success(file)
            case .failure(let e): firstError = firstError ?? e
            }
        }
        if firstError == nil, let firstRefusal {
            return .failure(FormatError(.dataFile, at: at, .outsideReach("data file", firstRefusal)))
        }
        return .failure(FormatError(.dataFile, at: at, .cannotOpen("data file \(shown)", because: firstError?.kind ?? .invalid("no candidate path"))))
    }
}
