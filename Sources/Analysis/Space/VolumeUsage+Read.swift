import Guest
import Qcow2

extension VolumeUsage {
    /// What `space` and the explorer compute beside the scan: the guest disk of the active layer
    /// (read through `chain`), its partition tables, volumes and filesystems
    /// (``GuestDiskLayout/read(_:)``), and the figures. Needs no scan (``breakdown(_:)`` takes it
    /// afterwards), so it can run beside one. Never throws for damage inside the guest (those are
    /// findings); throws when the active L1 table cannot be read at all.
    ///
    /// An encrypted image's guest cannot be read without its key: the disk is then one volume
    /// that is not analysed, and a finding says why.
    ///
    /// `progress`, when given, follows the steps and the guest bytes read (the explorer polls it).
    public static func read(chain: BackingChain, progress: GuestReadProgress? = nil) throws(FormatError) -> VolumeUsage {
        progress?.set(.tables)
        defer { progress?.set(.finished) }
        let disk = try GuestDisk(chain: chain)
        if let header = chain.layers.first?.image?.header, header.cryptMethod != 0 {
            let info = FilesystemInfo(kind: .unknown, notAnalysedReason: "the image is encrypted; its guest is not read without the key")
            let volume = GuestVolume(start: 0, length: disk.size, table: .none, partition: nil, type: nil, filesystem: info)
            let finding = Finding(.info, .header, at: 32, "the image is encrypted (crypt_method \(header.cryptMethod)): partitions and filesystems are not read")
            return try VolumeUsage(map: disk.map, volumes: [volume], findings: [finding])
        }
        let layout = GuestDiskLayout.read(VolumeReader(source: progress.map { CountingSource(disk, progress: $0) } ?? disk))
        progress?.set(.usage)
        return try VolumeUsage(map: disk.map, volumes: layout.volumes, findings: layout.findings)
    }
}
