extension FormatError {
    /// What went wrong, as a value: what callers and tests decide on. ``message`` says it in words.
    public enum Kind: Sendable, Hashable {
        /// The first four bytes are not `QFI\xfb`; `looksLike` names the format they are, when
        /// that is easy to tell (``ForeignFormat``).
        case badMagic(UInt32, looksLike: ForeignFormat?)
        /// A qcow2 version other than 2 or 3.
        case unsupportedVersion(UInt32)
        /// Fewer bytes than the structure needs: `have` of `need`.
        case tooShort(have: UInt64, need: UInt64, what: String)
        /// `count` entries of a table exceed the limit of `limit` bytes.
        case tooLarge(count: UInt64, limit: UInt64)
        /// An offset that must be aligned to `alignment` bytes is not.
        case misaligned(alignment: UInt64)
        /// A table's offset plus its length does not fit in 64 bits (or in `off_t`).
        case overflow
        /// A table of `length` bytes ending at `end` lies past the end of the file (`fileSize` bytes).
        case pastEndOfFile(length: UInt64, end: UInt64, fileSize: UInt64)
        /// `count` bytes read at `offset` run past the end of the source (`size` bytes), or their
        /// end does not fit in 64 bits.
        case readPastEnd(count: Int, offset: UInt64, size: UInt64)
        /// The source returned `got` of `wanted` bytes before its end.
        case shortRead(got: Int, wanted: Int)
        /// A system call failed with `errno` (`operation` says which and on what).
        case io(errno: Int32, operation: String)
        /// The path (shown escaped) is neither a regular file nor a block device.
        case notFileOrDevice(String)
        /// The path (shown escaped) is not a regular file, which a backing or data file must be.
        case notRegularFile(String)
        /// A file the image names (shown escaped, with what it is) cannot be opened, and why.
        indirect case cannotOpen(String, because: Kind)
        /// A file the image names (what it is, e.g. "backing file") that the ``ReachRule`` refuses
        /// to open, and why: it is never looked at.
        case outsideReach(String, ReachRule.Refusal)
        /// A value the format does not allow, or content that does not decode, in words.
        case invalid(String)

        /// The words for the kind.
        public var message: String {
            switch self {
            case .badMagic(let magic, let foreign):
                if let foreign { return "not a qcow2 image: looks like \(foreign.description)" }
                return "bad magic \(hex(UInt64(magic))) (expected QFI\\xfb, 0x514649fb): not a qcow2 image"
            case .unsupportedVersion(let v):
                return "unsupported version \(v) (valid: 2, 3)"
            case .tooShort(let have, let need, let what):
                return "file is \(have) bytes, shorter than \(what) (\(need))"
            case .tooLarge(let count, let limit):
                return "\(count) entries exceed the \(limit >> 20) MiB limit"
            case .misaligned(let alignment):
                return "offset is not aligned to a cluster (\(alignment) bytes)"
            case .overflow:
                return "table end overflows"
            case .pastEndOfFile(let length, let end, let fileSize):
                return "table of \(length) bytes ends at \(hex(end)), past the end of the file (\(hex(fileSize)))"
            case .readPastEnd(let count, let offset, let size):
                return "\(count) bytes at \(hex(offset)) run past the end of the file (\(size) bytes)"
            case .shortRead(let got, let wanted):
                return "short read: \(got) of \(wanted) bytes"
            case .io(let code, let operation):
                return "\(operation): \(Self.errorText(code))"
            case .notFileOrDevice(let shown):
                return "\(shown) is not a regular file or block device"
            case .notRegularFile(let shown):
                return "\(shown) is not a regular file; only regular files are opened"
            case .cannotOpen(let what, let because):
                return "\(what) cannot be opened: \(because.message)"
            case .outsideReach(let what, let refusal):
                return "\(what) not opened: \(refusal.message)"
            case .invalid(let text):
                return text
            }
        }

        /// The `errno` of an I/O error, if this is one.
        public var errno: Int32? {
            switch self {
            case .io(let code, _): code
            case .cannotOpen(_, let because): because.errno
            default: nil
            }
        }

        /// Whether the file is missing (`ENOENT`), directly or as the reason it cannot be opened.
        public var isMissingFile: Bool { errno == SystemError.noSuchFile }

        /// The reach rule's refusal, when this is one (directly or as the reason for ``cannotOpen(_:because:)``).
        public var refusal: ReachRule.Refusal? {
            switch self {
            case .outsideReach(_, let refusal): refusal
            case .cannotOpen(_, let because): because.refusal
            default: nil
            }
        }

        /// Whether this is, or is caused by, a path that is not a regular file.
        public var isNotRegularFile: Bool {
            switch self {
            case .notRegularFile, .notFileOrDevice: true
            case .cannotOpen(_, let because): because.isNotRegularFile
            default: false
            }
        }

        /// `strerror(code)`, through the platform's C library.
        static func errorText(_ code: Int32) -> String { SystemError.text(code) }
    }
}
