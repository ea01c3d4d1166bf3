extension ReachRule {
    /// A name the rule refused: what it was, why, and how to allow it when it can be.
    public struct Refusal: Sendable, Hashable {
        /// Why a name is refused.
        public enum Reason: String, Sendable, Hashable {
            /// An absolute path outside the boundary.
            case absolute
            /// `..` components climb out of the boundary.
            case parent
            /// A symbolic link on the way points outside the boundary.
            case symlink
            /// A relative name that resolves outside the boundary without `..` (a data file name
            /// taken relative to a working directory outside it).
            case leavesDirectory = "leaves-directory"
            /// A protocol or URL (`http:`, `nbd:`, `file:`, `json:`): never reached from a local image.
            case url
            /// The rule opens nothing at all (``ReachRule/nothing``).
            case notFollowed = "not-followed"
            /// The boundary directory itself cannot be resolved, so nothing can be shown to be inside it.
            case noBoundary = "no-boundary"
            /// Named by a remote image, it is not a file on the same server (a local path, a
            /// `file:` URL, another host, port or scheme): the boundary is the server.
            case offServer = "off-server"
        }

        public var reason: Reason
        /// The name as stored in the image (bytes, shown escaped).
        public var name: [UInt8]
        /// The boundary, resolved and escaped for messages; empty when the reason needs none.
        public var boundary: String

        public init(_ reason: Reason, name: [UInt8], boundary: String = "") {
            self.reason = reason
            self.name = name
            self.boundary = boundary
        }

        /// Whether ``ReachRule/anywhere`` would allow the name (everything but URLs and ``ReachRule/nothing``).
        public var isLiftable: Bool { reason != .url && reason != .notFollowed && reason != .offServer }

        /// Why, in words, ending with how to allow it: `"/etc/passwd" is an absolute path outside
        /// /srv/images (--follow-backing-anywhere allows it)`.
        public var message: String {
            let shown = "\"\(RawString.escape(name))\""
            let inside = boundary.isEmpty ? "the image's directory" : boundary
            let why: String = switch reason {
            case .absolute: "\(shown) is an absolute path outside \(inside)"
            case .parent: "\(shown) climbs out of \(inside) with '..'"
            case .symlink: "\(shown) goes through a symbolic link that points outside \(inside)"
            case .leavesDirectory: "\(shown) resolves outside \(inside)"
            case .url: "\(shown) is a protocol or URL, which a local image never leads to"
            case .notFollowed: "\(shown) is not followed: nothing an image names is opened here"
            case .noBoundary: "\(shown) cannot be shown to lie inside \(inside), which cannot be resolved"
            case .offServer: "\(shown) is not on the remote image's server \(inside), the only place a remote image leads to"
            }
            return isLiftable ? "\(why) (\(ReachRule.allowFlag) allows it)" : why
        }
    }
}
