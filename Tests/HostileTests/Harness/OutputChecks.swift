import Foundation

/// The promises every run must keep, as functions returning a list of broken ones (empty = fine).
enum OutputChecks {
    /// Exit statuses the product may use: 0 fine, 1 nothing readable, 2 and 3 damage found.
    static let allowedStatuses: ClosedRange<Int32> = 0...3

    /// Status, signal, time box and message rules.
    static func process(_ r: RunResult) -> [String] {
        var problems: [String] = []
        if let signal = r.signal {
            problems.append("killed by signal \(signal)\(signal == 9 ? " (memory or time limit)" : "")")
        } else if r.timedOut {
            problems.append("did not finish within the time box (hang)")
        } else if let status = r.status, !allowedStatuses.contains(status) {
            problems.append("exit status \(status) outside 0...3")
        }
        if let status = r.status, status != 0, allowedStatuses.contains(status),
           r.stderr.allSatisfy({ $0 == 0x20 || $0 == 0x0A }), r.stdout.isEmpty {
            problems.append("exit status \(status) without a message")
        }
        return problems
    }

    /// Text meant for a terminal: valid UTF-8, no C0 control (but newline and tab), no DEL, no C1
    /// control, no bidirectional override. Image text must have been escaped (RawString.escaped).
    static func terminalSafe(_ bytes: [UInt8], stream: String) -> [String] {
        guard !bytes.isEmpty else { return [] }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let at = firstInvalidUTF8(bytes)
            return ["\(stream): invalid UTF-8 at byte \(at): \(context(bytes, at))"]
        }
        var offset = 0
        for scalar in text.unicodeScalars {
            if let what = unsafeScalar(scalar) {
                return ["\(stream): raw \(what) U+\(String(scalar.value, radix: 16)) at byte \(offset): \(context(bytes, offset))"]
            }
            offset += String(scalar).utf8.count
        }
        return []
    }

    /// JSON output: parses, and has no raw ESC or C1 (JSON forbids raw C0 inside strings; the
    /// reports escape C1 too, so nothing from the image can drive a terminal that shows it).
    static func json(_ bytes: [UInt8]) -> [String] {
        guard !bytes.isEmpty else { return [] }
        do {
            _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            return ["stdout is not valid JSON: \(error.localizedDescription); starts \(context(bytes, 0))"]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return ["JSON is not valid UTF-8"] }
        for scalar in text.unicodeScalars where scalar.value == 0x1B || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
            return ["JSON holds a raw control character U+\(String(scalar.value, radix: 16))"]
        }
        return []
    }

    private static func unsafeScalar(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x0A, 0x09: return nil
        case 0x1B: return "ESC"
        case 0x00..<0x20: return "C0 control"
        case 0x7F: return "DEL"
        case 0x80..<0xA0: return "C1 control"
        case 0x202A...0x202E, 0x2066...0x2069: return "bidirectional override"
        default: return nil
        }
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0
            if n == 0 || i + n > bytes.count || String(validating: bytes[i..<(i + n)], as: UTF8.self) == nil { return i }
            i += n
        }
        return bytes.count
    }

    /// A few bytes around `offset`, shown safely, so a failure message never itself attacks the
    /// terminal that prints it.
    static func context(_ bytes: [UInt8], _ offset: Int, radius: Int = 24) -> String {
        let start = max(0, offset - radius), end = min(bytes.count, offset + radius)
        return "\"" + bytes[start..<end].map { b in
            (0x20..<0x7F).contains(b) && b != 0x5C ? String(UnicodeScalar(b)) : "\\x" + String(format: "%02x", b)
        }.joined() + "\""
    }
}
