import Qcow2
do {
    let image = try Qcow2Image(path: CommandLine.arguments[1])
    print(image.header.fields.map { "\($0.name)=\($0.value)" }.joined(separator: "\n"))
    print(image.extensions.map(\.typeName), image.findings)
} catch { print(error) }
