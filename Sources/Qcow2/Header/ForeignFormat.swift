/// What a file that is not qcow2 looks like, when its first sectors say so plainly: another
/// disk image format, an encrypted volume, or a raw disk (partition table or filesystem).
/// Only signatures at fixed offsets are checked, as `qemu-img`'s probes and `file(1)` do; a
/// file matching none is just "not a qcow2 image".
public enum ForeignFormat: Sendable, Hashable, CustomStringConvertible {
    case vmdkSparse, vmdkESXSparse, vmdkDescriptor, vhd, vhdx, vdi, qed, qcowVersion1, luks, iso9660
    case gptDisk, mbrDisk
    case filesystem(String)

    /// The words after "looks like".
    public var description: String {
        switch self {
        case .vmdkSparse: "a VMDK sparse extent (KDMV)"
        case .vmdkESXSparse: "a VMDK ESX sparse extent (COWD)"
        case .vmdkDescriptor: "a VMDK descriptor (# Disk DescriptorFile)"
        case .vhd: "a VHD image (conectix)"
        case .vhdx: "a VHDX image (vhdxfile)"
        case .vdi: "a VirtualBox VDI image"
        case .qed: "a QED image (QED\\0)"
        case .qcowVersion1: "a legacy qcow image (version 1)"
        case .luks: "a LUKS encrypted volume (LUKS\\xba\\xbe)"
        case .iso9660: "an ISO 9660 CD/DVD image (CD001)"
        case .gptDisk: "a raw disk with a GPT partition table"
        case .mbrDisk: "a raw disk with an MBR partition table"
        case .filesystem(let name): "a raw \(name) filesystem"
        }
    }

    /// The format `source` looks like, from a few small reads (the first 64 KiB and the last
    /// sector); nil when nothing matches or the reads fail.
    public static func detect(in source: any ByteSource) -> ForeignFormat? {
        let head = (try? source.readBytes(Int(min(source.size, 0x10100)), at: 0, for: .file)) ?? []
        func at(_ offset: Int, _ signature: [UInt8]) -> Bool {
            offset >= 0 && head.count >= offset + signature.count && Array(head[offset..<(offset + signature.count)]) == signature
        }
        func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
        if at(0, ascii("KDMV")) { return .vmdkSparse }
        if at(0, ascii("COWD")) { return .vmdkESXSparse }
        if at(0, ascii("# Disk DescriptorFile")) { return .vmdkDescriptor }
        if at(0, ascii("vhdxfile")) { return .vhdx }
        if at(0, ascii("conectix")) { return .vhd }
        if at(0x40, [0x7f, 0x10, 0xda, 0xbe]) { return .vdi }
        if at(0, [0x51, 0x45, 0x44, 0x00]) { return .qed }
        if at(0, [0x51, 0x46, 0x49, 0xfb]), at(4, [0, 0, 0, 1]) { return .qcowVersion1 }
        if at(0, [0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]) { return .luks }
        // A fixed VHD is raw data with a 512-byte footer at the end.
        if source.size >= 512, let tail = try? source.readBytes(512, at: source.size - 512, for: .file),
           Array(tail.prefix(8)) == ascii("conectix") {
            return .vhd
        }
        // The first volume descriptor sits in sector 16 (2048-byte sectors): type byte, then "CD001".
        if at(32769, ascii("CD001")) { return .iso9660 }
        if at(512, ascii("EFI PART")) { return .gptDisk }
        if at(3, ascii("NTFS    ")) { return .filesystem("NTFS") }
        if at(0, ascii("XFSB")) { return .filesystem("XFS") }
        if at(1080, [0x53, 0xef]) { return .filesystem("ext2/3/4") }
        if at(0x10040, ascii("_BHRfS_M")) { return .filesystem("Btrfs") }
        if at(82, ascii("FAT32")) || at(54, ascii("FAT1")) { return .filesystem("FAT") }
        if at(4086, ascii("SWAPSPACE2")) { return .filesystem("Linux swap") }
        if at(510, [0x55, 0xaa]) { return .mbrDisk }
        return nil
    }
}
