/// A byte source in front of another that fails on purpose: reads touching chosen offsets throw
/// `EIO` or come back short, as a dying disk or a truncating writer would make them. For tests,
/// and for `QCOWSCOPE_INJECT_FAULTS` in the executable, which puts one in front of the image
/// it opens so the hostile tests can run every command over failing reads. Never writes.
public final class FaultySource: ForwardingSource {
    /// What a read touching ``offset`` does.
    public enum Fault: Sendable, Hashable {
        /// Throws an I/O error (`EIO`).
        case ioError
        /// Returns only the bytes before the offset (a short read before the end).
        case shortRead
    }

    public let base: any ByteSource
    public let faults: [(offset: UInt64, fault: Fault)]

    public init(_ base: any ByteSource, faults: [(offset: UInt64, fault: Fault)]) {
        self.base = base
        self.faults = faults
    }

    /// Parses `eio@0x30000,short@65536`; nil when a part is not of that form.
    public convenience init?(_ base: any ByteSource, spec: String) {
        var faults: [(UInt64, Fault)] = []
        for part in spec.split(separator: ",") {
            let pieces = part.split(separator: "@")
            guard pieces.count == 2 else { return nil }
            let text = pieces[1].lowercased()
            let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            guard let value else { return nil }
            switch pieces[0] {
            case "eio": faults.append((value, .ioError))
            case "short": faults.append((value, .shortRead))
            default: return nil
            }
        }
        self.init(base, faults: faults)
    }

    /// Reopened, the fresh source fails the same way: a test of a re-read sees the same faults.
    public func reopened() throws(FormatError) -> (any ByteSource)? {
        try base.reopened().map { FaultySource($0, faults: faults) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        let (end, overflow) = offset.addingReportingOverflow(UInt64(buffer.count))
        let hit = faults.filter { $0.offset >= offset && ($0.offset < end || overflow) }.min { $0.offset < $1.offset }
        guard let hit else { return try base.read(into: buffer, at: offset) }
        switch hit.fault {
        case .ioError:
            throw FormatError(.file, at: hit.offset, .io(errno: SystemError.ioError, operation: "read failed"))
        case .shortRead:
            // offset ≤ hit.offset < offset + count: the prefix fits in the buffer.
            let prefix = Int(hit.offset - offset)
            guard prefix > 0 else { return 0 }
            return try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<prefix]), at: offset)
        }
    }
}
