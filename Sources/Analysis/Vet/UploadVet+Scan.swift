import Qcow2

extension UploadVet {
    /// What the check's scan finds, as reasons: every error kind under its own code (the check's
    /// JSON `kind`), damage unless it is a leak (a note) or metadata overlapping metadata (unsafe:
    /// a guest write through such a table rewrites QEMU's own metadata). One reason per code,
    /// naming the first place and how many more. Then bytes past the last cluster in use.
    static func scan(_ image: Qcow2Image) -> [Reason] {
        let analysis: ImageAnalysis
        do {
            analysis = try ImageAnalysis.scan(image)
        } catch {
            return [Reason(.headerInvalid, .damaged, .header, at: 0, "the metadata cannot be walked: \(error.description)")]
        }
        var firsts: [Code: Reason] = [:]
        var counts: [Code: Int] = [:]
        var order: [Code] = []
        for f in analysis.findings.sortedSamples {
            guard let (code, severity) = classify(f) else { continue }
            counts[code, default: 0] += 1
            guard firsts[code] == nil else { continue }
            firsts[code] = Reason(code, severity, f.structure, at: f.offset, f.message)
            order.append(code)
        }
        var out = order.compactMap { code -> Reason? in
            guard var reason = firsts[code] else { return nil }
            let more = (counts[code] ?? 1) - 1
            if more > 0 { reason.message += " (and \(more) more like it)" }
            return reason
        }
        // Why the check could not be done (QEMU would refuse the image), where no finding says it.
        let said = analysis.findings.samples.map(\.message)
        for why in analysis.couldNotCheck where !said.contains(where: { $0.contains(why) }) {
            out.append(Reason(.headerInvalid, .damaged, .file, at: 0, "QEMU would refuse to open the image: \(why)"))
        }
        let h = image.header
        let end = analysis.check.imageEndOffset
        let rounded = end % h.clusterSize == 0 ? end : end - end % h.clusterSize + h.clusterSize
        if h.hasUsableGeometry, image.file.size > rounded {
            out.append(Reason(.trailingData, .note, .file, at: rounded,
                              "\(image.file.size - rounded) bytes follow the last cluster in use (\(hex(rounded))): QEMU ignores them"))
        }
        return out
    }

    /// The code and weight of a scan finding; nil for what is not a reason (warnings, guest findings).
    private static func classify(_ f: Finding) -> (Code, Severity)? {
        switch (f.severity, f.kind) {
        case (.warning, .compressedOutOfRange): return (.compressedClusterTooLarge, .unsafe)
        case (.error, .image): return (.headerInvalid, .damaged)
        case (.error, .overlap): return (.metadataOverlap, .unsafe)
        case (_, .leakedCluster), (_, .refcountTooHigh): return Code(f.kind).map { ($0, .note) }
        case (.error, _): return Code(f.kind).map { ($0, .damaged) }
        default: return nil
        }
    }
}
