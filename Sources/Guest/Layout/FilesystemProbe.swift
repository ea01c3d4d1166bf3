import Qcow2

/// Asks each ``FilesystemReader`` in turn whether a volume is its kind, and reads it with the first
/// that says yes. A volume no reader recognises is of kind `unknown` — never an error.
public enum FilesystemProbe {
    /// The readers, most specific signature first: a volume reformatted from swap to ext4 keeps no
    /// swap magic (mkfs wipes it), but FAT's signature is only a plausible boot sector, so it comes
    /// last. Adding a filesystem is one type and one line here.
    public static var readers: [any FilesystemReader.Type] { [
        LVM2PhysicalVolume.self, LUKSRecognizer.self, SwapSpace.self, ExtFilesystem.self,
        XFSFilesystem.self, BtrfsRecognizer.self, NTFSFilesystem.self, FATFilesystem.self,
    ] }

    /// The reader that recognises `volume`, if any.
    public static func reader(for volume: VolumeReader) -> (any FilesystemReader.Type)? {
        readers.first { $0.matches(volume) }
    }

    /// What `volume` holds: the first matching reader's result, or kind `unknown`.
    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        guard let reader = reader(for: volume) else {
            return FilesystemInfo(kind: .unknown, notAnalysedReason: "no known filesystem signature")
        }
        return reader.read(volume)
    }
}
