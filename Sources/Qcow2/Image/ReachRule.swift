/// Which files an image may lead qcowscope to: the rule every backing file and external data file
/// name passes before anything is opened (issue 17, "No reach beyond the image").
///
/// A qcow2 header can name any path (`/etc/shadow`, `/dev/sda`, `../../other-tenant.qcow2`) or a
/// URL, and services that ran `qemu-img` on uploads were led to read them. By default a name is
/// followed only when it resolves, symbolic links included, inside the directory of the image
/// the user asked for (subdirectories allowed); ``anywhere`` restores QEMU's behaviour for local
/// names (`--follow-backing-anywhere`), and ``init(within:)`` sets another boundary (`survey`
/// passes the surveyed tree). Either way only regular files are opened, and a URL or protocol
/// named by a local image is never opened or requested.
///
/// The whole decision is ``decide(name:relativeTo:)``, in one place: a remote byte source will
/// bring its own resolver ("same server only") and call it from there.
public struct ReachRule: Sendable, Hashable {
    /// Where names may lead.
    public enum Scope: Sendable, Hashable {
        /// The directory of the image opened first (the top of the chain); pinned to it by
        /// ``pinned(toImage:)`` when the chain is opened.
        case imageDirectory
        /// Inside this directory (its bytes as given; resolved with `realpath` when deciding).
        case directory([UInt8])
        /// Any local regular file, as QEMU does.
        case anywhere
        /// No file at all (`vet` decides without opening anything).
        case nothing
    }

    public var scope: Scope

    public init(_ scope: Scope) { self.scope = scope }

    /// Names must resolve inside `directory` (subdirectories allowed).
    public init(within directory: String) { self.init(.directory(Array(directory.utf8))) }

    /// The default: inside the directory of the image the user named.
    public static let imageDirectory = ReachRule(.imageDirectory)
    /// QEMU's behaviour: any local regular file (`--follow-backing-anywhere`).
    public static let anywhere = ReachRule(.anywhere)
    /// Nothing is opened.
    public static let nothing = ReachRule(.nothing)

    /// The flag that lifts the rule, named in every refusal.
    public static let allowFlag = "--follow-backing-anywhere"

    /// The rule with ``Scope/imageDirectory`` replaced by the directory of `imagePath`, so that
    /// the backing files of backing files are held to the directory of the image at the top.
    public func pinned(toImage imagePath: [UInt8]) -> ReachRule {
        guard scope == .imageDirectory else { return self }
        guard let slash = imagePath.lastIndex(of: UInt8(ascii: "/")) else { return ReachRule(.directory(Array(".".utf8))) }
        return ReachRule(.directory(slash == imagePath.startIndex ? [UInt8(ascii: "/")] : Array(imagePath[..<slash])))
    }

    /// What the rule says about a name.
    public enum Decision: Sendable, Hashable {
        /// Open this path (the name joined to the naming image's directory, as QEMU would); it
        /// still has to be a regular file.
        case allowed([UInt8])
        /// Not opened, and why.
        case refused(Refusal)
        /// Inside the boundary as far as it exists, but a component cannot be looked at (most often
        /// it does not exist): the error the open itself would have given.
        case unresolvable(errno: Int32, path: [UInt8])
    }

    /// Decides whether the name `name`, stored in the image at `base`, may be opened. A local name
    /// is joined to `base`'s directory as QEMU's `path_combine` does (``BackingChain/resolve(_:relativeTo:)``).
    ///
    /// Nothing outside the boundary is ever looked at: the candidate path is walked from the root
    /// one component at a time, and only components inside the boundary are `lstat`ed (symbolic
    /// links among them `readlink`ed); the first step outside refuses the name without touching it.
    public func decide(name: [UInt8], relativeTo base: [UInt8]) -> Decision {
        if BackingChain.hasProtocol(name) { return .refused(Refusal(.url, name: name)) }
        let path = BackingChain.resolve(name, relativeTo: base)
        switch scope {
        case .anywhere:
            return .allowed(path)
        case .nothing:
            return .refused(Refusal(.notFollowed, name: name))
        case .imageDirectory:
            return pinned(toImage: base).decide(name: name, relativeTo: base)
        case .directory(let boundary):
            switch ReachWalk.resolve(path, within: boundary) {
            case .inside: return .allowed(path)
            case .missing(let code): return .unresolvable(errno: code, path: path)
            case .outside(let throughLink, let shown?):
                let how: Refusal.Reason = throughLink ? .symlink : name.first == UInt8(ascii: "/") ? .absolute
                    : ReachWalk.components(name).contains(Array("..".utf8)) ? .parent : .leavesDirectory
                return .refused(Refusal(how, name: name, boundary: shown))
            case .outside(_, nil):
                return .refused(Refusal(.noBoundary, name: name, boundary: RawString.escape(boundary)))
            }
        }
    }
}
