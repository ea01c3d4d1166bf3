import Qcow2

/// What a file that is not qcow2 is, for `vet`'s `not-qcow2` reason: the foreign-format
/// detection (``ForeignFormat``) with a short stable name, and raw when nothing matches.
struct VetFormat: Sendable, Hashable {
    /// `vmdk`, `vhd`, `vhdx`, `vdi`, `qed`, `qcow`, `luks`, `iso`, or `raw`.
    var name: String
    var description: String

    static func detect(in source: any ByteSource) -> VetFormat {
        guard let foreign = ForeignFormat.detect(in: source) else {
            return VetFormat(name: "raw", description: source.size == 0 ? "an empty file" : "raw data")
        }
        return VetFormat(name: name(of: foreign), description: foreign.description)
    }

    private static func name(of format: ForeignFormat) -> String {
        switch format {
        case .vmdkSparse, .vmdkESXSparse, .vmdkDescriptor: "vmdk"
        case .vhd: "vhd"
        case .vhdx: "vhdx"
        case .vdi: "vdi"
        case .qed: "qed"
        case .qcowVersion1: "qcow"
        case .luks: "luks"
        case .iso9660: "iso"
        case .gptDisk, .mbrDisk, .filesystem: "raw"
        }
    }
}
