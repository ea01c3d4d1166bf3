import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for reading only, read with positional reads.
///
/// qcowscope never writes to an image: the descriptor is opened `O_RDONLY`, and every read is a
/// `pread(2)` at an absolute offset (no shared file position, safe from several threads). Files are
/// never `mmap`ed, because a running QEMU may truncate the image underneath us.
public final class ReadOnlyFile: ByteSource, @unchecked Sendable {
    /// The path the file was opened with, as the bytes handed to `open(2)`: a backing file name
    /// from an image may be any bytes, not UTF-8, and is the path only as those bytes.
    public let rawPath: [UInt8]
    /// The size in bytes when it was opened (`fstat`).
    public let size: UInt64
    /// True when the file is a regular file (backing files must be; devices and FIFOs are refused).
    public let isRegularFile: Bool
    private let descriptor: Int32
    /// The descriptor validated at open, for the queries beside reads (locks, `fstat`, holes).
    var descriptorForLockQuery: Int32 { descriptor }
    /// The announced ranges the kernel is asked to read ahead of the reader, and whether any
    /// are (so that reads of a warm file skip the lock). See ReadOnlyFile+Prefetch.swift.
    let readAhead = Mutex(ReadAheadWindow())
    let readAheadActive = Atomic<Bool>(false)
    /// Where the advice is given, off the reader's thread; its work keeps the file open until done.
    let readAheadQueue = DispatchQueue(label: "qcowscope.read-ahead", qos: .userInitiated)

    /// Opens `path` read-only. Throws ``FormatError`` naming the file when it cannot be opened,
    /// or when it is neither a regular file nor a block device (a FIFO, socket or terminal would
    /// block or never end). The open itself is non-blocking, so a FIFO cannot hang it.
    public convenience init(path: String) throws(FormatError) {
        try self.init(rawPath: Array(path.utf8))
    }

    /// Opens the file whose path is exactly the bytes `rawPath` (no NUL inside), as ``init(path:)``.
    public init(rawPath: [UInt8]) throws(FormatError) {
        let shown = RawString.escape(rawPath)
        let fd = withCPath(rawPath) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
        guard fd >= 0 else {
            throw FormatError(.file, at: 0, .io(errno: errno, operation: "cannot open \(shown)"))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw FormatError(.file, at: 0, .io(errno: code, operation: "cannot stat \(shown)"))
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFBLK else {
            close(fd)
            throw FormatError(.file, at: 0, .notFileOrDevice(shown))
        }
        // Reads of regular files and block devices never return EAGAIN; clear the flag anyway.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var size = info.st_size > 0 ? UInt64(info.st_size) : 0
        if kind == S_IFBLK {
            let end = lseek(fd, 0, SEEK_END)
            size = end > 0 ? UInt64(end) : 0
        }
        self.rawPath = rawPath
        self.descriptor = fd
        self.isRegularFile = kind == S_IFREG
        self.size = size
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset` (`pread(2)`), retrying on `EINTR` and short reads.
    /// Returns the number of bytes read, which is less than requested only at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        guard offset <= UInt64(Int64.max) else { return 0 }
        if readAheadActive.load(ordering: .relaxed) { moveReadAhead(past: offset, count: buffer.count) }
        var done = 0
        while done < buffer.count {
            let (position, overflow) = Int64(offset).addingReportingOverflow(Int64(done))
            if overflow { break }
            let n = pread(descriptor, base + done, buffer.count - done, off_t(position))
            if n < 0 {
                if errno == EINTR { continue }
                throw FormatError(.file, at: UInt64(position), .io(errno: errno, operation: "read failed"))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}

/// Calls `body` with `path` as a NUL-terminated C string. A path holding a NUL byte cannot name
/// a file; it is passed cut at the NUL, which is what QEMU's C strings do with such a name too.
public func withCPath<R>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    var bytes: [CChar] = path.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }
    bytes.append(0)
    return body(bytes)
}
