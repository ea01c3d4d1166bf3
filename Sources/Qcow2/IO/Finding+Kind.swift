extension Finding {
    /// The kinds of problems findings name. The `rawValue` is the name in JSON output (`kind`).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A damaged header, extension or table pointer found when the image was opened.
        case image = "image"
        /// Referenced by nothing, yet its stored refcount is not 0 (QEMU: "Leaked cluster").
        case leakedCluster = "leaked-cluster"
        /// The stored refcount is lower than the references found (QEMU: "ERROR cluster ... refcount=").
        case refcountTooLow = "refcount-too-low"
        /// The stored refcount is higher than the references found (counted as a leak).
        case refcountTooHigh = "refcount-too-high"
        /// A refcount would exceed the largest value the refcount width can hold.
        case refcountOverflow = "refcount-overflow"
        /// A structure or cluster lies one cluster or more past the end of the file.
        case beyondEndOfFile = "reference-beyond-eof"
        /// An offset that must be cluster aligned is not.
        case misalignedOffset = "misaligned-offset"
        /// Two incompatible structures claim the same cluster.
        case overlap = "metadata-overlap"
        /// QCOW_OFLAG_COPIED disagrees with the refcount (active L1/L2 only).
        case copiedFlag = "copied-flag"
        /// One data cluster is referenced twice where its refcount could only be 1.
        case duplicateReference = "duplicate-reference"
        /// Reserved bits are set in an L1, L2 or refcount table entry.
        case reservedBits = "reserved-bits"
        /// An extended L2 subcluster bitmap contradicts itself or its descriptor.
        case invalidSubclusterBitmap = "invalid-subcluster-bitmap"
        /// A compressed cluster descriptor that cannot be valid (ends past EOF, or with a data file).
        case compressedOutOfRange = "compressed-out-of-range"
        /// A refcount block that is misplaced, unreadable or referenced more than once.
        case refcountBlock = "refcount-block"
        /// The snapshot table or one of its entries is damaged.
        case snapshotTable = "snapshot-table"
        /// A persistent bitmap is inconsistent (in use, or its directory or table is damaged).
        case bitmapInconsistent = "bitmap-inconsistent"
        /// Something could not be read at all (QEMU: check-errors).
        case readError = "read-error"
        /// A size or offset from the file whose arithmetic would overflow 64 bits.
        case overflow = "overflow"
        /// A damaged partition table, volume or filesystem inside the guest disk.
        case guest = "guest"

        /// The kind of a decoding finding about `structure`: guest structures are `guest`,
        /// everything in the image file is `image`.
        public init(_ structure: Structure) {
            self = structure.isGuest ? .guest : .image
        }

        /// How `qemu-img check` counts an error of this kind; warnings and info are never counted.
        public func counting(_ severity: Severity) -> Counting {
            guard severity == .error else { return .none }
            switch self {
            case .image, .guest, .overlap, .duplicateReference: return .none
            case .readError: return .checkError
            case .leakedCluster, .refcountTooHigh: return .leak
            case .refcountTooLow, .refcountOverflow, .beyondEndOfFile, .misalignedOffset, .copiedFlag, .reservedBits,
                 .invalidSubclusterBitmap, .compressedOutOfRange, .refcountBlock, .snapshotTable,
                 .bitmapInconsistent, .overflow:
                return .corruption
            }
        }

        /// The structure a scan finding of this kind is about, when the scan did not name one.
        public var structure: Structure {
            switch self {
            case .image: .header
            case .leakedCluster, .refcountTooLow, .refcountTooHigh, .refcountOverflow, .beyondEndOfFile,
                 .misalignedOffset, .overlap, .copiedFlag, .duplicateReference, .reservedBits, .overflow:
                .hostCluster
            case .invalidSubclusterBitmap: .l2Table
            case .compressedOutOfRange: .compressedCluster
            case .refcountBlock: .refcountBlock
            case .snapshotTable: .snapshotTable
            case .bitmapInconsistent: .bitmapDirectory
            case .readError: .file
            case .guest: .guestDisk
            }
        }
    }

    /// How `qemu-img check` counts a finding, which decides its exit status. The `rawValue` is
    /// the name in JSON output (`counts-as`).
    public enum Counting: String, Sendable, Hashable, Codable {
        case corruption, leak, checkError = "check-error", none
    }
}

extension Structure {
    /// Whether the structure lies in the guest disk (its offsets are guest byte offsets).
    public var isGuest: Bool {
        switch self {
        case .file, .header, .headerExtension, .backingFileName, .featureNameTable, .l1Table, .l2Table, .hostCluster,
             .dataCluster, .compressedCluster, .refcountTable, .refcountBlock, .snapshotTable, .snapshotL1Table,
             .bitmapExtension, .bitmapDirectory, .bitmapTable, .bitmapData, .cryptoHeader, .luksHeader, .backingFile,
             .dataFile:
            false
        case .guestDisk, .mbr, .extendedPartition, .gptHeader, .gptEntries, .lvmLabel, .lvmMetadata, .extSuperblock,
             .extGroupDescriptors, .extBlockBitmap, .xfsSuperblock, .xfsAGF, .xfsFreeSpaceBtree, .xfsAGFL, .xfsLog,
             .ntfsBootSector, .ntfsMFTRecord, .ntfsBitmap, .fatBootSector, .fatTable, .swapHeader, .filesystem:
            true
        }
    }
}
