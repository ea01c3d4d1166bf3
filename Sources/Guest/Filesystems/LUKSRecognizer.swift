import Qcow2

/// A LUKS1 or LUKS2 encrypted volume (guest-formats.md §1; util-linux libblkid luks.c), recognised
/// by "LUKS" BA BE at byte 0. Its payload is ciphertext: nothing says which of it is free, so the
/// volume is shown with its UUID (and LUKS2 label) and reported as not analysed (all in use).
public enum LUKSRecognizer: FilesystemReader {
    static let magic: [UInt8] = [0x4C, 0x55, 0x4B, 0x53, 0xBA, 0xBE]

    public static func matches(_ volume: VolumeReader) -> Bool {
        (try? volume.bytes(6, at: 0, for: .luksHeader)) == magic
    }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        var info = FilesystemInfo(kind: .luks, notAnalysedReason: "LUKS: encrypted; its contents cannot be analysed")
        do {
            let header = try volume.bytes(0xD0, at: 0, for: .luksHeader)
            let version = header.be16(6)
            info.uuid = header.nulTerminatedText(0xA8, 40)
            if version == 2 { info.label = header.nulTerminatedText(0x18, 48) }
            info.details = [("version", "\(version)")]
            if version == 1 {
                info.details.append(("cipher", header.nulTerminatedText(0x08, 32) ?? ""))
                info.details.append(("payload offset", "\(UInt64(header.be32(0x68)) * 512)"))
            }
        } catch {
            info.findings.append(Finding(error))
        }
        return info
    }
}
