import ArgumentParser
import Qcow2

/// Options every image command shares.
struct ImageOptions: ParsableArguments {
    @Argument(help: "The qcow2 image to read (opened read-only).", completion: .file())
    var image: String

    @Flag(name: .customLong("no-backing"), help: "Do not open backing files.")
    var noBacking = false

    var limits: DecodingLimits { noBacking ? .noBacking : DecodingLimits() }

    /// Opens the image, or prints a one-line error naming the structure and offset and exits 1
    /// (nothing useful can be read from a file that is not a qcow2 image).
    func open() throws -> Qcow2Image {
        do {
            return try Qcow2Image(path: image, limits: limits)
        } catch {
            printError("qcowscope: \(image.terminalSafe): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var stderr = StandardError()
    print(line, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileDescriptorWriter.write(string, to: 2)
    }
}
