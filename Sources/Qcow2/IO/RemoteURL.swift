/// An image named by URL instead of a path: `http://…`, `https://…`, `nbd://host[:port]/export`
/// or `nbd+unix:///export?socket=PATH` (issue 13).
///
/// Only the parts qcowscope decides on are parsed: the scheme (which client), the server (scheme,
/// host and port — a remote image's backing files may only name the same server) and, for NBD over
/// a Unix socket, the socket. The text itself goes to libcurl or libnbd unchanged, which parse it
/// again their way; this parser only refuses what neither should be handed (control bytes, spaces,
/// an empty host, a port past 65535) so a hostile name from an image never reaches them.
public struct RemoteURL: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable, CaseIterable {
        case http, https, nbd
        case nbdUnix = "nbd+unix"

        /// The port a URL without one means (RFC 9110; the NBD protocol's IANA port).
        var defaultPort: UInt16 {
            switch self {
            case .http: 80
            case .https: 443
            case .nbd: 10809
            case .nbdUnix: 0
            }
        }

        public var isHTTP: Bool { self == .http || self == .https }
    }

    /// Who serves the bytes: two URLs with the same server may name each other's files.
    public struct Server: Sendable, Hashable, CustomStringConvertible {
        public var scheme: Scheme
        /// Lower-cased host (empty for a Unix socket).
        public var host: String
        public var port: UInt16
        /// The socket path of `nbd+unix`, nil otherwise.
        public var socket: String?

        public var description: String {
            if let socket { return "\(scheme.rawValue) socket \(socket)" }
            return "\(scheme.rawValue)://\(host):\(port)"
        }
    }

    /// The URL exactly as given: what libcurl/libnbd open and what reports name (`filename`).
    public let text: String
    public let scheme: Scheme
    /// Host as written (brackets kept for IPv6), without user information.
    public let host: String
    public let port: UInt16?
    /// Everything from the first '/' after the authority, query included ("" when absent).
    public let path: String

    public var description: String { text }

    /// The server, with the default port filled in and the host lower-cased.
    public var server: Server {
        Server(scheme: scheme, host: host.lowercased(), port: port ?? scheme.defaultPort,
               socket: scheme == .nbdUnix ? query("socket") : nil)
    }

    /// Whether `bytes` start like a URL qcowscope opens (`scheme://`, scheme case-insensitive):
    /// the commands' test for "a URL, not a path". A local file named `http:` is still reachable
    /// as `./http:…`.
    public static func looksLikeURL(_ bytes: [UInt8]) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              bytes[colon...].starts(with: Array("://".utf8)) else { return false }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        return Scheme(rawValue: scheme) != nil
    }

    /// Parses `text`; throws a ``FormatError`` of structure `.file` saying what is wrong.
    public init(_ text: String) throws(FormatError) {
        func bad(_ why: String) -> FormatError {
            FormatError(.file, at: 0, .invalid("\(RawString.escape(Array(text.utf8))) is not a URL qcowscope opens: \(why)"))
        }
        let bytes = Array(text.utf8)
        guard bytes.count <= 8192 else { throw bad("longer than 8192 bytes") }
        // Control bytes, spaces and DEL: libcurl would refuse or re-encode them, and a name from an
        // image must never smuggle a header line into a request.
        guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { throw bad("it contains a space or control character") }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              bytes[colon...].starts(with: Array("://".utf8)),
              let scheme = Scheme(rawValue: String(decoding: bytes[..<colon], as: UTF8.self).lowercased())
        else { throw bad("the scheme must be http, https, nbd or nbd+unix") }
        let rest = bytes[(colon + 3)...]
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        var authority = rest[rest.startIndex..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            guard scheme.isHTTP else { throw bad("user information is only read for http and https") }
            authority = authority[(at + 1)...]
        }
        let (host, port) = try Self.splitHostPort(authority, bad: bad)
        if scheme == .nbdUnix {
            guard host.isEmpty, port == nil else { throw bad("nbd+unix names no host: nbd+unix:///export?socket=PATH") }
        } else {
            guard !host.isEmpty else { throw bad("the host is empty") }
        }
        self.text = text
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = String(decoding: rest[authorityEnd...], as: UTF8.self)
        if scheme == .nbdUnix {
            guard let socket = query("socket"), !socket.isEmpty else { throw bad("nbd+unix needs ?socket=PATH") }
        }
    }

    /// Splits `host[:port]` (or `[v6]:port`), checking the host's characters and the port's range.
    private static func splitHostPort(_ authority: ArraySlice<UInt8>, bad: (String) -> FormatError) throws(FormatError) -> (String, UInt16?) {
        var hostPart = authority
        var portPart: ArraySlice<UInt8>? = nil
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { throw bad("an IPv6 host lacks its ']'") }
            hostPart = authority[...close]
            let after = authority[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { throw bad("text after the IPv6 host") }
                portPart = after.dropFirst()
            }
            let inner = hostPart.dropFirst().dropLast()
            guard !inner.isEmpty, inner.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { throw bad("the IPv6 host is malformed") }
        } else {
            if let colon = authority.firstIndex(of: UInt8(ascii: ":")) {
                hostPart = authority[..<colon]
                portPart = authority[(colon + 1)...]
            }
            guard hostPart.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                                          || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "%") })
            else { throw bad("the host has a character hosts cannot have") }
        }
        var port: UInt16? = nil
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = UInt16(String(decoding: portPart, as: UTF8.self)), value > 0
            else { throw bad("the port must be a number from 1 to 65535") }
            port = value
        }
        return (String(decoding: hostPart, as: UTF8.self), port)
    }

    /// The value of `key` in the query (`?a=b&c=d`), percent-decoded; nil when absent.
    public func query(_ key: String) -> String? {
        guard let mark = path.firstIndex(of: "?") else { return nil }
        let query = path[path.index(after: mark)...].prefix { $0 != "#" }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == key else { continue }
            return Self.percentDecoded(parts[1])
        }
        return nil
    }

    /// `%XX` escapes decoded; a malformed escape is kept as written.
    static func percentDecoded(_ text: Substring) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }
    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
