import Analysis
import ArgumentParser
import Qcow2
import Reports

/// `qcowscope vet`: whether an upload is a standalone qcow2 image a service may hand to QEMU.
struct VetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vet",
        abstract: "Say whether an uploaded image is safe to hand to QEMU: safe, unsafe or damaged, with every reason.",
        discussion: """
            Run before accepting a qcow2 upload. Any backing file or external data file makes it unsafe (with what \
            the name points at: absolute, '..', URL, device, FIFO, socket, symbolic link), as do a file that is not \
            qcow2 (VMDK, VHD, ISO, LUKS, raw...), header fields past QEMU's limits, metadata overlapping metadata and \
            a virtual size over --max-virtual-size. Damage the check finds makes it damaged. Nothing the image \
            names is ever opened, requested or looked at outside its directory. With --json: {"filename", \
            "verdict", "reasons": [{"code", "severity", "structure", "offset", "message"}]}.

            IMAGE may be an http(s)://, nbd:// or nbd+unix:// URL (with --timeout, --insecure, --cacert and \
            --stats, as on every command): its names are then judged by the same-server rule, and one that \
            is not on the image's server (a local path, a file: URL, another scheme, host or port) gets the \
            codes a local upload's name out of its directory gets (backing-file-absolute, backing-file-url, \
            backing-file-leaves-directory; data-file-... likewise). Nothing is requested for them.

            Exit status: 0 safe, 3 unsafe, 2 damaged, 1 the file cannot be opened at all (nothing is printed).

            The codes, stable for scripts to match on, by the severity they usually carry (the README's \
            "Vetting uploads" says what each means):

            \(UploadVet.Code.listing)

            Example:
              qcowscope vet --json --max-virtual-size 2T upload.qcow2 | jq -r '.reasons[].code'
              qcowscope vet upload.qcow2 && echo accept
            """)

    @Argument(help: "The uploaded file (opened read-only), or its http(s)://, nbd:// or nbd+unix:// URL.", completion: .file())
    var image: String
    @Flag(name: .customLong("json"), help: "Print JSON: {\"filename\", \"verdict\", \"reasons\": [{\"code\", \"severity\", \"structure\", \"offset\", \"message\"}]}.")
    var jsonFlag = false
    @OptionGroup var outputFormat: OutputFormatOption
    /// `-f qcow2`, `-U`, `--image-opts`, as on every image command (there is no backing file to
    /// skip or follow: vet opens none).
    @OptionGroup var qemuImg: QemuImgOptions
    @Option(name: .customLong("max-virtual-size"), help: "Largest virtual size accepted: bytes, or with a K, M, G, T, P or E suffix (powers of 1024).",
            transform: { text in
                guard let bytes = VetCommand.parseSize(text) else { throw ValidationError("not a size: '\(text)' (e.g. 512G, 2T, 1073741824)") }
                return bytes
            })
    var maxVirtualSize: UInt64?
    /// `--timeout`, `--insecure`, `--cacert`, `--stats` for an IMAGE given as a URL, as on every command.
    @OptionGroup(title: "Remote images") var remote: RemoteFlags

    /// `512`, `64K`, `10G`, `2T` (powers of 1024, as qemu-img reads sizes); nil when not a size or too large.
    static func parseSize(_ text: String) -> UInt64? {
        let units: [Character: UInt64] = ["k": 10, "m": 20, "g": 30, "t": 40, "p": 50, "e": 60]
        var digits = Substring(text.lowercased())
        var shift: UInt64 = 0
        if let last = digits.last, let s = units[last] {
            shift = s
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = UInt64(digits), value <= UInt64.max >> shift else { return nil }
        return value << shift
    }

    var json: Bool { outputFormat.json(jsonFlag) }

    /// With --image-opts, IMAGE becomes the file the option string names (as ``ImageOptions`` does).
    mutating func validate() throws {
        image = try qemuImg.path(from: image)
    }

    func run() throws {
        let path = ImageOptions.rawArgument(image)
        let source: any ByteSource
        do {
            source = try ImageOptions.source(rawPath: path)
        } catch {
            printError("qcowscope: \(RawString.escape(path)): \(error.description)")
            throw ExitCode(ExitStatus.nothingUseful)
        }
        let report = VetReport(vet: UploadVet.vet(source, policy: UploadVet.Policy(maxVirtualSize: maxVirtualSize)), filename: image)
        FileDescriptorWriter.write(json ? report.json().rendered() + "\n" : report.text(), to: 1)
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
