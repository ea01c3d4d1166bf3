import Qcow2

extension FilesystemInfo {
    /// Notes (a finding, numbers possibly stale) that a filesystem of `blocks` blocks of `blockSize`
    /// bytes is larger than its `volume`: the free map is read only up to the volume's end.
    mutating func checkFits(_ volume: VolumeReader, blocks: UInt64, blockSize: UInt64, superblock: Structure, at: UInt64) {
        guard blocks > volume.length / blockSize else { return }
        findings.append(Finding(.error, superblock, at: at,
            "the filesystem's \(blocks) blocks of \(blockSize) bytes run past the end of its volume (\(volume.length) bytes); blocks past the end are not analysed"))
        possiblyStale = true
    }
}
