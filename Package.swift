// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "qcowscope",
    products: [
        .executable(name: "qcowscope", targets: ["qcowscope"]),
        .library(name: "Qcow2", targets: ["Qcow2"]),
        .library(name: "Qcow2Analysis", targets: ["Analysis"]),
        .library(name: "QcowScopeReports", targets: ["Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C shims: header-only `static inline` helpers over system libraries found through pkg-config.
        .systemLibrary(
            name: "CNCurses", pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CNBD", pkgConfig: "libnbd",
            providers: [.apt(["libnbd-dev"])]),
        // The platform's SEEK_DATA / SEEK_HOLE (Swift's Glibc module leaves them out).
        .systemLibrary(name: "CSystem"),

        // Sizes, dates, clocks and the one terminal-escaping function, shared by every layer that prints.
        .target(name: "Formatting"),
        // The on-disk format: read-only byte source, big-endian decoding, structures, typed errors.
        .target(name: "Qcow2", dependencies: ["CZlib", "CZstd", "CSystem", "Formatting"]),
        // Images over HTTP(S) (libcurl) and NBD (libnbd) as byte sources: ranged reads, a block cache,
        // prefetched tables merged into few parallel requests (issue 13).
        .target(name: "Remote", dependencies: ["Qcow2", "CCurl", "CNBD"]),
        // Inside the guest: partition tables, LVM, filesystems' free-space maps, over any ByteSource.
        .target(name: "Guest", dependencies: ["Qcow2"]),
        // One streaming scan of an image producing the reports every view and command uses.
        .target(name: "Analysis", dependencies: ["Qcow2", "Guest"]),
        // Text and JSON reports for the non-interactive commands (info, check, map, ...).
        .target(name: "Reports", dependencies: ["Qcow2", "Analysis", "Formatting"]),
        // Geometry, styles, the in-memory cell grid and widgets. No C imports.
        .target(
            name: "TerminalUI", dependencies: ["Formatting"],
            // Double.rounded() lowers to libm's floor/round/ceil; link it even when nothing else does.
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        // App state, view models and screens: pure values over the analysis.
        .target(name: "Explorer", dependencies: ["Qcow2", "Guest", "Analysis", "Reports", "TerminalUI", "Formatting"]),
        // Pictures for bug reports and documentation: PNG (zlib) and SVG of explorer screens in a compiled-in
        // bitmap font, and map pictures of the host and guest maps coloured by role. No font engine.
        .target(name: "Pictures", dependencies: ["CZlib", "Formatting", "TerminalUI", "Explorer", "Analysis"]),
        // The only module that imports curses.
        .target(name: "CursesBackend", dependencies: ["CNCurses", "TerminalUI"]),
        // Widget gallery on the real terminal, for checking the curses backend in tmux and for
        // screenshots (scripts/xterm-screenshots.sh). Development only; not a product.
        .executableTarget(name: "tui-sample", dependencies: ["TerminalUI", "CursesBackend"]),
        // Timings of the explorer's frames on the benchmark images (prints, asserts nothing).
        .executableTarget(name: "explorer-bench", dependencies: ["Explorer", "Analysis", "Qcow2", "TerminalUI"],
                          path: "Benchmarks/ExplorerBench"),
        // Golden-file helper for screen tests (imports Testing; used by test targets only).
        .target(name: "TerminalUITesting", dependencies: ["TerminalUI"]),
        .executableTarget(
            name: "qcowscope",
            dependencies: [
                "Qcow2", "Analysis", "Reports", "TerminalUI", "Explorer", "CursesBackend", "Pictures", "Remote", "Formatting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // What the test suites share: running programs (posix_spawn, not Foundation's Process), QEMU's
        // tools as the oracle, and a strict JSON parser for comparing with qemu-img's answers.
        .target(name: "TestSupport", dependencies: ["Reports"], path: "Tests/TestSupport"),

        .testTarget(name: "Qcow2Tests", dependencies: ["Qcow2"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Qcow2", "Formatting", "TestSupport"]),
        // The scan and the check/layout/frag/snapshots reports, against fixtures and qemu-img.
        .testTarget(name: "AnalysisTests", dependencies: ["Qcow2", "Analysis", "Reports", "TestSupport"]),
        // Asks qemu-img about a matrix of images it makes; skipped when qemu-img is not on PATH.
        .testTarget(name: "OracleTests", dependencies: ["Reports", "Qcow2", "TestSupport"]),
        // Guest map and bitmap extents: fixtures, qemu-img map / qemu-nbd oracles, summary and writer units.
        .testTarget(name: "GuestMapTests", dependencies: ["Qcow2", "Analysis", "Reports", "TestSupport"]),
        // `space`: the guest disk byte source against qemu-img convert, and reclaimable space against the
        // filesystems' own tools (dumpe2fs, xfs_db) on disks made with sfdisk/mkfs and converted by qemu-img.
        .testTarget(name: "SpaceTests", dependencies: ["Qcow2", "Guest", "Analysis", "Reports", "TestSupport", "qcowscope"]),
        // Partition tables, LVM and filesystem free maps on disks made with sfdisk/sgdisk/mkfs/lvm2, checked
        // against sfdisk, The Sleuth Kit and mtools; hostile in-memory disks.
        .testTarget(name: "GuestTests", dependencies: ["Guest", "Qcow2", "Reports", "TestSupport"]),
        // ext2/3/4 and XFS free-space readers against dumpe2fs, xfs_db and The Sleuth Kit on disks made by mkfs.
        // `diff`, `diff --layers` and `bitmaps --audit` against raw exports, qemu-img map and qemu-img commit.
        .testTarget(name: "DiffTests", dependencies: ["Qcow2", "Analysis", "Reports", "TestSupport"]),
        .testTarget(name: "GuestFilesystemTests", dependencies: ["Guest", "Qcow2", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TerminalUITesting"], exclude: ["Golden"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Qcow2", "Explorer", "Guest", "Analysis", "Reports", "TerminalUI", "TerminalUITesting"],
                    exclude: ["Golden"]),
        // Drives the real binary in tmux; builds `qcowscope` first so it sits beside the tests.
        // Walks every view the registry declares (Explorer's ViewID).
        .testTarget(name: "EndToEndTests", dependencies: ["qcowscope", "Explorer", "TestSupport"]),
        // PNG and SVG pictures: decoded pixels against goldens, determinism, ImageMagick and python3 as
        // independent readers; map pictures' colours per role on fixtures.
        .testTarget(name: "PicturesTests", dependencies: ["Pictures", "CZlib", "TerminalUI", "Explorer", "Analysis", "Qcow2", "TestSupport", "qcowscope"],
                    exclude: ["Golden"]),
        // `survey` as a process over a tree of fixtures: discovery, records equal to check/info/frag, CSV, exit status.
        .testTarget(name: "SurveyTests", dependencies: ["qcowscope", "Reports", "TestSupport"]),
        // Remote images against real servers on 127.0.0.1 (nginx over HTTP and HTTPS, qemu-nbd, nbdkit): every
        // command's JSON equals the local file's; faults from a proxy; requests counted in nginx's log.
        .testTarget(name: "RemoteTests", dependencies: ["qcowscope", "Qcow2", "TestSupport"], exclude: ["fault-proxy.py"]),
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend", "TerminalUI"]),
        // Runs the built qcowscope on the hostile corpus (Tests/Mutations) and the fixtures: no crash, no hang,
        // bounded memory, terminal-safe output, never a write. Depends on the executable only to build it first.
        .testTarget(name: "HostileTests", dependencies: ["qcowscope", "TestSupport"]),
        // Fitting in with the tools around it (issue 14): qemu-img's option spellings, help grouped by
        // question with an example per command, the progress line only on a terminal.
        .testTarget(name: "FitInTests", dependencies: ["qcowscope", "TestSupport"]),
        // Images in use: real QEMU writers (qemu-io, qemu-nbd) change an image while check, --watch and the
        // explorer read it; QEMU's image lock marks it in use.
        .testTarget(name: "InUseTests", dependencies: ["qcowscope", "Qcow2", "Analysis", "Reports", "Explorer", "TerminalUI", "TestSupport"]),
        // Every command under strace on images naming /etc/passwd, ../../x, /dev/zero, a FIFO, a link
        // out and a URL (Tests/Fixtures/make-reach-fixtures.sh): nothing outside is touched, no connection.
        .testTarget(name: "ReachTests", dependencies: ["qcowscope", "TestSupport"]),
        // `vet`: codes and verdicts on those images, CDI's invalid images, the fixtures and the mutation corpus.
        .testTarget(name: "VetTests", dependencies: ["Qcow2", "Analysis", "Reports", "TestSupport", "qcowscope"]),
    ],
    swiftLanguageModes: [.v6]
)
