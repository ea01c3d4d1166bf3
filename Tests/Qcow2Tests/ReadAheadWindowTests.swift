import Foundation
import Testing
@testable import Qcow2

/// The window of read-ahead advice a cold file gives ahead of its reader (ReadAheadWindow):
/// bounded, moved on by reads, never stuck.
@Suite struct ReadAheadWindowTests {
    /// `n` 64 KiB ranges 1 MiB apart, as a preallocated image's L2 tables.
    static func tables(_ n: Int, from first: Int = 0) -> [Range<UInt64>] {
        (first..<(first + n)).map { UInt64($0) << 20 ..< (UInt64($0) << 20) + 65536 }
    }

    @Test func advisesAWindowAndMovesItWithTheReads() {
        var window = ReadAheadWindow()
        let ranges = Self.tables(300)
        let half = ReadAheadWindow.maxRanges / 2
        #expect(window.announce(ranges) == Array(ranges.prefix(ReadAheadWindow.maxRanges)))
        // Nothing more until half the window is read; then half a window at once.
        for r in ranges[0..<(half - 1)] { #expect(window.read(r).isEmpty) }
        #expect(window.read(ranges[half - 1]) == Array(ranges[ReadAheadWindow.maxRanges..<(ReadAheadWindow.maxRanges + half)]))
        // A read of something never announced changes nothing.
        #expect(window.read(UInt64(1) << 40 ..< (UInt64(1) << 40) + 512).isEmpty)
        // A read further on retires the ranges before it too (skipped by the reader).
        var advised = ReadAheadWindow.maxRanges + half
        advised += window.read(ranges[2 * half + 10]).count
        for r in ranges[(2 * half + 11)...] { advised += window.read(r).count }
        #expect(advised == ranges.count)
        #expect(window.isIdle)
    }

    @Test func boundsTheBytesInFlight() {
        var window = ReadAheadWindow()
        let big = (0..<40).map { UInt64($0) << 30 ..< (UInt64($0) << 30) + (2 << 20) }
        #expect(window.announce(big).count == Int(ReadAheadWindow.maxBytes / (2 << 20)))
        // A single range larger than the byte bound still goes out on its own.
        var other = ReadAheadWindow()
        #expect(other.announce([0..<(64 << 20)]).count == 1)
    }

    @Test func repeatedAnnouncementsAreQueuedOnce() {
        var window = ReadAheadWindow()
        let blocks = Self.tables(200)
        _ = window.announce(blocks)
        #expect(window.announce(blocks).isEmpty)
        var advised = ReadAheadWindow.maxRanges
        for r in blocks { advised += window.read(r).count }
        #expect(advised == blocks.count)
        #expect(window.isIdle)
    }

    /// A reader that never comes back to the advised ranges (it went elsewhere) does not hold
    /// the rest of the announcements back for ever.
    @Test func aWindowNobodyReadsIsRetired() {
        var window = ReadAheadWindow()
        let ranges = Self.tables(ReadAheadWindow.maxRanges + 5)
        _ = window.announce(ranges)
        var later: [Range<UInt64>] = []
        for i in 1...ReadAheadWindow.maxRanges { later += window.read(UInt64(i) << 40 ..< (UInt64(i) << 40) + 1) }
        #expect(later == Array(ranges.suffix(5)))
    }

    /// Reads through a cold ReadOnlyFile with announced ranges return the file's bytes.
    @Test func prefetchedReadsReadTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("read-ahead-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let file = try ReadOnlyFile(path: path)
        let ranges = (0..<256).map { UInt64($0) * 4096 ..< UInt64($0) * 4096 + 512 }
        file.prefetch(ranges)
        var buffer = [UInt8](repeating: 0, count: 512)
        for r in ranges {
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: r.lowerBound) }
            #expect(n == 512)
            #expect(buffer[...] == bytes[Int(r.lowerBound)..<Int(r.upperBound)])
        }
    }
}
