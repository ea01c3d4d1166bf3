import Qcow2

/// One state of a disk that `diff` compares: the active layer, an internal snapshot, a layer of
/// the backing chain with the layers below it, or another image file — as a ``GuestMap`` (its
/// layers, top first, as QEMU resolves them) plus the files host offsets point into, so the
/// content comparison can read it through a ``GuestDisk``.
public struct DiffState: @unchecked Sendable {
    /// How the user named it (`active`, `backing:1`, `file:PATH`, a snapshot's id or name).
    public let label: String
    public let map: GuestMap
    /// The snapshot this state is, when it is one.
    public let snapshot: Snapshot?
    let hostFiles: [(any ByteSource)?]
    /// The file identity of each layer's host file (device and inode; the path when it cannot be
    /// stat'ed): two layers reading the same host cluster of the same file read the same bytes.
    let identities: [LayerIdentity]

    init(label: String, map: GuestMap, hostFiles: [(any ByteSource)?], snapshot: Snapshot? = nil) {
        self.label = label
        self.map = map
        self.hostFiles = hostFiles
        self.snapshot = snapshot
        identities = map.layers.map(LayerIdentity.init)
    }

    /// The layers the metadata walk reads: encrypted layers reveal their host offsets (the
    /// ciphertext's place is all "same host cluster" needs; reading bytes still refuses).
    var walkLayers: [GuestMapLayer] {
        map.layers.map { layer in
            var revealed = layer
            revealed.encrypted = false
            return revealed
        }
    }

    /// Guest bytes of the state.
    public var virtualSize: UInt64 { map.virtualSize }

    /// The guest bytes of this state as a byte source (for `--content`).
    public func disk() -> GuestDisk { GuestDisk(map: map, hostFiles: hostFiles) }

    /// The active layer of `chain`'s top image.
    public static func active(_ chain: BackingChain) throws(FormatError) -> DiffState {
        DiffState(label: "active", map: try GuestMap(chain: chain), hostFiles: GuestDisk.hostFiles(chain))
    }

    /// Internal snapshot `snapshot` of `chain`'s top image, over the same backing chain.
    public static func snapshot(_ snapshot: Snapshot, of chain: BackingChain, label: String) throws(FormatError) -> DiffState {
        DiffState(label: label, map: try GuestMap(chain: chain).snapshot(snapshot), hostFiles: GuestDisk.hostFiles(chain),
                  snapshot: snapshot)
    }

    /// Layer `depth` of `chain` (1 = the top image's backing file) with the layers below it.
    public static func backing(_ depth: Int, of chain: BackingChain) throws(FormatError) -> DiffState {
        guard depth >= 1, depth < chain.layers.count else {
            throw FormatError(.backingFile, at: 0, "the chain has no layer backing:\(depth) (it has \(chain.layers.count - 1) backing layer(s))")
        }
        let full = try GuestMap(chain: chain)
        let map = GuestMap(layers: Array(full.layers.dropFirst(depth)), findings: full.findings)
        return DiffState(label: "backing:\(depth)", map: map, hostFiles: Array(GuestDisk.hostFiles(chain).dropFirst(depth)))
    }

    /// The state a user names, QEMU's way for snapshots (`qemu-img snapshot -a`: an id first, then
    /// a name). `file:PATH` opens another image read-only with its own backing chain.
    public static func resolve(_ spec: String, chain: BackingChain, snapshots: [Snapshot],
                               limits: DecodingLimits) throws(FormatError) -> DiffState {
        if spec == "active" { return try active(chain) }
        if spec.hasPrefix("backing:") {
            guard let depth = Int(spec.dropFirst("backing:".count)), depth >= 1 else {
                throw FormatError(.backingFile, at: 0, "'\(spec.terminalSafe)' is not backing:N with N ≥ 1")
            }
            return try backing(depth, of: chain)
        }
        if spec.hasPrefix("file:") {
            let path = Array(spec.utf8.dropFirst("file:".count))
            let image = try Qcow2Image(file: try ReadOnlyFile(rawPath: path), limits: limits)
            let other = try active(BackingChain.open(top: image))
            return DiffState(label: spec, map: other.map, hostFiles: other.hostFiles)
        }
        let bytes = Array(spec.utf8)
        if let found = snapshots.first(where: { $0.id.bytes == bytes }) ?? snapshots.first(where: { $0.name.bytes == bytes }) {
            return try snapshot(found, of: chain, label: spec)
        }
        if spec == "empty" { return empty }
        throw FormatError(.snapshotTable, at: chain.top?.image?.header.snapshotsOffset ?? 0,
                          "no snapshot, chain layer or file named '\(spec.terminalSafe)' (states: active, backing:N, file:PATH, empty, a snapshot id or name)")
    }

    /// `--from`'s default: the newest snapshot (the last in the table, as `qemu-img snapshot -l`
    /// lists them), else the backing file; with neither, an empty disk (``empty``), so the diff
    /// lists everything the image holds.
    public static func defaultFrom(chain: BackingChain, snapshots: [Snapshot]) throws(FormatError) -> DiffState {
        if let newest = snapshots.last { return try snapshot(newest, of: chain, label: newest.name.string) }
        if chain.layers.count > 1 { return try backing(1, of: chain) }
        return empty
    }

    /// A disk of no bytes: everything of the other state past its end counts against zeros.
    public static let empty = DiffState(label: "empty", map: GuestMap(layers: []), hostFiles: [])
}

/// Which file a layer reads its host clusters from.
struct LayerIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
    let path: [UInt8]

    /// The opened file's own identity (`fstat`). A name nothing was opened from (a data file the
    /// reach rule refused, or a missing one) is compared as a name and never looked up: it may
    /// lead outside the image's directory.
    init(_ layer: GuestMapLayer) {
        if let identity = layer.host?.fileIdentity {
            device = identity.device
            inode = identity.inode
            path = []
        } else {
            device = .max
            inode = .max
            path = layer.hostRawPath
        }
    }
}
