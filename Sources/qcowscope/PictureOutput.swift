#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ArgumentParser
import Qcow2

/// Where a picture goes (`--output FILE`, `-` for standard output), and the guards around it:
/// never over the image being read, never binary bytes onto a terminal.
struct PictureOutput {
    let path: String

    /// Refuses an output that is the image itself (same device and inode) or any other qcow2
    /// image (a file starting with qcow2's magic), since qcowscope never writes to an image, and a
    /// PNG onto a terminal.
    func check(image: String, binary: Bool) throws {
        if path == "-" {
            if binary && isatty(1) == 1 {
                throw ValidationError("not writing a PNG to the terminal: give --output FILE (or redirect)")
            }
            return
        }
        var imageStat = stat(), outStat = stat()
        if stat(image, &imageStat) == 0, stat(path, &outStat) == 0,
           imageStat.st_dev == outStat.st_dev, imageStat.st_ino == outStat.st_ino {
            throw ValidationError("--output names the image itself; qcowscope never writes to an image")
        }
        if Self.startsWithQcow2Magic(path) {
            throw ValidationError("\(path.terminalSafe) is a qcow2 image; qcowscope never writes to an image")
        }
    }

    /// Whether `path` exists and starts with "QFI\xfb" (read-only look).
    static func startsWithQcow2Magic(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4) }
        return n == 4 && magic == [0x51, 0x46, 0x49, 0xFB]
    }

    /// Writes `bytes` (replacing the file), or prints why not and exits 1.
    func write(_ bytes: [UInt8]) throws {
        let fd = path == "-" ? 1 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            printError("qcowscope: cannot write \(path.terminalSafe): \(String(cString: strerror(errno)))")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        bytes.withUnsafeBytes { writeAll($0, to: fd) }
        if fd != 1, close(fd) != 0 {
            printError("qcowscope: cannot write \(path.terminalSafe): \(String(cString: strerror(errno)))")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }
}
