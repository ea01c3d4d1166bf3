#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The formatters the reports and the explorer share: sizes, dates and clocks as qemu-img
/// prints them.
public enum Formatted {
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
    public static func threeSignificant(_ value: Double) -> String {
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

    public static func pad<T: BinaryInteger>(_ value: T) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
