/// Builds small qcow2 files byte by byte for tests of damaged and hostile headers, so every
/// field can be set to a value QEMU would never write.
struct SyntheticImage {
    var version: UInt32 = 3
    var clusterBits: UInt32 = 16
    var size: UInt64 = 1 << 20
    var cryptMethod: UInt32 = 0
    var l1Size: UInt32 = 1
    var l1TableOffset: UInt64 = 3 << 16
    var refcountTableOffset: UInt64 = 1 << 16
    var refcountTableClusters: UInt32 = 1
    var nbSnapshots: UInt32 = 0
    var snapshotsOffset: UInt64 = 0
    var incompatible: UInt64 = 0
    var compatible: UInt64 = 0
    var autoclear: UInt64 = 0
    var refcountOrder: UInt32 = 4
    var headerLength: UInt32 = 112
    var compressionType: UInt8 = 0
    /// (type, data) pairs written after the header, padded to 8, then the end marker.
    var extensions: [(UInt32, [UInt8])] = []
    var backingName: [UInt8]? = nil
    /// Overrides backing_file_size (e.g. to claim a name longer than the one stored).
    var backingSizeOverride: UInt32? = nil
    /// Writes no end-of-extensions marker (to test overruns).
    var omitEndMarker = false
    /// Clusters the file spans.
    var clusters: Int = 4
    /// Extra bytes placed at absolute offsets after the header is built.
    var patches: [(Int, [UInt8])] = []

    static func be<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    func bytes() -> [UInt8] {
        let clusterSize = 1 << Int(min(clusterBits, 21))
        var b = [UInt8](repeating: 0, count: max(clusters * clusterSize, 4096))
        func put(_ at: Int, _ v: [UInt8]) { if at + v.count <= b.count { b.replaceSubrange(at..<at + v.count, with: v) } }
        put(0, Array("QFI".utf8) + [0xFB])
        put(4, Self.be(version))
        put(20, Self.be(clusterBits))
        put(24, Self.be(size))
        put(32, Self.be(cryptMethod))
        put(36, Self.be(l1Size))
        put(40, Self.be(l1TableOffset))
        put(48, Self.be(refcountTableOffset))
        put(56, Self.be(refcountTableClusters))
        put(60, Self.be(nbSnapshots))
        put(64, Self.be(snapshotsOffset))
        var position = 72
        if version >= 3 {
            put(72, Self.be(incompatible))
            put(80, Self.be(compatible))
            put(88, Self.be(autoclear))
            put(96, Self.be(refcountOrder))
            put(100, Self.be(headerLength))
            if headerLength > 104 { put(104, [compressionType]) }
            position = Int(headerLength)
        }
        for (type, data) in extensions {
            put(position, Self.be(type) + Self.be(UInt32(data.count)) + data)
            position += 8 + (data.count + 7) / 8 * 8
        }
        if !omitEndMarker {
            put(position, [UInt8](repeating: 0, count: 8))
            position += 8
        }
        if let name = backingName {
            put(8, Self.be(UInt64(position)))
            put(16, Self.be(backingSizeOverride ?? UInt32(name.count)))
            put(position, name)
        }
        for (at, v) in patches { put(at, v) }
        return b
    }

    /// Writes the image to a temporary file and opens it.
    func open(limits: DecodingLimits = DecodingLimits()) throws -> Qcow2Image {
        try Qcow2Image(path: try writeTemporaryFile(bytes()), limits: limits)
    }
}

import Qcow2
