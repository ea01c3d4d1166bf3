import Foundation
import Analysis
import Reports
import TestSupport

/// QEMU's tools as the oracle: images are made with qemu-img/qemu-io in a temporary directory
/// and `qemu-img check` / `measure` answer about them. Tests using it are enabled only when
/// qemu-img is on PATH (`Tools.qemu`).
enum QemuOracle {
    /// Runs a recipe that makes an image (QEMU's LUKS timing flake is retried by `Tools.run`).
    @discardableResult
    static func make(_ recipe: String, in directory: String) throws -> Tools.Output {
        try Tools.shell(recipe, in: directory)
    }

    /// `qemu-img check --output=json` of `image`: exit status and numeric keys (nil when it
    /// printed no JSON, as when it could not check).
    static func check(_ image: String, in directory: String, openArguments: String? = nil) throws -> (Int32, [String: UInt64]?) {
        let target = openArguments ?? "-f qcow2 '\(image)'"
        let out = try Tools.shell("qemu-img check --output=json \(target)", in: directory, seconds: 30)
        guard let data = out.stdout.data(using: .utf8),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return (out.status, nil) }
        return (out.status, numericValues(json))
    }

    /// `qemu-img measure --output=json -O qcow2`'s `required`.
    static func measureRequired(_ image: String, in directory: String, openArguments: String? = nil) throws -> UInt64? {
        let target = openArguments ?? "-f qcow2 '\(image)'"
        let out = try Tools.shell("qemu-img measure --output=json -O qcow2 \(target)", in: directory, seconds: 30)
        guard let data = out.stdout.data(using: .utf8),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        return (json["required"] as? NSNumber)?.uint64Value
    }

    /// The hand-damage tool of the fixtures (Tests/Fixtures/qcow2tool.py).
    static var damageTool: String { Fixtures.root + "/qcow2tool.py" }
}
