import Qcow2

/// btrfs, recognised by its superblock at 64 KiB (guest-formats.md §1; util-linux libblkid
/// btrfs.c): label and filesystem UUID are shown; its free space lives in the extent and free-space
/// trees, which qcowscope does not walk, so the volume is reported as not analysed.
public enum BtrfsRecognizer: FilesystemReader {
    static let superblockOffset: UInt64 = 0x10000
    static let magic = Array("_BHRfS_M".utf8)

    public static func matches(_ volume: VolumeReader) -> Bool {
        (try? volume.bytes(8, at: superblockOffset + 0x40, for: .filesystem)) == magic
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        var info = FilesystemInfo(kind: .btrfs, notAnalysedReason: "btrfs: free space lives in its extent trees; not analysed")
        do {
            let superblock = try volume.bytes(0x22B, at: superblockOffset, for: .filesystem)
            info.uuid = superblock.uuidText(0x20)
            info.label = superblock.nulTerminatedText(0x12B, 256)
            info.details = [("sector size", "\(superblock.le32(0x90))"), ("node size", "\(superblock.le32(0x94))"),
                            ("devices", "\(superblock.le64(0x88))")]
        } catch {
            info.findings.append(Finding(error))
        }
        return info
    }
}
