import Guest
import Qcow2
import Analysis
import Foundation
import Reports
import TestSupport

/// The guest disks of make-guest-fixtures.sh --all, made once per test run in a temporary
/// directory, and `space` run on them in process.
enum GuestDisks {
    /// The disks and variants every oracle test runs on.
    static let bases = ["gpt", "mbr", "whole"]
    static let suffixes = ["", "-plain", "-zstd", "-4k", "-2m", "-extl2", "-overlay", "-snap"]
    static let variants: [String] = bases.flatMap { b in suffixes.map { b + $0 } }

    /// Tools the script and the oracles need.
    static let toolsPresent: Bool = Tools.qemu && ["sgdisk", "sfdisk", "mkfs.ext4", "debugfs", "dumpe2fs", "e2fsck", "mkfs.xfs",
                                                   "mkfs.vfat", "mcopy", "mkswap", "mkntfs", "xfs_db", "blkid"].allSatisfy { Tools.find($0) != nil }

    /// The directory holding every disk, made on first use.
    static let directory: Result<String, SetupFailure> = {
        do {
            let dir = try Tools.temporaryDirectory("qcowscope-space")
            let script = SpaceFixtures.root + "/make-guest-fixtures.sh"
            let result = try Tools.run(["bash", script, "--all", dir], in: dir)
            guard result.status == 0 else { return .failure(SetupFailure(description: "make-guest-fixtures.sh: \(result.stderr)")) }
            return .success(dir)
        } catch {
            return .failure(SetupFailure(description: "\(error)"))
        }
    }()

    static func path(_ name: String) throws -> String { try directory.get() + "/" + name + ".qcow2" }
}

/// `space --json` computed in process, as the command does.
func spaceJSON(_ path: String) throws -> JSONValue {
    let image = try Qcow2Image(path: path)
    let analysis = try ImageAnalysis.scan(image)
    let chain = BackingChain.open(top: image)
    let usage = try VolumeUsage.read(chain: chain)
    let report = SpaceReport(analysis: analysis, usage: usage, filename: path, imageFindings: image.findings + chain.findings)
    // Through the renderer and the strict parser, as a script would read it.
    return try JSONParser.parse(report.json().rendered())
}

/// Extents from JSON `[{"start":…, "length":…}]`.
func extents(_ value: JSONValue?) -> [GuestExtent] {
    (value?.items ?? []).compactMap { e in
        guard let s = e["start"]?.uint, let l = e["length"]?.uint else { return nil }
        return GuestExtent(start: s, length: l)
    }
}
