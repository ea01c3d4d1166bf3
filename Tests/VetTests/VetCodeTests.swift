import Analysis
import Foundation
import Qcow2
import Testing
import TestSupport

/// `vet` on the images of make-reach-fixtures.sh: every name that leads outside gets its codes,
/// CDI's invalid images are refused, and a clean image is safe. Run through the library, then a
/// few through the binary for the exit statuses and the JSON shape.
@Suite struct VetCodeTests {
    static let available = Tools.qemu && Tools.find("python3") != nil

    /// The codes each image must carry (others may come with them) and its verdict.
    static let expected: [(image: String, codes: [String], verdict: UploadVet.Verdict)] = [
        ("clean.qcow2", [], .safe),
        ("sparse-1t.qcow2", [], .safe),
        ("backing-inside.qcow2", ["backing-file"], .unsafe),
        ("backing-no-format.qcow2", ["backing-file", "backing-format-missing"], .unsafe),
        ("backing-etc-passwd.qcow2", ["backing-file", "backing-file-absolute", "backing-file-leaves-directory"], .unsafe),
        ("backing-parent.qcow2", ["backing-file", "backing-file-parent", "backing-file-leaves-directory"], .unsafe),
        ("backing-dev-zero.qcow2", ["backing-file", "backing-file-absolute", "backing-file-device"], .unsafe),
        ("backing-fifo.qcow2", ["backing-file", "backing-file-fifo"], .unsafe),
        ("backing-symlink.qcow2", ["backing-file", "backing-file-symlink"], .unsafe),
        ("backing-url.qcow2", ["backing-file", "backing-file-url"], .unsafe),
        ("backing-file-scheme.qcow2", ["backing-file", "backing-file-url"], .unsafe),
        ("data-etc-passwd.qcow2", ["data-file", "data-file-absolute", "data-file-leaves-directory"], .unsafe),
        ("data-parent.qcow2", ["data-file", "data-file-parent", "data-file-leaves-directory"], .unsafe),
        ("data-dev-zero.qcow2", ["data-file", "data-file-absolute", "data-file-device"], .unsafe),
        ("data-fifo.qcow2", ["data-file", "data-file-fifo"], .unsafe),
        ("data-symlink.qcow2", ["data-file", "data-file-symlink"], .unsafe),
        ("data-url.qcow2", ["data-file", "data-file-url"], .unsafe),
        ("data-file-scheme.qcow2", ["data-file", "data-file-url"], .unsafe),
        ("kubevirt-vmdk.img", ["not-qcow2"], .unsafe),
        ("kubevirt-iso.qcow2", ["not-qcow2"], .unsafe),
        ("kubevirt-snapshots.qcow2", ["metadata-overlap", "snapshot-table-too-large"], .unsafe),
        ("kubevirt-l1.qcow2", ["l1-table-too-large"], .unsafe),
    ]

    @Test(.enabled(if: available)) func codesAndVerdicts() throws {
        let fixtures = try VetFixtures()
        defer { fixtures.cleanUp() }
        for c in Self.expected {
            let vet = UploadVet.vet(try ReadOnlyFile(path: fixtures.path(c.image)))
            let codes = Set(vet.reasons.map(\.code.rawValue))
            #expect(vet.verdict == c.verdict, "\(c.image): \(vet.verdict), reasons \(vet.reasons.map(\.code.rawValue))")
            #expect(codes.isSuperset(of: c.codes), "\(c.image): \(codes.sorted()) lacks \(Set(c.codes).subtracting(codes).sorted())")
            if c.verdict == .safe { #expect(vet.reasons.isEmpty, "\(c.image): \(vet.reasons)") }
        }
        let vmdk = UploadVet.vet(try ReadOnlyFile(path: fixtures.path("kubevirt-vmdk.img")))
        #expect(vmdk.reasons.first?.message.contains("(vmdk)") == true)
        let iso = UploadVet.vet(try ReadOnlyFile(path: fixtures.path("kubevirt-iso.qcow2")))
        #expect(iso.reasons.first?.message.contains("(iso)") == true)
    }

    @Test(.enabled(if: available)) func maxVirtualSize() throws {
        let fixtures = try VetFixtures()
        defer { fixtures.cleanUp() }
        let big = try ReadOnlyFile(path: fixtures.path("sparse-1t.qcow2"))
        #expect(UploadVet.vet(big, policy: .init(maxVirtualSize: 1 << 40)).verdict == .safe)
        let over = UploadVet.vet(big, policy: .init(maxVirtualSize: 512 << 30))
        #expect(over.verdict == .unsafe && over.reasons.map(\.code.rawValue) == ["virtual-size-too-large"])
    }

    /// Flags and damage on the committed fixtures: the corrupt bit and a refcount of zero are
    /// damage, a leak and the dirty bit only notes, an in-use bitmap and encryption notes.
    @Test func fixtureFlags() throws {
        func vet(_ name: String) throws -> UploadVet { UploadVet.vet(try ReadOnlyFile(path: FixturePaths.root + "/images/" + name)) }
        let flag = try vet("corrupt-flag.qcow2")
        #expect(flag.verdict == .damaged && flag.reasons.contains { $0.code.rawValue == "corrupt-bit" })
        #expect(try vet("corrupt-refcount-zero.qcow2").verdict == .damaged)
        let leak = try vet("corrupt-leak.qcow2")
        #expect(leak.verdict == .safe && leak.reasons.contains { $0.code.rawValue == "leaked-cluster" && $0.severity == .note })
        #expect(try vet("bitmaps-inuse.qcow2").reasons.contains { $0.code.rawValue == "bitmap-in-use" })
        let luks = try vet("luks.qcow2")
        #expect(luks.verdict == .safe && luks.reasons.map(\.code.rawValue) == ["encrypted"])
        #expect(try vet("v3.qcow2").reasons.isEmpty)
        #expect(try vet("datafile.qcow2").verdict == .unsafe)
        #expect(try vet("chain-top.qcow2").verdict == .unsafe)
    }
}

/// make-reach-fixtures.sh in a fresh directory, as the strace tests make them (vet never
/// connects to their listener).
typealias VetFixtures = ReachFixtures
