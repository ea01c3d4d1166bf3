import ArgumentParser
import Qcow2
import Reports

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe an image: header, features, extensions, snapshots, bitmaps, backing chain.")
    @OptionGroup var options: ImageOptions
    @Flag(help: "Print JSON compatible with `qemu-img info --output=json`.") var json = false
    @Flag(name: .customLong("backing-chain"), help: "Describe every image of the backing chain.") var backingChain = false

    func run() throws {
        let image = try options.open()
        print(image.header.fields.map { "\($0.name) = \($0.value)" }.joined(separator: "\n"))
    }
}
