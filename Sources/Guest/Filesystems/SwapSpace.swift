import Qcow2

/// Linux swap, version 1 ("SWAPSPACE2"; guest-formats.md §9; Linux include/linux/swap.h, util-linux
/// libblkid swap.c). Nothing in a swap area outlives a reboot except its first page (the header), so
/// every other page is free — unless the area holds a hibernation image, which is left unanalysed.
public enum SwapSpace: FilesystemReader {
    /// The page sizes whose last ten bytes may hold the magic.
    static let pageSizes: [UInt64] = [4096, 8192, 16384, 32768, 65536]
    static let magic = Array("SWAPSPACE2".utf8)
    /// Signatures written over the magic by hibernation (suspend-to-disk).
    static let hibernationMagics = ["S1SUSPEND", "S2SUSPEND", "ULSUSPEND", "LINHIB0001"].map { Array($0.utf8) }

    /// The page size whose tail holds a swap or hibernation signature, and whether it is hibernation.
    static func signature(_ volume: VolumeReader) -> (pageSize: UInt64, hibernation: Bool)? {
        for size in pageSizes {
            guard let tail = try? volume.bytes(10, at: size - 10, for: .swapHeader) else { break }
            if tail == magic { return (size, false) }
            if hibernationMagics.contains(where: { tail.starts(with: $0) }) { return (size, true) }
        }
        return nil
    }

    public static func matches(_ volume: VolumeReader) -> Bool { signature(volume) != nil }

    public static func read(_ volume: VolumeReader) -> FilesystemInfo {
        guard let (pageSize, hibernation) = signature(volume) else {
            return FilesystemInfo(kind: .unknown, notAnalysedReason: "no swap signature")
        }
        var info = FilesystemInfo(kind: .swap)
        let header: [UInt8]
        do {
            header = try volume.bytes(0x42C, at: 0, for: .swapHeader)
        } catch {
            info.findings.append(Finding(error))
            info.notAnalysedReason = "swap: the header cannot be read"
            return info
        }
        info.uuid = header.uuidText(0x40C)
        info.label = header.nulTerminatedText(0x41C, 16)
        if hibernation {
            info.notAnalysedReason = "swap: holds a hibernation image (resume would need it); not analysed"
            return info
        }
        // Written in the writer's byte order: version 1 read swapped means a big-endian machine.
        let version = header.le32(0x400)
        let swapped = version == 0x0100_0000
        guard version == 1 || swapped else {
            info.findings.append(Finding(.error, .swapHeader, at: volume.guestOffset(0x400), "swap version \(version) is not 1"))
            info.notAnalysedReason = "swap: unknown version \(version)"
            return info
        }
        let lastPage = UInt64(swapped ? header.le32(0x404).byteSwapped : header.le32(0x404))
        let pagesInVolume = volume.length / pageSize
        var pages = lastPage + 1
        if pages > pagesInVolume {
            info.findings.append(Finding(.warning, .swapHeader, at: volume.guestOffset(0x404),
                                         "swap header claims \(pages) pages, the volume holds \(pagesInVolume); counted to the volume's end"))
            pages = pagesInVolume
        }
        info.blockSize = pageSize
        info.blocks = pages
        info.freeBlocks = pages > 0 ? pages - 1 : 0
        if pages > 1 {
            info.freeExtents = [GuestExtent(start: volume.guestOffset(pageSize), length: (pages - 1) * pageSize)]
        }
        info.details = [("version", "1"), ("page size", "\(pageSize)")]
        if swapped { info.details.append(("byte order", "big-endian")) }
        return info
    }
}
