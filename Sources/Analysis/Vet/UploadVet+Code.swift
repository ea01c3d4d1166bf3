import Qcow2

extension UploadVet {
    /// Every reason vet can give, by the code scripts match on. The raw values are a contract
    /// (issue 17): they never change once released, and the README's table and `vet --help` (so
    /// the man page) list exactly these. A new reason is a new case, documented in both.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        // What the image names outside itself.
        case backingFile = "backing-file"
        case backingFileAbsolute = "backing-file-absolute"
        case backingFileParent = "backing-file-parent"
        case backingFileURL = "backing-file-url"
        case backingFileLeavesDirectory = "backing-file-leaves-directory"
        case backingFileSymlink = "backing-file-symlink"
        case backingFileDevice = "backing-file-device"
        case backingFileFIFO = "backing-file-fifo"
        case backingFileSocket = "backing-file-socket"
        case backingFormatMissing = "backing-format-missing"
        case dataFile = "data-file"
        case dataFileAbsolute = "data-file-absolute"
        case dataFileParent = "data-file-parent"
        case dataFileURL = "data-file-url"
        case dataFileLeavesDirectory = "data-file-leaves-directory"
        case dataFileSymlink = "data-file-symlink"
        case dataFileDevice = "data-file-device"
        case dataFileFIFO = "data-file-fifo"
        case dataFileSocket = "data-file-socket"
        // What the file is, and what its header asks of QEMU.
        case notQcow2 = "not-qcow2"
        case l1TableTooLarge = "l1-table-too-large"
        case refcountTableTooLarge = "refcount-table-too-large"
        case tooManySnapshots = "too-many-snapshots"
        case snapshotTableTooLarge = "snapshot-table-too-large"
        case bitmapDirectoryTooLarge = "bitmap-directory-too-large"
        case headerExtensionsPastCluster = "header-extensions-past-cluster"
        case virtualSizeTooLarge = "virtual-size-too-large"
        case metadataOverlap = "metadata-overlap"
        case compressedClusterTooLarge = "compressed-cluster-too-large"
        case inUse = "in-use"
        // Damage: the header, the corrupt bit, and what `check` finds, under its finding kinds.
        case headerInvalid = "header-invalid"
        case corruptBit = "corrupt-bit"
        case refcountTooLow = "refcount-too-low"
        case referenceBeyondEOF = "reference-beyond-eof"
        case misalignedOffset = "misaligned-offset"
        case copiedFlag = "copied-flag"
        case duplicateReference = "duplicate-reference"
        case reservedBits = "reserved-bits"
        case invalidSubclusterBitmap = "invalid-subcluster-bitmap"
        case compressedOutOfRange = "compressed-out-of-range"
        case refcountBlock = "refcount-block"
        case snapshotTable = "snapshot-table"
        case bitmapInconsistent = "bitmap-inconsistent"
        case refcountOverflow = "refcount-overflow"
        case overflow = "overflow"
        case readError = "read-error"
        // Notes: worth knowing, no effect on the verdict.
        case leakedCluster = "leaked-cluster"
        case refcountTooHigh = "refcount-too-high"
        case encrypted = "encrypted"
        case bitmapInUse = "bitmap-in-use"
        case dirty = "dirty"
        case trailingData = "trailing-data"

        /// The severity the code usually carries (`backing-file` and `data-file` are notes when
        /// QEMU would read no such file): what the help and the README group it under.
        public var usualSeverity: Severity {
            switch self {
            case .headerInvalid, .corruptBit, .refcountTooLow, .referenceBeyondEOF, .misalignedOffset, .copiedFlag,
                 .duplicateReference, .reservedBits, .invalidSubclusterBitmap, .compressedOutOfRange, .refcountBlock,
                 .snapshotTable, .bitmapInconsistent, .refcountOverflow, .overflow, .readError:
                .damaged
            case .leakedCluster, .refcountTooHigh, .encrypted, .bitmapInUse, .dirty, .trailingData:
                .note
            default:
                .unsafe
            }
        }

        /// The code of a scan finding's kind: `check`'s JSON `kind` is the code, so the two agree.
        /// Nil for `image` (it becomes `header-invalid`) and `guest` (inside the guest, not vet's business).
        init?(_ kind: Finding.Kind) {
            guard kind != .image, kind != .guest else { return nil }
            self.init(rawValue: kind.rawValue)
        }

        /// The codes grouped by usual severity, in indented lines of at most 60 columns:
        /// `vet --help`'s list, and so the man page's, where an indented block is set as it is (no
        /// code hyphenated apart) at an indent that still fits 80 columns.
        public static var listing: String {
            [Severity.unsafe, .damaged, .note].flatMap { severity -> [String] in
                let names = allCases.filter { $0.usualSeverity == severity }.map(\.rawValue)
                var lines = ["  \(severity.rawValue):"]
                var line = ""
                for (i, name) in names.enumerated() {
                    let word = name + (i == names.count - 1 ? "." : ",")
                    if !line.isEmpty, line.count + 1 + word.count > 56 {
                        lines.append("    " + line)
                        line = ""
                    }
                    line += (line.isEmpty ? "" : " ") + word
                }
                return lines + ["    " + line]
            }.joined(separator: "\n")
        }
    }
}
