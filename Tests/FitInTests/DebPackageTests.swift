import Foundation
import Testing
import TestSupport

/// `make deb` as users get it, from the debug build (a release build takes minutes; the scripts are
/// the same, DEB_ALLOW_UNPACKAGED lets the toolchain's Swift runtime libraries through): the package
/// builds, lintian reports only tags the README explains, and once unpacked into a scratch root the
/// installed binary reads a fixture, `man -l` renders the page and bash completes `qcowscope ch`.
@Suite(.enabled(if: Tools.find("dpkg-deb") != nil && Tools.find("lintian") != nil && Tools.find("man") != nil,
                "needs dpkg-deb, lintian and man-db"))
struct DebPackageTests {
    /// The tags only the debug build raises: its RUNPATH points into the toolchain.
    static let debugOnlyTags = "custom-library-search-path"

    @Test func theInstalledPackageWorks() throws {
        let binary = try #require(QcowscopeBinary.path, "qcowscope not built")
        let work = try Tools.temporaryDirectory("qcowscope-deb")
        defer { try? FileManager.default.removeItem(atPath: work) }

        let built = try FitIn.script("scripts/make-deb.sh", [binary, work + "/dist"],
                                     environment: ["DEB_ALLOW_UNPACKAGED": "1", "DEB_LINTIAN_ALLOW": Self.debugOnlyTags])
        #expect(built.status == 0, "make-deb failed: \(built.stderr)")
        #expect(built.stderr.contains("check-lintian: qcowscope_"))
        let deb = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let root = work + "/root"
        #expect(try FitIn.shell(["dpkg-deb", "-x", deb, root]).status == 0)

        // The usual paths.
        for path in ["usr/bin/qcowscope", "usr/share/man/man1/qcowscope.1.gz",
                     "usr/share/bash-completion/completions/qcowscope", "usr/share/zsh/vendor-completions/_qcowscope",
                     "usr/share/fish/vendor_completions.d/qcowscope.fish", "usr/share/doc/qcowscope/copyright",
                     "usr/share/doc/qcowscope/changelog.gz", "usr/share/doc/qcowscope/README.md",
                     "usr/share/qcowscope/demo.qcow2"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + path), "\(path) missing")
        }

        // Depends: the packages of the libraries the binary loads, and nothing else.
        let depends = try FitIn.shell(["dpkg-deb", "--field", deb, "Depends"]).stdout
        let expected = try FitIn.script("scripts/deb-depends.sh", [root + "/usr/bin/qcowscope"],
                                        environment: ["DEB_ALLOW_UNPACKAGED": "1"]).stdout
        #expect(depends == expected)
        #expect(depends.contains("libc6 (>= "))
        let version = try FitIn.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try FitIn.shell(["dpkg-deb", "--field", deb, "Version"]).stdout == version + "\n")

        // The installed binary on a fixture.
        let info = try FitIn.run(["info", "Tests/Fixtures/images/v3.qcow2"], binary: root + "/usr/bin/qcowscope")
        #expect(info.status == 0)
        #expect(info.stdout.contains("file format: qcow2"))

        // The man page renders without a warning, with the hand-written sections.
        let man = try FitIn.shell(["env", "MANWIDTH=80", "man", "--warnings", "-l", root + "/usr/share/man/man1/qcowscope.1.gz"])
        #expect(man.status == 0)
        #expect(man.stderr.isEmpty, "man: \(man.stderr)")
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "EXAMPLES", "FILES", "ENVIRONMENT", "SEE ALSO"] {
            #expect(man.stdout.contains("\n" + heading + "\n"), "\(heading) missing")
        }
        #expect(man.stdout.contains("qemu-img(1)") && man.stdout.contains("qemu-nbd(8)") && man.stdout.contains("nbdinfo(1)"))
        #expect(man.stdout.contains("NO_COLOR"))
        // One example per command, run on the fixtures.
        for name in try HelpTests.commandNames() where name != "help" {
            #expect(man.stdout.contains("$ qcowscope \(name) "), "no example of \(name) in EXAMPLES")
        }
        #expect(man.stdout.contains("leaked clusters were found"))

        // bash completes `qcowscope ch` to `check`.
        let completion = """
            source /usr/share/bash-completion/bash_completion
            source '\(root)/usr/share/bash-completion/completions/qcowscope'
            COMP_LINE='qcowscope ch'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(qcowscope ch); COMP_CWORD=1
            _qcowscope qcowscope ch qcowscope
            echo "${COMPREPLY[*]}"
            """
        #expect(try FitIn.shell(["bash", "-c", completion]).stdout == "check\n")
    }

    @Test func theTarballHoldsEverything() throws {
        let binary = try #require(QcowscopeBinary.path, "qcowscope not built")
        let work = try Tools.temporaryDirectory("qcowscope-tarball")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let built = try FitIn.script("scripts/make-tarball.sh", [binary, work])
        #expect(built.status == 0, "make-tarball failed: \(built.stderr)")
        let archive = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let listing = try FitIn.shell(["tar", "-tzf", archive]).stdout
        let top = URL(fileURLWithPath: archive).lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        for path in ["bin/qcowscope", "share/man/man1/qcowscope.1", "share/bash-completion/completions/qcowscope",
                     "share/zsh/site-functions/_qcowscope", "share/fish/vendor_completions.d/qcowscope.fish",
                     "share/qcowscope/demo.qcow2", "README.md", "LICENSE"] {
            #expect(listing.contains("\(top)/\(path)\n"), "\(path) missing from the tarball")
        }
    }
}
