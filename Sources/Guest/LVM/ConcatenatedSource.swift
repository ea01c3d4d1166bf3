import Qcow2

/// A logical volume made of several guest extents, read as one contiguous device: byte 0 is the
/// first piece's first byte. Filesystem readers see an LV spread over several PV extents as the
/// kernel's device-mapper does; ``toGuest(_:)`` maps what they report back to guest offsets.
final class ConcatenatedSource: ByteSource, Sendable {
    let base: any ByteSource
    let pieces: [GuestExtent]
    /// Start of each piece inside the LV.
    private let starts: [UInt64]
    let size: UInt64

    init(base: any ByteSource, pieces: [GuestExtent]) {
        self.base = base
        self.pieces = pieces
        var starts: [UInt64] = []
        var total: UInt64 = 0
        for piece in pieces {
            starts.append(total)
            total += piece.length
        }
        self.starts = starts
        size = total
    }

    /// The piece holding LV byte `offset`.
    private func pieceIndex(_ offset: UInt64) -> Int? {
        var low = 0, high = pieces.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] + pieces[mid].length <= offset { low = mid + 1 } else { high = mid }
        }
        return low < pieces.count && offset >= starts[low] ? low : nil
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        guard offset < size else { return 0 }
        var done = 0
        while done < buffer.count, let index = pieceIndex(offset + UInt64(done)) {
            let within = offset + UInt64(done) - starts[index]
            let count = Int(min(UInt64(buffer.count - done), pieces[index].length - within))
            let part = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<done + count])
            let got = try base.read(into: part, at: pieces[index].start + within)
            done += got
            if got < count { break }
        }
        return done
    }

    /// The guest extents that LV bytes `extent` occupy, piece by piece.
    func toGuest(_ extent: GuestExtent) -> [GuestExtent] {
        var out: [GuestExtent] = []
        var position = extent.start
        let end = extent.end
        while position < end, let index = pieceIndex(position) {
            let within = position - starts[index]
            let count = min(end - position, pieces[index].length - within)
            out.append(GuestExtent(start: pieces[index].start + within, length: count))
            position += count
        }
        return out
    }

    /// The guest offset of LV byte `offset` (findings name the guest byte).
    func toGuest(offset: UInt64) -> UInt64 {
        guard let index = pieceIndex(offset) else { return offset }
        return pieces[index].start + (offset - starts[index])
    }
}
