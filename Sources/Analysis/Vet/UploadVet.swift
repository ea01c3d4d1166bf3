import Qcow2

/// `vet`: whether an uploaded file is a standalone qcow2 image a service can hand to QEMU
/// (issue 17). Glance, Nova and KubeVirt's importer were led by crafted uploads to read host files
/// through backing and data file names, to allocate what a header asked, or to treat another format
/// as qcow2; vet names every such reason with a stable code, and never opens anything the image names.
public struct UploadVet: Sendable {
    /// The one-word answer a script acts on.
    public enum Verdict: String, Sendable, Hashable, Comparable {
        case safe, damaged, unsafe
        public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
        private var rank: Int { self == .safe ? 0 : self == .damaged ? 1 : 2 }
    }

    /// How much a reason weighs: `unsafe` and `damaged` decide the verdict, a `note` does not.
    public enum Severity: String, Sendable, Hashable {
        case unsafe, damaged, note

        var verdict: Verdict? { self == .unsafe ? .unsafe : self == .damaged ? .damaged : nil }
    }

    /// One reason, with a code that never changes (``Code``; README, "Vetting uploads").
    public struct Reason: Sendable, Hashable {
        public var code: Code
        public var severity: Severity
        public var structure: Structure
        public var offset: UInt64
        public var message: String

        public init(_ code: Code, _ severity: Severity, _ structure: Structure, at offset: UInt64, _ message: String) {
            self.code = code
            self.severity = severity
            self.structure = structure
            self.offset = offset
            self.message = message
        }
    }

    /// What vet is told beyond the file.
    public struct Policy: Sendable, Hashable {
        /// Largest virtual size accepted (`--max-virtual-size`); nil for no limit.
        public var maxVirtualSize: UInt64?
        public init(maxVirtualSize: UInt64? = nil) { self.maxVirtualSize = maxVirtualSize }
    }

    public var reasons: [Reason]

    /// The worst severity among the reasons: unsafe over damaged over safe (a damaged image that
    /// also points outside itself is refused for the pointing).
    public var verdict: Verdict {
        reasons.compactMap(\.severity.verdict).max() ?? .safe
    }

    /// Vets the file behind `source`. Reads the header, the extensions and the metadata the scan
    /// walks (bounded by ``DecodingLimits``, whatever the header claims); opens nothing else.
    /// Names that stay beside the image are looked at (`lstat` only) from where the file sits.
    public static func vet(_ source: any ByteSource, policy: Policy = Policy()) -> UploadVet {
        let image: Qcow2Image
        do {
            image = try Qcow2Image(file: source, limits: .selfContained)
        } catch {
            return UploadVet(reasons: [notOpenable(error, source: source)])
        }
        var reasons = names(image) + limits(image, policy: policy) + flags(image)
        reasons += scan(image)
        return UploadVet(reasons: reasons)
    }

    /// A file the qcow2 decoder refuses: another format, or too short to be anything, is unsafe
    /// (QEMU would probe it as that format, or as raw); a qcow2 header that cannot be read is damaged.
    private static func notOpenable(_ error: FormatError, source: any ByteSource) -> Reason {
        let magic = (try? source.readBytes(4, at: 0, for: .header)) ?? []
        switch error.kind {
        case .badMagic,
             .tooShort where magic != [0x51, 0x46, 0x49, 0xFB]:  // "QFI\xfb": a qcow2 that ends early is damage
            let format = VetFormat.detect(in: source)
            return Reason(.notQcow2, .unsafe, .header, at: 0,
                          "not a qcow2 image: looks like \(format.description) (\(format.name))")
        default:
            return Reason(.headerInvalid, .damaged, error.structure, at: error.offset, error.reason)
        }
    }
}
