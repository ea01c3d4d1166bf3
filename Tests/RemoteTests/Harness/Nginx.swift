import Foundation
import TestSupport

/// Debian's nginx serving a directory on 127.0.0.1 over HTTP and HTTPS (a certificate for
/// 127.0.0.1 made with openssl for the run), with an access log of method, status, body bytes
/// and Range header per request, so tests count what a client asked for.
final class Nginx: @unchecked Sendable {
    let directory: String
    let httpPort: Int
    let httpsPort: Int
    let certificate: String
    private let scratch: String

    static var available: Bool { Tools.find("nginx") != nil || FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") }

    init(serving directory: String) throws {
        self.directory = directory
        scratch = try Tools.temporaryDirectory("qcowscope-nginx")
        certificate = scratch + "/cert.pem"
        let cert = try Tools.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", scratch + "/key.pem",
                                  "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                                  "-addext", "subjectAltName=IP:127.0.0.1"], in: scratch)
        guard cert.status == 0 else { throw Failure("openssl: \(cert.stderr)") }
        var lastError = ""
        for _ in 0..<5 {
            let http = FreePort.next(), https = FreePort.next()
            try Self.config(scratch: scratch, root: directory, http: http, https: https)
                .write(toFile: scratch + "/nginx.conf", atomically: true, encoding: .utf8)
            let started = try Tools.run([Self.program, "-c", scratch + "/nginx.conf", "-p", scratch], in: scratch)
            if started.status == 0 {
                httpPort = http
                httpsPort = https
                return
            }
            lastError = started.stderr
        }
        throw Failure("nginx did not start: \(lastError)")
    }

    private static var program: String { Tools.find("nginx") ?? "/usr/sbin/nginx" }

    var httpBase: String { "http://127.0.0.1:\(httpPort)/" }
    var httpsBase: String { "https://127.0.0.1:\(httpsPort)/" }

    /// One access log line.
    struct Request: Equatable {
        var method: String
        var status: Int
        var bytes: Int
        var range: String
        var path: String
    }

    /// The requests logged so far (nginx writes each line when the request ends).
    func requests() -> [Request] {
        let text = (try? String(contentsOfFile: scratch + "/access.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, let status = Int(f[1]), let bytes = Int(f[2]) else { return nil }
            return Request(method: f[0], status: status, bytes: bytes, range: f[3], path: f[4])
        }
    }

    /// Empties the access log (nginx keeps appending to the same file).
    func clearLog() {
        _ = try? Tools.run(["truncate", "-s", "0", scratch + "/access.log"], in: scratch)
    }

    func stop() {
        if let pid = try? String(contentsOfFile: scratch + "/nginx.pid", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), let value = Int32(pid) {
            kill(value, SIGQUIT)
        }
    }

    deinit { stop() }

    private static func config(scratch: String, root: String, http: Int, https: Int) -> String {
        """
        worker_processes 1;
        pid \(scratch)/nginx.pid;
        error_log \(scratch)/error.log;
        events { worker_connections 256; }
        http {
            log_format counted '$request_method $status $body_bytes_sent "$http_range" $uri';
            access_log \(scratch)/access.log counted;
            client_body_temp_path \(scratch)/tmp; proxy_temp_path \(scratch)/tmp; fastcgi_temp_path \(scratch)/tmp;
            uwsgi_temp_path \(scratch)/tmp; scgi_temp_path \(scratch)/tmp;
            keepalive_requests 100000;
            server {
                listen 127.0.0.1:\(http);
                listen 127.0.0.1:\(https) ssl;
                ssl_certificate \(scratch)/cert.pem;
                ssl_certificate_key \(scratch)/key.pem;
                root \(root);
            }
        }
        """
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
