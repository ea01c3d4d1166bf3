import Qcow2
import Synchronization

/// How far reading the guest's partition tables and filesystems has got, polled by the explorer
/// while ``VolumeUsage/read(analysis:chain:progress:)`` runs in the background. The filesystems'
/// free maps have no size known in advance, so progress is the step and the guest bytes read so
/// far (a ticking count shows the work is alive).
public final class GuestReadProgress: Sendable {
    private let phaseCode = Atomic<UInt8>(0)
    private let bytes = Atomic<UInt64>(0)

    /// The step under way.
    public enum Phase: UInt8, Sendable {
        case waiting, tables, usage, finished
        public var label: String {
            switch self {
            case .waiting: "waiting for the scan"
            case .tables: "reading partition tables and filesystems"
            case .usage: "matching free space with the file's clusters"
            case .finished: "done"
            }
        }
    }

    public init() {}

    public var phase: Phase { Phase(rawValue: phaseCode.load(ordering: .relaxed)) ?? .waiting }
    /// Guest bytes the partition and filesystem readers have read so far.
    public var bytesRead: UInt64 { bytes.load(ordering: .relaxed) }

    func set(_ phase: Phase) { phaseCode.store(phase.rawValue, ordering: .relaxed) }
    func count(_ n: Int) { bytes.add(UInt64(max(0, n)), ordering: .relaxed) }
}

/// A byte source that tells a ``GuestReadProgress`` how many bytes were read through it.
final class CountingSource: ByteSource {
    let base: any ByteSource
    let progress: GuestReadProgress

    init(_ base: any ByteSource, progress: GuestReadProgress) {
        self.base = base
        self.progress = progress
    }

    var size: UInt64 { base.size }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        let n = try base.read(into: buffer, at: offset)
        progress.count(n)
        return n
    }
}
