import ArgumentParser
import Qcow2
import Remote
#if canImport(Glibc)
import Glibc
#endif

/// Options every image command shares.
struct ImageOptions: ParsableArguments {
    @Argument(help: "The qcow2 image to read (opened read-only): a path, or an http(s)://, nbd:// or nbd+unix:// URL.",
              completion: .file())
    var image: String

    @Flag(name: .customLong("no-backing"), help: "Do not open backing files.")
    var noBacking = false

    @Flag(name: .customLong("follow-backing-anywhere"),
          help: "Open backing and data files wherever they are, as QEMU does (regular files only); by default only those inside the image's directory.")
    var followBackingAnywhere = false

    /// `-f qcow2`, `-U`, `--image-opts`: qemu-img's spellings (``QemuImgOptions``).
    @OptionGroup var qemuImg: QemuImgOptions

    @OptionGroup(title: "Remote images") var remote: RemoteFlags

    /// With --image-opts, IMAGE becomes the file the option string names, so every command reads
    /// `image` as a path whichever way it was given.
    mutating func validate() throws {
        image = try qemuImg.path(from: image)
    }

    var limits: DecodingLimits { Self.limits(noBacking: noBacking, followAnywhere: followBackingAnywhere) }

    /// The limits for `--no-backing` and `--follow-backing-anywhere` (``ReachRule``).
    static func limits(noBacking: Bool, followAnywhere: Bool) -> DecodingLimits {
        var limits = noBacking ? DecodingLimits.noBacking : DecodingLimits()
        if followAnywhere { limits.reach = .anywhere }
        return limits
    }

    /// Opens the image, or prints a one-line error naming the structure and offset and exits 1
    /// (nothing useful can be read from a file that is not a qcow2 image).
    func open() throws -> Qcow2Image {
        let path = Self.rawArgument(image)
        do {
            return try Qcow2Image(file: try Self.source(rawPath: path), limits: limits)
        } catch {
            printError("qcowscope: \(RawString.escape(path)): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
    }

    /// The image's byte source: the file, opened read-only, or for a URL (`https://…`, `nbd://…`)
    /// the remote file read by ranges (``RemoteSources``) with this run's ``RemoteSession`` options.
    /// With `QCOWSCOPE_INJECT_FAULTS` set (`eio@0x30000,short@65536`), reads touching those offsets
    /// fail (``FaultySource``): the hostile tests run every command over failing reads that way.
    static func source(rawPath: [UInt8]) throws(FormatError) -> any ByteSource {
        let file: any ByteSource = RemoteURL.looksLikeURL(rawPath)
            ? try RemoteSources.open(try RemoteURL(String(decoding: rawPath, as: UTF8.self)), options: RemoteSession.options)
            : try ReadOnlyFile(rawPath: rawPath)
        guard let spec = getenv("QCOWSCOPE_INJECT_FAULTS").map({ String(cString: $0) }), !spec.isEmpty else { return file }
        return FaultySource(file, spec: spec) ?? file
    }

    /// The bytes of the command-line argument that `argument` was decoded from. Swift decodes argv
    /// as UTF-8 and replaces what is not (`qcowscope info *` in a directory of Latin-1 names), which
    /// would name another file; the bytes themselves are the path, and backing names resolve
    /// against them.
    static func rawArgument(_ argument: String) -> [UInt8] {
        for i in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[i] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            if String(decoding: bytes, as: UTF8.self) == argument { return bytes }
        }
        return Array(argument.utf8)
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
