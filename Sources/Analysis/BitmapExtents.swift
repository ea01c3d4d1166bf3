import Guest
import Qcow2

/// One range of guest bytes a dirty bitmap marks as dirty: a guest extent like any other.
public typealias DirtyExtent = GuestExtent

/// A persistent dirty bitmap decoded into the guest ranges it marks dirty (spec, "Bitmaps":
/// bit `n` covers guest bytes `[n * granularity, (n + 1) * granularity)`, clipped to the disk).
///
/// The extents are exactly what `qemu-nbd -r -B NAME` exports as `qemu:dirty-bitmap:NAME`
/// (type 1 = dirty in `nbdinfo --map`), with one difference: a bitmap QEMU considers
/// inconsistent (flag in_use set, or the header's bitmaps autoclear bit clear) is still decoded
/// here, and ``isConsistent`` says QEMU would refuse it ("Bitmap '…' is inconsistent and cannot
/// be used").
public struct BitmapExtents: Sendable {
    /// The directory entry (name, flags, granularity, table).
    public let entry: BitmapDirectoryEntry
    /// Dirty ranges in guest order, adjacent ranges merged.
    public let extents: [DirtyExtent]
    /// Sum of the extents' lengths.
    public let dirtyBytes: UInt64
    /// Guest bytes the bitmap covers: the virtual size rounded down to sectors (QEMU's length).
    public let virtualSize: UInt64
    /// False when nothing could be decoded (unusable granularity, unreadable table).
    public let isDecoded: Bool
    /// Whether QEMU would load the bitmap: not in use, bitmaps autoclear bit set, and nothing
    /// QEMU's checks reject (see ``findings``).
    public let isConsistent: Bool
    /// What is wrong with this bitmap: directory-entry checks, table entries, unreadable data.
    public let findings: [Finding]

    public var name: RawString { entry.name }
    public var isInUse: Bool { entry.isInUse }

    public init(entry: BitmapDirectoryEntry, extents: [DirtyExtent], virtualSize: UInt64, isDecoded: Bool,
                isConsistent: Bool, findings: [Finding]) {
        self.entry = entry
        self.extents = extents
        self.dirtyBytes = extents.reduce(0) { $0 &+ $1.length }
        self.virtualSize = virtualSize
        self.isDecoded = isDecoded
        self.isConsistent = isConsistent
        self.findings = findings
    }

    /// Every persistent bitmap of `image`, decoded, with the directory's own findings (those
    /// about one entry are also in that bitmap's ``findings``).
    public static func decodeAll(_ image: Qcow2Image) -> (bitmaps: [BitmapExtents], findings: [Finding]) {
        let (entries, directoryFindings) = image.readBitmapDirectory()
        let bitmaps = entries.map { entry in
            let own = directoryFindings.filter { $0.structure == .bitmapDirectory && $0.offset == entry.entryOffset }
            return decode(entry, in: image, entryFindings: own)
        }
        return (bitmaps, directoryFindings)
    }

    /// Decodes one bitmap. Never throws: damage becomes findings and, where QEMU would refuse
    /// the bitmap, ``isConsistent`` is false; what can be read is still decoded.
    public static func decode(_ entry: BitmapDirectoryEntry, in image: Qcow2Image, entryFindings: [Finding] = []) -> BitmapExtents {
        var decoder = BitmapDecoder(entry: entry, image: image)
        decoder.findings = entryFindings
        let decoded = decoder.run()
        let header = image.header
        var consistent = decoded && header.bitmapsConsistent && !entry.isInUse
        consistent = consistent && !decoder.findings.contains { $0.severity == .error }
        return BitmapExtents(entry: entry, extents: decoder.extents, virtualSize: decoder.virtualSize,
                             isDecoded: decoded, isConsistent: consistent, findings: decoder.findings)
    }

    /// Why QEMU would not export this bitmap, in qemu-nbd's words where it has them; nil when it would.
    public var refusal: String? {
        if isConsistent { return nil }
        if isInUse || !isDecoded || findings.contains(where: { $0.severity == .error }) {
            return "Bitmap '\(name.escaped)' is inconsistent and cannot be used"
        }
        return "the header's bitmaps autoclear bit is clear: QEMU ignores every bitmap of this image"
    }

    /// Whether guest byte `offset` is dirty (binary search over the extents).
    public func isDirty(at offset: UInt64) -> Bool {
        var low = 0
        var high = extents.count
        while low < high {
            let mid = (low + high) / 2
            if extents[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low < extents.count && extents[low].start <= offset
    }
}
