/// A classic hex dump for the drill-down view:
/// `0000000000010000  51 46 49 fb 00 00 00 03  00 00 00 00 00 00 00 00  |QFI.............|`.
///
/// Offsets are absolute file offsets (`baseOffset` + position). Highlights colour byte ranges
/// (the field under the cursor); non-printable bytes show as `.` in the ASCII column, so raw
/// image bytes can never drive the terminal. As `hexdump -C`, a run of lines equal to the one
/// before (a zeroed cluster is one line and a `*`) shows as one `*` line.
public struct HexDump: Widget, Sendable {
    public var bytes: [UInt8]
    public var baseOffset: UInt64
    /// First dump row shown.
    public var scrollRow: Int
    public var highlights: [HexHighlight]
    public var offsetStyle: Style
    public var asciiStyle: Style

    public init(bytes: [UInt8], baseOffset: UInt64 = 0, scrollRow: Int = 0, highlights: [HexHighlight] = [],
                offsetStyle: Style = .dim, asciiStyle: Style = .plain) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.scrollRow = scrollRow
        self.highlights = highlights
        self.offsetStyle = offsetStyle
        self.asciiStyle = asciiStyle
    }

    /// Hex digits of the offset column: enough for the last offset, at least 8.
    public var offsetDigits: Int {
        let (last, overflow) = baseOffset.addingReportingOverflow(UInt64(bytes.count))
        let top = overflow ? UInt64.max : last
        return max(8, String(top, radix: 16).count)
    }

    /// 16 bytes per row when the width allows, else 8.
    public func bytesPerRow(width: Int) -> Int { width >= Self.lineWidth(offsetDigits, 16) ? 16 : 8 }

    /// Number of dump rows for the data at `width` (repeated lines collapsed).
    public func rowCount(width: Int) -> Int { shownRows(perRow: bytesPerRow(width: width)).count }

    /// The data rows shown, in order; nil stands for the `*` of a run of repeated lines.
    func shownRows(perRow: Int) -> [Int?] {
        let total = (bytes.count + perRow - 1) / perRow
        var out: [Int?] = []
        out.reserveCapacity(min(total, 4096))
        var previousWasStar = false
        for row in 0..<total {
            let start = row * perRow
            let repeats = row > 0 && start + perRow <= bytes.count
                && bytes[start..<(start + perRow)].elementsEqual(bytes[(start - perRow)..<start])
            if repeats {
                if !previousWasStar { out.append(nil) }
                previousWasStar = true
            } else {
                out.append(row)
                previousWasStar = false
            }
        }
        return out
    }

    static func lineWidth(_ digits: Int, _ perRow: Int) -> Int { digits + 2 + perRow * 3 + perRow / 8 + 2 + perRow }

    public func draw(into screen: inout Screen, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let perRow = bytesPerRow(width: rect.width)
        let shown = shownRows(perRow: perRow)
        let first = min(max(0, scrollRow), max(0, shown.count - 1))
        let digits = offsetDigits
        for line in 0..<min(rect.height, shown.count - first) {
            let y = rect.y + line
            guard let row = shown[first + line] else {
                screen.put("*", at: Point(x: rect.x, y: y), style: offsetStyle)
                continue
            }
            let start = row * perRow
            let (offset, overflow) = baseOffset.addingReportingOverflow(UInt64(start))
            let offsetText = overflow ? String(repeating: "?", count: digits) : Self.hex(offset, digits: digits)
            var x = rect.x
            x += screen.put(offsetText, at: Point(x: x, y: y), style: offsetStyle, maxWidth: rect.maxX - x) + 2
            var ascii = rect.x + Self.lineWidth(digits, perRow) - perRow - 1
            screen.put("|", at: Point(x: ascii - 1, y: y), style: .dim)
            for k in 0..<perRow {
                let column = x + k * 3 + k / 8
                let index = start + k
                guard index < bytes.count else { continue }
                let byte = bytes[index]
                let style = highlights.last(where: { $0.range.contains(index) })?.style ?? .plain
                screen.put(Self.hex(UInt64(byte), digits: 2), at: Point(x: column, y: y), style: style,
                           maxWidth: max(0, rect.maxX - column))
                let printable = byte >= 0x20 && byte < 0x7F
                if ascii < rect.maxX {
                    screen.set(Cell(printable ? Character(Unicode.Scalar(byte)) : ".", style: style == .plain ? asciiStyle : style),
                               at: Point(x: ascii, y: y))
                }
                ascii += 1
            }
            if ascii < rect.maxX { screen.put("|", at: Point(x: ascii, y: y), style: .dim) }
        }
    }

    /// Lower-case hex, zero-padded to `digits`.
    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}

/// Bytes of a ``HexDump`` to colour, by index into its `bytes`.
public struct HexHighlight: Hashable, Sendable {
    public var range: Range<Int>
    public var style: Style

    public init(_ range: Range<Int>, style: Style) {
        self.range = range
        self.style = style
    }
}
