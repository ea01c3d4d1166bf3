import Qcow2

extension MBRTable {
    /// At most this many extended boot records are followed: Linux stops well below this, and a chain
    /// that points back on itself must end.
    static let maxChainLength = 256

    /// The logical partitions of an extended container, numbered from 5 in chain order.
    ///
    /// Each EBR's slot 0 is a logical partition relative to that EBR; slot 1 (any extended type)
    /// points to the next EBR relative to the container's start (msdos.c `parse_extended`). A loop, a
    /// chain longer than ``maxChainLength``, a missing 55 AA or a link outside the disk ends the walk
    /// with a finding; what was found before is kept.
    static func readChain(_ disk: VolumeReader, container: Slot, findings: inout [Finding]) -> [PartitionEntry] {
        var logicals: [PartitionEntry] = []
        let base = container.startLBA
        var current = base
        var visited: Set<UInt64> = []
        var hops = 0
        var number = 5
        while true {
            let ebrOffset = current * sectorSize
            guard visited.insert(current).inserted else {
                findings.append(Finding(.error, .extendedPartition, at: disk.guestOffset(ebrOffset),
                                        "the logical partition chain loops back to sector \(current); stopped after \(logicals.count) partitions"))
                break
            }
            hops += 1
            guard hops <= maxChainLength else {
                findings.append(Finding(.error, .extendedPartition, at: disk.guestOffset(ebrOffset),
                                        "the logical partition chain is longer than \(maxChainLength) records; stopped"))
                break
            }
            let sector: [UInt8]
            do {
                sector = try disk.bytes(Int(sectorSize), at: ebrOffset, for: .extendedPartition)
            } catch {
                findings.append(Finding(error))
                break
            }
            guard sector[510] == 0x55, sector[511] == 0xAA else {
                findings.append(Finding(.error, .extendedPartition, at: disk.guestOffset(ebrOffset),
                                        "extended boot record has no 55 AA signature; the chain stops here"))
                break
            }
            let logical = Slot(sector, index: 0)
            if !logical.isEmpty, !extendedTypes.contains(logical.type) {
                defer { number += 1 }
                let start = current + logical.startLBA
                let entry = PartitionEntry(number: number, start: start * sectorSize,
                                           length: logical.sectors * sectorSize, type: typeText(logical.type))
                if let kept = entry.clipped(to: disk.length, structure: .extendedPartition,
                                            at: disk.guestOffset(ebrOffset + 0x1BE), findings: &findings) {
                    logicals.append(kept)
                }
            }
            let link = Slot(sector, index: 1)
            guard !link.isEmpty, extendedTypes.contains(link.type) else { break }
            current = base + link.startLBA
        }
        return logicals
    }
}
