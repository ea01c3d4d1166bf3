extension Qcow2Image {
    /// Opens the external data file (spec, "Header", incompatible bit 2; "External data file name
    /// string" extension) read-only, or says why it cannot be opened.
    ///
    /// Returns nil when the image has no external data file (the incompatible bit is clear: QEMU
    /// then ignores any name extension). QEMU 7.2 opens the stored name as given, relative to its
    /// working directory, not to the image (checked with qemu-io); that is tried first. When it
    /// fails for a relative name, the name is also tried beside the image, as a backing file would
    /// be, because that is where people keep data files. Only regular files are opened, by the
    /// stored bytes (a name that is not UTF-8 is still that file's name).
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
        guard !BackingChain.hasProtocol(name) else {
            return .failure(FormatError(.dataFile, at: at, "data file \"\(shown)\" names a protocol, which is not opened"))
        }
        var candidates = [name]
        let besideImage = BackingChain.resolve(name, relativeTo: file.rawPath)
        if besideImage != name { candidates.append(besideImage) }
        var firstError: FormatError?
        for candidate in candidates {
            switch BackingChain.openRegularFile(candidate, structure: .dataFile, at: at) {
            case .success(let (file, _)): return .success(file)
            case .failure(let e): firstError = firstError ?? e
            }
        }
        return .failure(FormatError(.dataFile, at: at, .cannotOpen("data file \(shown)", because: firstError?.kind ?? .invalid("no candidate path"))))
    }
}
