// libFuzzer entry point over the format library, the analysis, the reports and the explorer views.
//
// Built by Fuzz/build.sh with `swiftc -sanitize=fuzzer,address -parse-as-library`, linked against
// the Qcow2, Analysis and Reports modules (and TerminalUI and Explorer, unless built with
// -D FUZZ_CORE, the lighter build `make test` uses) compiled with the same instrumentation. Each input is
// an image file: it is written to a memfd (no disk I/O) and opened through /proc/self/fd, then
// every decoder a command would use runs over it, as every command would, but with backing files
// never followed (an input naming /dev/zero or a real path must not make the fuzzer read it).
//
// A crash, a trap (overflow, bounds, force unwrap), an ASan report, a leak or a timeout is a
// finding; Fuzz/regressions/ keeps each one, and HostileTests replays them through the binary.

import Analysis
import Glibc
import Guest
import Qcow2
import Reports
#if !FUZZ_CORE
import Explorer
import TerminalUI
#endif

/// The one in-memory file every input is written to (libFuzzer runs inputs one at a time on one
/// thread): a file on tmpfs (/dev/shm), unlinked at once, reached through /proc/self/fd. (Glibc's
/// Swift module does not expose memfd_create; the effect is the same: no disk I/O, no leftovers.)
nonisolated(unsafe) private var memfd: Int32 = -1

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQcow2(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    exerciseGuest(data, size)
    exerciseURL(data, size)
    guard let path = store(data, size) else { return 0 }
    exerciseVet(path: path)
    guard let image = try? Qcow2Image(path: path, limits: .noBacking) else { return 0 }
    exerciseFormat(image)
    exerciseTables(image)
    exerciseAnalysis(image, path: path)
    #if !FUZZ_CORE
    exerciseViews(image, path: path)
    #endif
    return 0
}

/// The input as a raw guest disk: partition tables, LVM metadata and every filesystem reader, over
/// an in-memory source (the seeds in Fuzz/seeds are such disks; a qcow2 input is one too, of kind
/// unknown). Each volume is also read by every reader, whichever one its signature matches, so a
/// reader's bounds are fuzzed on bytes that only look like its format.
private func exerciseGuest(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let disk = VolumeReader(source: MemoryByteSource(Array(UnsafeBufferPointer(start: data, count: size))))
    let layout = GuestDiskLayout.read(disk)
    _ = layout.findings.map(\.description)
    for volume in layout.volumes.prefix(16) {
        _ = volume.filesystem.freeExtents.reduce(0) { $0 &+ $1.length }
        _ = volume.filesystem.findings.map(\.description)
    }
    for reader in FilesystemProbe.readers where reader.matches(disk) {
        _ = reader.read(disk)
    }
}

/// The input's first line as an image URL (RemoteURL), and as a backing name a remote image
/// stores, resolved against a fixed URL by the same-server rule.
private func exerciseURL(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let line = Array(UnsafeBufferPointer(start: data, count: min(size, 9000)).prefix { $0 != 0x0A })
    let text = String(decoding: line, as: UTF8.self)
    if let url = try? RemoteURL(text) {
        _ = (url.server, url.query("socket"), url.description)
    }
    _ = RemoteURL.looksLikeURL(line)
    if let base = try? RemoteURL("http://127.0.0.1:8080/images/top.qcow2") {
        _ = base.reach(line)
    }
}

/// Replaces the memfd's contents with the input; returns a path that opens it.
private func store(_ data: UnsafePointer<UInt8>, _ size: Int) -> String? {
    if memfd < 0 {
        let name = "/dev/shm/qcowscope-fuzz-\(getpid())"
        memfd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard memfd >= 0 else { return nil }
        unlink(name)
    }
    guard ftruncate(memfd, 0) == 0 else { return nil }
    var done = 0
    while done < size {
        let n = pwrite(memfd, data + done, size - done, off_t(done))
        guard n > 0 else { return nil }
        done += n
    }
    return "/proc/self/fd/\(memfd)"
}

/// `vet` on every input, qcow2 or not (it names the format a foreign file looks like). It opens
/// nothing the image names, so an input naming /dev/zero is safe here too.
private func exerciseVet(path: String) {
    guard let file = try? ReadOnlyFile(path: path) else { return }
    let report = VetReport(vet: UploadVet.vet(file, policy: UploadVet.Policy(maxVirtualSize: 1 << 40)), filename: "fuzz.qcow2")
    _ = report.text()
    _ = report.json().rendered()
}

/// Header, extensions, names, snapshots, bitmaps, encryption: what `info` shows.
private func exerciseFormat(_ image: Qcow2Image) {
    let header = image.header
    _ = header.validate(fileSize: image.file.size)
    _ = header.fields.map { "\($0.name)=\($0.value)" }
    _ = image.features.map { $0.name ?? "?" }
    _ = image.backingFileName?.escaped
    _ = image.dataFileName?.escaped
    _ = image.backingFormat?.string
    _ = image.extensions.map(\.typeName)
    let (snapshots, _) = image.readSnapshots()
    for snapshot in snapshots.prefix(64) {
        _ = snapshot.name.escaped + snapshot.id.escaped
        _ = try? image.readL1Table(of: snapshot)
    }
    let (bitmaps, _) = image.readBitmapDirectory()
    for bitmap in bitmaps.prefix(64) {
        _ = bitmap.name.escaped
        _ = try? image.readBitmapTable(of: bitmap)
    }
    _ = image.readLUKSHeader()
    let info = InfoReport(image: image, filename: "fuzz.qcow2")
    _ = info.text()
    _ = info.json().rendered()
    _ = info.qemuJSON().rendered()
    _ = BitmapsReport(image: image).text()
}

/// A direct walk of the active L1/L2 tables and the refcount table, bounded, decoding every entry
/// and a few compressed clusters.
private func exerciseTables(_ image: Qcow2Image) {
    let header = image.header
    guard header.hasUsableGeometry else { return }
    let clusterSize = Int(header.clusterSize)
    if let l1 = try? image.readL1Table() {
        var decompressed = 0
        for raw in l1.prefix(16) {
            let entry = L1Entry(raw: raw)
            _ = entry.reservedBits
            guard entry.l2Offset != 0,
                  let table = try? image.file.readBytes(clusterSize, at: entry.l2Offset, for: .l2Table) else { continue }
            table.withUnsafeBytes { bytes in
                let step = header.l2EntrySize
                for i in stride(from: 0, to: bytes.count - step + 1, by: step) {
                    let l2 = L2Entry(raw: bytes.be64(at: i), bitmap: step == 16 ? bytes.be64(at: i + 8) : 0)
                    let type = l2.clusterType(extendedL2: header.hasExtendedL2, externalDataFile: header.hasExternalDataFile)
                    if header.hasExtendedL2 { _ = (0..<32).map { l2.subclusterType($0, externalDataFile: false) } }
                    if type == .compressed, decompressed < 4 {
                        decompressed += 1
                        _ = try? image.readCompressedCluster(l2)
                    }
                }
            }
        }
    }
    if let table = try? image.readRefcountTable() {
        for raw in table.prefix(4) {
            let entry = RefcountTableEntry(raw: raw)
            guard entry.blockOffset != 0,
                  let block = try? image.file.readBytes(clusterSize, at: entry.blockOffset, for: .refcountBlock) else { continue }
            block.withUnsafeBytes { bytes in
                for i in 0..<Int(header.refcountBlockEntries) {
                    _ = RefcountBlock.refcount(in: bytes, index: i, order: header.refcountOrder)
                }
            }
        }
    }
}

/// The one-pass scan and every report built on it; the guest map and bitmap extents.
private func exerciseAnalysis(_ image: Qcow2Image, path: String) {
    if let analysis = try? ImageAnalysis.scan(image) {
        let check = CheckReport(analysis: analysis, filename: "fuzz.qcow2")
        _ = check.text()
        _ = check.json().rendered()
        _ = LayoutReport(analysis: analysis, filename: "fuzz.qcow2").text()
        _ = FragReport(analysis: analysis, filename: "fuzz.qcow2", advice: nil).text()
        _ = SnapshotsReport(analysis: analysis).text()
    }
    // frag's own path: the scan with the compacted-size tally (its direct count of the L2 entries).
    if let measured = try? CompactAdvice.measure(image, scan: { tally in try ImageAnalysis.scan(image, tally: tally) }) {
        _ = FragReport(analysis: measured.analysis, filename: "fuzz.qcow2", advice: measured.advice).text()
    }
    if let map = try? GuestMap(image: image) {
        var entries = 0
        _ = try? map.forEachEntry(strict: false) { _ in entries += 1 }
        _ = try? map.summary()
        _ = try? CompactSize.measure(map)
    }
    _ = BitmapExtents.decodeAll(image)
}

#if !FUZZ_CORE
/// Every explorer view drawn headlessly from one scan, as `qcowscope render` does.
private func exerciseViews(_ image: Qcow2Image, path: String) {
    let session = ExplorerSession(data: ExplorerData(path: path, image: image, chain: BackingChain.open(top: image)))
    session.scanNow()
    let snapshot = session.snapshot()
    for view in ViewID.allCases {
        let screen = Explorer.render(AppState(view: view), snapshot, size: Size(width: 100, height: 30),
                                     theme: Theme(glyphs: .unicode, colorMode: .none))
        _ = screen.textDump()
    }
}
#endif
