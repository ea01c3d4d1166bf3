extension RemoteURL {
    /// Where a name stored in a remote image (a backing file, a data file) leads, or why it is not
    /// followed (``ReachRule/decide(name:fromRemote:)`` is the rule's entry point).
    ///
    /// The name resolves against the image's URL by QEMU's rule (`bdrv_get_full_backing_filename`:
    /// a name with a protocol or an absolute path is taken as is, a relative one replaces what
    /// follows the URL's last '/', `path_combine`), so a chain kept in one directory on a server
    /// opens as it does locally. What it may reach is narrower than QEMU's: only the same server
    /// (scheme, host, port, socket). An image fetched from a server is not trusted to make
    /// qcowscope read a local file (`/etc/…`, `file:…`) or ask another host for anything; such a
    /// name is refused before anything is opened or requested.
    public func reach(_ name: [UInt8]) -> Result<RemoteURL, ReachRule.Refusal> {
        let refused = Result<RemoteURL, ReachRule.Refusal>.failure(ReachRule.Refusal(.offServer, name: name, boundary: server.description))
        guard !name.isEmpty, name.first != UInt8(ascii: "/") else { return refused }
        let resolved: [UInt8]
        if BackingChain.hasProtocol(name) {
            guard Self.looksLikeURL(name) else { return refused }
            resolved = name
        } else {
            resolved = BackingChain.resolve(name, relativeTo: Array(text.utf8))
        }
        guard let url = try? RemoteURL(String(decoding: resolved, as: UTF8.self)), url.server == server else { return refused }
        return .success(url)
    }

    /// Whether a relative `name` stays in the directory of this URL's path once its `.` and `..`
    /// segments are resolved (as a server resolves them): the remote counterpart of a local name
    /// staying in the image's directory, decided lexically. Absolute names and URLs do not.
    public func keepsInDirectory(_ name: [UInt8]) -> Bool {
        guard !name.isEmpty, name.first != UInt8(ascii: "/"), !BackingChain.hasProtocol(name) else { return false }
        var depth = 0
        for part in name.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if part.elementsEqual("..".utf8) {
                depth -= 1
                if depth < 0 { return false }
            } else if !part.elementsEqual(".".utf8) {
                depth += 1
            }
        }
        return true
    }
}

extension ReachRule {
    /// The rule for a name a remote image at `url` stores: only its own server (``RemoteURL/reach(_:)``),
    /// whatever the scope says about local files; nothing at all under ``nothing``.
    public func decide(name: [UInt8], fromRemote url: RemoteURL) -> Result<RemoteURL, Refusal> {
        if scope == .nothing { return .failure(Refusal(.notFollowed, name: name)) }
        return url.reach(name)
    }
}

/// A refusal is the failure of a remote reach decision (`Result<RemoteURL, Refusal>`).
extension ReachRule.Refusal: Error {}
