#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Qcow2

/// Small formatters the human `info` output shares with qemu-img's look.
public enum InfoFormatting {
    /// A byte count as qemu-img's `size_to_str` prints it: three significant digits and a binary
    /// unit, switching unit from 1000 of the smaller one ("196 KiB", "1 GiB", "0.977 MiB").
    /// `n` and the noun, singular for 1: "1 entry", "2 entries", "1 sector", "0 holes".
    public static func count<N: BinaryInteger>(_ n: N, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    public static func humanSize(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var unit = 0
        var scaled = Double(bytes)
        while unit + 1 < units.count, scaled >= 1000 {
            scaled /= 1024
            unit += 1
        }
        return threeSignificant(scaled) + " " + units[unit]
    }

    /// `%0.3g` for values below 1000: trailing zeros and a trailing point dropped.
    static func threeSignificant(_ value: Double) -> String {
        // Values ≥ 1 unit have 1-3 integer digits; a scaled value below 1 is at least 1000/1024.
        let decimals = value >= 99.95 || value == 0 ? 0 : value >= 9.995 ? 1 : value >= 0.9995 ? 2 : 3
        var factor = 1
        for _ in 0..<decimals { factor *= 10 }
        let scaled = Int((value * Double(factor)).rounded())
        var text = String(scaled / factor)
        var fraction = String(scaled % factor)
        if decimals > 0 {
            fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return text
    }

    /// Local date and time of a snapshot ("2023-11-14 22:13:20"), as qemu-img prints DATE.
    public static func date(_ seconds: UInt32) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard localtime_r(&time, &parts) != nil else { return String(seconds) }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) "
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
    }

    /// A guest clock in nanoseconds as "HH:MM:SS.mmm" (hours unbounded), as qemu-img's VM CLOCK.
    public static func clock(_ nanoseconds: UInt64) -> String {
        let ms = nanoseconds / 1_000_000
        let seconds = ms / 1000
        let millis = String(ms % 1000)
        return "\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))."
            + String(repeating: "0", count: 3 - millis.count) + millis
    }

    static func pad<T: BinaryInteger>(_ value: T) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Left-aligned columns separated by two spaces, the widest cell setting each column's width.
    static func table(_ rows: [[String]], indent: String = "  ") -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                line += i + 1 < row.count ? rightPad(cell, widths[i] + 2) : cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// `text` followed by spaces up to `width` characters.
    static func rightPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Text made safe for a terminal without escaping backslashes twice: control characters
    /// (C0, DEL, C1) and bidirectional or zero-width marks become `\u{…}`. For messages that
    /// already hold escaped image text but may also carry a raw path.
    static func safe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00..<0x20, 0x7F..<0xA0, 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
