import Qcow2
import Formatting
import Analysis
import Qcow2

/// What compacting the image would give, stated with the cluster size each figure assumes:
/// `qemu-img measure -O qcow2` answers for its default 64 KiB clusters, which for an image of
/// 4 KiB clusters can be far larger than the file (a 536 MiB file whose "compacted copy needs
/// 3.75 GiB"); the copy with the image's own cluster size is given beside it. Compacting is
/// advised only when a copy would be smaller than the file.
public struct CompactAdvice: Sendable, Hashable {
    public let fileSize: UInt64
    /// The image's cluster size.
    public let clusterSize: UInt64
    /// `qemu-img convert -O qcow2` without options (64 KiB clusters): `qemu-img measure`'s answer.
    public let defaultCopy: CompactSize
    /// A copy keeping the image's cluster size (`-o cluster_size=N`); nil when that is the default.
    public let sameClusterCopy: CompactSize?

    /// Measures both copies of `map`'s current disk (the image and its backing chain).
    public init(map: GuestMap, clusterSize: UInt64, fileSize: UInt64) throws(FormatError) {
        // Both copies from one walk of the guest map.
        self.init(sizes: try CompactSize.measure(map, clusterSizes: Self.clusterSizes(clusterSize)), clusterSize: clusterSize,
                  fileSize: fileSize)
    }

    /// From the measures of the copies ``clusterSizes(_:)`` names, in that order (a
    /// ``CompactSizeTally``'s result).
    public init(sizes: [CompactSize], clusterSize: UInt64, fileSize: UInt64) {
        self.fileSize = fileSize
        self.clusterSize = clusterSize
        defaultCopy = sizes[0]
        sameClusterCopy = sizes.count > 1 ? sizes[1] : nil
    }

    /// The destination cluster sizes measured for an image of `clusterSize` clusters: the
    /// default, then the image's own when it differs.
    public static func clusterSizes(_ clusterSize: UInt64) -> [UInt64] {
        clusterSize == CompactSize.defaultClusterSize ? [CompactSize.defaultClusterSize] : [CompactSize.defaultClusterSize, clusterSize]
    }

    /// The smaller copy and the cluster size it has.
    public var best: (size: UInt64, clusterSize: UInt64) {
        guard let same = sameClusterCopy, same.required < defaultCopy.required else {
            return (defaultCopy.required, CompactSize.defaultClusterSize)
        }
        return (same.required, clusterSize)
    }

    /// Whether a compacted copy would be smaller than the file.
    public var shrinks: Bool { best.size < fileSize }

    /// The fragmentation band, without advising to compact when no copy would be smaller.
    public func band(_ stats: FragmentationStats) -> String {
        stats.score > 55 && !shrinks ? "fragmented, but no compacted copy is smaller" : stats.band
    }

    /// "copy 3.75 GiB (64 KiB clusters), 530 MiB (4 KiB)": both copies, the default first.
    public var summary: String {
        let size = Formatted.humanSize
        var text = "copy \(size(defaultCopy.required)) (\(size(CompactSize.defaultClusterSize)) clusters)"
        if let same = sameClusterCopy { text += ", \(size(same.required)) (\(size(clusterSize)))" }
        return text
    }

    /// The report's lines: both figures with the cluster size each assumes, then the advice.
    public var lines: [String] {
        let size = Formatted.humanSize
        var out = ["A compacted copy with \(size(CompactSize.defaultClusterSize)) clusters (qemu-img convert -O qcow2, the default) needs "
                   + "\(size(defaultCopy.required)) (\(defaultCopy.required) bytes)"]
        if let same = sameClusterCopy {
            out.append("with this image's \(size(clusterSize)) clusters (-o cluster_size=\(clusterSize)) it needs "
                       + "\(size(same.required)) (\(same.required) bytes)")
        }
        let best = best
        if shrinks {
            let option = best.clusterSize == CompactSize.defaultClusterSize ? "" : " -o cluster_size=\(best.clusterSize)"
            out.append("Compacting (qemu-img convert -O qcow2\(option)) would save \(size(fileSize - best.size)) of the file's \(size(fileSize))")
        } else {
            out.append("Compacting would not make the file smaller: it is \(size(fileSize)), the smallest copy \(size(best.size))")
        }
        return out
    }
}
