import Analysis
import Qcow2

/// `qcowscope vet`: the verdict and its reasons, as text for a person and as JSON for the service
/// that runs it (`{"filename", "verdict", "reasons": [{"code", "severity", "structure", "offset",
/// "message"}]}`, issue 17). Messages hold names from the image only escaped.
public struct VetReport: Sendable {
    public let vet: UploadVet
    /// The file name as given on the command line.
    public let filename: String

    public init(vet: UploadVet, filename: String) {
        self.vet = vet
        self.filename = filename
    }

    /// 0 safe, 3 unsafe, 2 damaged (1, unreadable, is the command's: there is no report then).
    public var exitStatus: Int32 {
        switch vet.verdict {
        case .safe: 0
        case .damaged: 2
        case .unsafe: 3
        }
    }

    public func json() -> JSONValue {
        jsonObject([
            ("filename", .string(filename)),
            ("verdict", .string(vet.verdict.rawValue)),
            ("reasons", .array(vet.reasons.map { r in
                jsonObject([
                    ("code", .string(r.code.rawValue)), ("severity", .string(r.severity.rawValue)),
                    ("structure", .string(r.structure.rawValue)), ("offset", .uint(r.offset)),
                    ("message", .string(r.message)),
                ])
            })),
        ])
    }

    /// `etc.qcow2: unsafe`, then one line per reason: severity, code, where, and why.
    public func text() -> String {
        var out = "\(filename.terminalSafe): \(vet.verdict.rawValue)\n"
        for r in vet.reasons {
            let severity = r.severity.rawValue
            out += "  \(severity)\(String(repeating: " ", count: max(0, 8 - severity.count)))\(r.code.rawValue)"
                + " (\(r.structure.rawValue) at \(hex(r.offset))): \(r.message.terminalSafe)\n"
        }
        return out
    }
}
