/// One filesystem (or volume format) qcowscope can recognise, and read when it analyses it.
///
/// Each kind is a caseless enum conforming to this: `ExtFilesystem`, `XFSFilesystem`,
/// `NTFSFilesystem`, `FATFilesystem`, `SwapSpace`, and recognisers for btrfs, LUKS and LVM2. The
/// volume prober (`FilesystemProbe`) asks each in turn, so adding a filesystem is one type and one
/// line in its list.
public protocol FilesystemReader {
    /// True when the volume's signature says this kind (cheap: one or two small reads; never throws).
    static func matches(_ volume: VolumeReader) -> Bool
    /// Identifies the volume and, for analysed kinds, reads its free-space map. Never throws: damage
    /// becomes findings (structure + guest offset) in the result, and whatever was read is kept.
    static func read(_ volume: VolumeReader) -> FilesystemInfo
}
