import Qcow2

extension GuestMapLayer {
    /// A qcow2 layer that reads an internal snapshot's L1 table instead of the active one (spec,
    /// "Snapshots": the snapshot's l1_table_offset and l1_size describe the disk as it was), with
    /// the snapshot's own disk size when its extra data records one.
    public init(image: Qcow2Image, snapshot: Snapshot, dataFile: (any ByteSource)? = nil) throws(FormatError) {
        let header = image.header
        guard header.hasUsableGeometry else {
            throw FormatError(.header, at: 20, "cluster_bits \(header.clusterBits) cannot be mapped")
        }
        let l1 = try image.readL1Table(of: snapshot)
        format = .qcow2(image, l1: l1)
        damage = nil
        length = (snapshot.diskSize ?? header.size) & ~UInt64(511)
        hasDataFile = header.hasExternalDataFile
        (host, hostRawPath) = Self.host(image, dataFile: dataFile)
        encrypted = header.cryptMethod != 0
        metadataPreallocated = Self.detectMetadataPreallocation(image)
    }
}

extension GuestMap {
    /// The map of internal snapshot `snapshot` of the top image: its L1 table on top of the same
    /// backing chain (QEMU reverts to a snapshot without changing the backing file).
    public func snapshot(_ snapshot: Snapshot) throws(FormatError) -> GuestMap {
        guard let top = layers.first, let image = top.image else {
            throw FormatError(.snapshotTable, at: snapshot.entryOffset, "the top layer is not a qcow2 image")
        }
        let layer = try GuestMapLayer(image: image, snapshot: snapshot,
                                      dataFile: top.hasDataFile ? top.host : nil)
        return GuestMap(layers: [layer] + layers.dropFirst(), findings: findings)
    }
}
