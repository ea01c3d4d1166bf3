import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The images of Tests/Fixtures/make-reach-fixtures.sh, made in a fresh directory with a TCP port
/// that is listened on but never answered: a connection to it is a request the image led to.
/// ReachTests run every command on them locally, RemoteTests over HTTP, VetTests vet them.
public struct ReachFixtures: Sendable {
    public let directory: String
    public let listener: Listener
    public var images: String { directory + "/img" }

    /// Images whose names reach outside (each must be refused), by the name they carry.
    public static let reaching = ["etc-passwd", "file-scheme", "parent", "dev-zero", "fifo", "symlink", "url"]
        .flatMap { ["backing-\($0).qcow2", "data-\($0).qcow2"] }

    public init() throws {
        listener = try Listener()
        directory = try Tools.temporaryDirectory("qcowscope-reach")
        let made = try Tools.run([FixturePaths.root + "/make-reach-fixtures.sh", directory, String(listener.port)], in: directory)
        guard made.status == 0 else { throw Failure(text: "make-reach-fixtures.sh: \(made.stderr)") }
    }

    public func path(_ name: String) -> String { images + "/" + name }

    public func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    public struct Failure: Error, CustomStringConvertible {
        public var text: String
        public var description: String { text }
        public init(text: String) { self.text = text }
    }
}

/// A TCP socket listening on 127.0.0.1 on a port of the kernel's choosing; nothing accepts.
public final class Listener: @unchecked Sendable {
    public let descriptor: Int32
    public let port: UInt16

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, 16) == 0 else {
            throw ReachFixtures.Failure(text: "cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        guard port != 0 else { throw ReachFixtures.Failure(text: "no port from getsockname") }
    }

    /// Whether anyone connected since the listener opened (a waiting connection can be accepted).
    public var wasConnected: Bool {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let client = accept(descriptor, nil, nil)
        if client >= 0 { close(client) }
        return client >= 0
    }

    deinit { close(descriptor) }
}
