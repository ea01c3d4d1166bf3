import ArgumentParser
import Qcow2

/// What qemu-img users type out of habit, accepted so that `qcowscope info -U -f qcow2 vm.qcow2` or a
/// command line copied from a qemu-img invocation just works (issue 14).
///
/// - `-f qcow2`: the only format qcowscope reads; any other is refused by name rather than read as
///   garbage.
/// - `-U` / `--force-share`: qemu-img takes a shared lock unless told not to. qcowscope opens images
///   read-only and never locks at all, so there is nothing to force; the flag is accepted and said
///   once in the help.
/// - `--image-opts`: IMAGE is qemu's option string (`driver=qcow2,file.filename=PATH`).
struct QemuImgOptions: ParsableArguments {
    @Option(name: .customShort("f", allowingJoined: true),
            help: ArgumentHelp("The image format, as qemu-img takes it; only qcow2 is read.", valueName: "format"))
    var format: String?

    @Flag(name: [.customShort("U"), .customLong("force-share")],
          help: "Accepted for qemu-img's sake: qcowscope opens images read-only and never takes a lock, so an image in use is read as it is.")
    var forceShare = false

    @Flag(name: .customLong("image-opts"),
          help: "IMAGE is an option string, driver=qcow2,file.filename=PATH (encrypt.key-secret is ignored: no key is needed).")
    var imageOpts = false

    func validate() throws {
        if let format, format != "qcow2" {
            throw ValidationError("qcowscope reads only qcow2 images; '-f \(format.terminalSafe)' is not supported (use qemu-img for other formats)")
        }
        if format != nil && imageOpts {
            throw ValidationError("--image-opts and -f cannot be used together (the option string names the driver)")
        }
    }

    /// The image path the IMAGE argument names: itself, or with --image-opts the `file.filename` of
    /// the option string. Prints the note about an ignored key secret on standard error.
    func path(from argument: String) throws -> String {
        guard imageOpts else { return argument }
        let options = try ImageOptString(parsing: argument)
        if !options.ignored.isEmpty {
            printError("qcowscope: note: ignoring \(options.ignored.joined(separator: ", ")): qcowscope never needs an encryption key (it reads the metadata, which is not encrypted)")
        }
        return options.filename
    }
}

/// qemu's `key=value,key=value` image option string, reduced to what a read-only qcow2 reader needs.
/// `,,` is a literal comma (qemu's escaping), so paths with commas survive.
struct ImageOptString: Equatable {
    var filename: String
    /// Keys accepted but meaningless here (`encrypt.key-secret`), for the note.
    var ignored: [String] = []

    init(parsing text: String) throws {
        var pairs: [(key: String, value: String)] = []
        for item in Self.split(text) where !item.isEmpty {
            guard let eq = item.firstIndex(of: "=") else {
                throw ValidationError("--image-opts: '\(item.terminalSafe)' is not key=value")
            }
            pairs.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
        }
        var filename: String?
        var ignored: [String] = []
        for (key, value) in pairs {
            switch key {
            case "driver":
                guard value == "qcow2" else {
                    throw ValidationError("--image-opts: qcowscope reads only qcow2 images; 'driver=\(value.terminalSafe)' is not supported")
                }
            case "file.filename", "file":
                filename = value
            case "file.driver":
                guard value == "file" else {
                    throw ValidationError("--image-opts: only local files are read; 'file.driver=\(value.terminalSafe)' is not supported")
                }
            case "read-only", "force-share", "file.locking", "file.aio", "cache.direct", "cache.no-flush":
                continue  // Read-only without locks whatever they say.
            case _ where key.hasPrefix("encrypt."):
                ignored.append(key)
            default:
                throw ValidationError("--image-opts: unsupported option '\(key.terminalSafe)' (qcowscope takes driver, file.filename and encrypt.*)")
            }
        }
        guard let filename, !filename.isEmpty else {
            throw ValidationError("--image-opts: no file.filename in '\(text.terminalSafe)' (e.g. driver=qcow2,file.filename=vm.qcow2)")
        }
        self.filename = filename
        self.ignored = ignored
    }

    /// Splits at single commas; `,,` stands for one comma inside a value.
    static func split(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var iterator = Array(text).makeIterator()
        var pending = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if c == "," {
                if pending == "," { current.append(","); pending = iterator.next(); continue }
                items.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        items.append(current)
        return items
    }
}
