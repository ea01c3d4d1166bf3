import Analysis

/// Writes a guest map exactly as `qemu-img map` (qemu 7.2, `dump_map_entry` in qemu-img.c) does,
/// streaming: entries go into one byte buffer that is handed to `output` in large chunks, so a
/// map of millions of entries is written without building strings per entry.
///
/// JSON: `[` then one `{ "start": …, "length": …, "depth": …, "present": …, "zero": …,
/// "data": …[, "offset": …]}` per entry joined by `,\n`, then `]\n`.
/// Human: a header, then one line per data range that is not zero (`%#-16x` columns: Offset,
/// Length, Mapped to, File); qemu-img refuses this format when a data range has no host offset.
public struct MapReportWriter {
    public enum Format: Sendable { case json, human }

    /// Why the human format cannot show the map (qemu-img: "File contains external, encrypted or
    /// compressed clusters.").
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var entry: GuestMapEntry
        public var description: String { "File contains external, encrypted or compressed clusters." }
    }

    public let format: Format
    /// The "File" column per depth: the path host offsets at that depth point into.
    private let fileNames: [String]
    private let stream: ByteStream
    private var written = 0

    public init(format: Format, fileNames: [String], output: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.format = format
        self.fileNames = fileNames
        stream = ByteStream(output: output)
        switch format {
        case .json: append("[")
        case .human: append("Offset          Length          Mapped to       File\n")
        }
    }

    /// Writes one (already merged) entry.
    public mutating func add(_ entry: GuestMapEntry) throws(Refusal) {
        switch format {
        case .json: addJSON(entry)
        case .human: try addHuman(entry)
        }
        written += 1
    }

    /// Closes the output and hands over what is left. An empty map prints qemu-img's single
    /// zero-length entry.
    public mutating func finish() {
        if format == .json {
            if written == 0 { addJSON(GuestMapEntry(start: 0, length: 0, depth: 0, present: false, zero: false, data: false, offset: nil)) }
            append("]\n")
        }
        flush()
    }

    /// Hands over what was written so far without closing the JSON array (qemu-img stops the same
    /// way when it cannot read the image's metadata).
    public mutating func abandon() { flush() }

    private mutating func addJSON(_ e: GuestMapEntry) {
        if written > 0 { append(",\n") }
        append("{ \"start\": ")
        appendDecimal(e.start)
        append(", \"length\": ")
        appendDecimal(e.length)
        append(", \"depth\": ")
        appendDecimal(UInt64(e.depth))
        // Literals chosen by `if`, not `?:` (which would make them Strings).
        if e.present { append(", \"present\": true") } else { append(", \"present\": false") }
        if e.zero { append(", \"zero\": true") } else { append(", \"zero\": false") }
        if e.data { append(", \"data\": true") } else { append(", \"data\": false") }
        if let offset = e.offset {
            append(", \"offset\": ")
            appendDecimal(offset)
        }
        append("}")
    }

    private mutating func addHuman(_ e: GuestMapEntry) throws(Refusal) {
        if e.data && e.offset == nil { throw Refusal(entry: e) }
        guard e.data && !e.zero else { return }
        appendHexColumn(e.start)
        appendHexColumn(e.length)
        appendHexColumn(e.offset ?? 0)
        if e.depth >= 0, e.depth < fileNames.count { append(string: fileNames[e.depth]) }
        append("\n")
    }

    private func flush() { stream.flush() }

    @inline(__always) private func append(_ s: StaticString) { stream.append(s) }

    private func append(string s: String) { stream.append(string: s) }

    @inline(__always) private func appendDecimal(_ value: UInt64) { stream.appendDecimal(value) }

    /// printf's `%#-16x`: "0x" and lowercase hex (just "0" for zero), left-justified in 16.
    private mutating func appendHexColumn(_ value: UInt64) {
        let text = value == 0 ? "0" : "0x" + String(value, radix: 16)
        append(string: text)
        for _ in text.utf8.count..<max(16, text.utf8.count) { stream.append(byte: 0x20) }
    }
}
