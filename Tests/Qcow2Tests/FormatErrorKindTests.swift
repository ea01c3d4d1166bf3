import Foundation
import Qcow2
import Testing

/// Errors are decided on by their kind (``FormatError/Kind``), never by their words.
struct FormatErrorKindTests {
    static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("qcowscope-kind-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func kind(_ bytes: [UInt8]) throws -> FormatError.Kind? {
        let path = try write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Qcow2Image(path: path)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func headerKinds() throws {
        #expect(try Self.kind([UInt8](repeating: 0, count: 10)) == .tooShort(have: 10, need: 72, what: "a qcow2 header"))
        #expect(try Self.kind([UInt8](repeating: 0, count: 4096)) == .badMagic(0, looksLike: nil))
        var v4 = [UInt8](repeating: 0, count: 4096)
        v4.replaceSubrange(0..<8, with: [0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 4])
        #expect(try Self.kind(v4) == .unsupportedVersion(4))
        v4[7] = 1
        #expect(try Self.kind(v4) == .badMagic(0x5146_49fb, looksLike: .qcowVersion1))
    }

    @Test func missingFileIsAnIOErrorWithErrno() {
        do {
            _ = try ReadOnlyFile(path: "/nonexistent/qcowscope")
            Issue.record("opened a missing file")
        } catch {
            #expect(error.structure == .file && error.kind.isMissingFile)
            #expect(error.reason.hasPrefix("cannot open /nonexistent/qcowscope: "))
        }
    }

    @Test func tableValidationKinds() throws {
        let header = try Header(parsing: SyntheticImage().bytes())
        func kind(offset: UInt64, entries: UInt64, fileSize: UInt64 = 1 << 20) -> FormatError.Kind? {
            guard case .failure(let e) = header.validateTable(.l1Table, offset: offset, entries: entries, entrySize: 8,
                                                              maxBytes: 1 << 25, fileSize: fileSize) else { return nil }
            return e.kind
        }
        #expect(kind(offset: 0x30000, entries: 1 << 40) == .tooLarge(count: 1 << 40, limit: 1 << 25))
        #expect(kind(offset: 0x30001, entries: 1) == .misaligned(alignment: header.clusterSize))
        #expect(kind(offset: UInt64.max - 0xffff, entries: 8192) == .overflow)
        #expect(kind(offset: 0x100000, entries: 8192) == .pastEndOfFile(length: 65536, end: 0x110000, fileSize: 1 << 20))
        #expect(kind(offset: 0x30000, entries: 1) == nil)
    }
}
