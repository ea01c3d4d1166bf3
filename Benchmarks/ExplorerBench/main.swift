import Foundation

/// `swift run --scratch-path .build explorer-bench [IMAGE...]`: how long the explorer's frames
/// and their pieces take on the benchmark images (Benchmarks/make-images.sh), or on the images
/// given. Prints times; asserts nothing.
enum Bench {
    /// The package root (this file is Benchmarks/ExplorerBench/main.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}

let given = Array(CommandLine.arguments.dropFirst())
let images = given.isEmpty ? GuestMapBench.images : given
if images.isEmpty { print("explorer-bench: no images; run Benchmarks/make-images.sh or name some") }
for path in images {
    try GuestMapBench.frames(path: path)
    try GuestMapBench.pieces(path: path)
    try GuestMapBench.drawingCosts(path: path)
    try HostMapBench.run(path: path)
}
