import Qcow2
import Testing

/// The URL parser and the same-server rule for names a remote image stores.
struct RemoteURLTests {
    @Test(arguments: [
        ("https://example.com/a/b.qcow2", RemoteURL.Scheme.https, "example.com", UInt16(443)),
        ("HTTP://User:pw@Example.COM:8080/x?sig=1", .http, "example.com", 8080),
        ("nbd://127.0.0.1/export", .nbd, "127.0.0.1", 10809),
        ("nbd://[::1]:10810/", .nbd, "[::1]", 10810),
        ("nbd+unix:///disk?socket=/run/n%2Fbd.sock", .nbdUnix, "", 0),
    ])
    func parses(text: String, scheme: RemoteURL.Scheme, host: String, port: UInt16) throws {
        let url = try RemoteURL(text)
        #expect(url.scheme == scheme)
        #expect(url.server.host == host)
        #expect(url.server.port == port)
        #expect(url.text == text)
        if scheme == .nbdUnix { #expect(url.server.socket == "/run/n/bd.sock") }
    }

    @Test(arguments: [
        "ftp://host/x", "http://", "http:///path", "http://host:0/", "http://host:65536/", "http://host:12a/",
        "http://ho st/x", "http://host/a\nHost: evil", "nbd+unix:///export", "nbd+unix://host/e?socket=/s",
        "nbd://user@host/e", "http://[::1/x", "file:///etc/passwd", "http://h\u{7F}/",
    ])
    func refuses(text: String) {
        #expect(throws: FormatError.self) { try RemoteURL(text) }
    }

    @Test func looksLikeURLOnlyForTheSchemesItOpens() {
        #expect(RemoteURL.looksLikeURL(Array("https://h/x".utf8)))
        #expect(RemoteURL.looksLikeURL(Array("NBD+UNIX:///e?socket=/s".utf8)))
        #expect(!RemoteURL.looksLikeURL(Array("./http://x".utf8)))
        #expect(!RemoteURL.looksLikeURL(Array("file:///x".utf8)))
        #expect(!RemoteURL.looksLikeURL(Array("image.qcow2".utf8)))
    }

    /// QEMU's rule (path_combine against the URL), then only the same server.
    @Test func backingNamesResolveAgainstTheURLOnTheSameServerOnly() throws {
        let base = try RemoteURL("http://127.0.0.1:8080/images/top.qcow2")
        func reach(_ name: String) -> String? { try? base.reach(Array(name.utf8)).get().text }
        #expect(reach("base.qcow2") == "http://127.0.0.1:8080/images/base.qcow2")
        #expect(reach("../other/base.qcow2") == "http://127.0.0.1:8080/images/../other/base.qcow2")
        #expect(reach("http://127.0.0.1:8080/x.qcow2") == "http://127.0.0.1:8080/x.qcow2")
        #expect(reach("HTTP://127.0.0.1:8080/x.qcow2") == "HTTP://127.0.0.1:8080/x.qcow2")
        // A local file, another protocol, host, port or scheme: refused, never opened.
        for name in ["/etc/passwd", "file:///etc/passwd", "json:{\"file\":{}}", "http://127.0.0.2:8080/x",
                     "http://127.0.0.1:8081/x", "https://127.0.0.1:8080/x", "nbd://127.0.0.1:8080/x", ""] {
            #expect(reach(name) == nil, "\(name)")
        }
        let refusal = try #require(ReachRule.anywhere.decide(name: Array("/etc/passwd".utf8), fromRemote: base).failure)
        #expect(refusal.reason == .offServer && !refusal.isLiftable)
        #expect(refusal.message.contains("not on the remote image's server http://127.0.0.1:8080"))
    }

    /// vet's `leaves-directory` for a remote upload: a name on the same server that climbs out of
    /// the URL's directory, decided lexically as a local name is.
    @Test func keepsInDirectoryLikeALocalName() throws {
        let base = try RemoteURL("http://127.0.0.1:8080/images/top.qcow2")
        for name in ["base.qcow2", "sub/../base.qcow2", "./a/b", "a/.."] { #expect(base.keepsInDirectory(Array(name.utf8)), "\(name)") }
        for name in ["../base.qcow2", "sub/../../x", "/images/base.qcow2", "http://127.0.0.1:8080/images/x", ""] {
            #expect(!base.keepsInDirectory(Array(name.utf8)), "\(name)")
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
