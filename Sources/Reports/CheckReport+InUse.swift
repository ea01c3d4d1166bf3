import Analysis
import Qcow2

/// What `check` says about an image a running QEMU holds (``InUseReading``): the refcount
/// differences its caches explain under `in-use-expected`, and what kept changing while it was
/// read under `changed-while-reading` — neither counted in qemu-img's keys nor in the exit status.
extension CheckReport {
    /// The `in-use-expected` and `changed-while-reading` keys (none for an image at rest).
    func inUseJSON() -> [(String, JSONValue?)] {
        guard let r = analysis.inUseReading else { return [] }
        var pairs: [(String, JSONValue?)] = [("in-use-passes", .uint(UInt64(r.passes)))]
        if r.expected.total > 0 {
            pairs.append(("in-use-expected", jsonObject([
                ("leaks", .uint(r.expectedLeaks)),
                ("corruptions", .uint(r.expectedCorruptions)),
                ("explanation", .string(InUseReading.explanation)),
                ("finding-counts", Self.counts(r.expected)),
                ("findings", .array(r.expected.sortedSamples.map(\.json))),
            ])))
        }
        if r.changedWhileReading.total > 0 {
            pairs.append(("changed-while-reading", jsonObject([
                ("finding-counts", Self.counts(r.changedWhileReading)),
                ("findings", .array(r.changedWhileReading.sortedSamples.map(\.json))),
            ])))
        }
        return pairs
    }

    /// The text paragraph for an image in use (empty at rest).
    var inUseText: String {
        guard analysis.inUse, let r = analysis.inUseReading else { return "" }
        var out = "\nThe image is in use (a running QEMU holds its locks); it was read without a lock"
            + (r.passes > 1 ? " in \(r.passes) passes, as its metadata changed while it was read" : "") + ".\n"
        if r.expected.total > 0 {
            out += "\(r.expected.total) refcount differences (\(r.expectedLeaks) would-be leaks, \(r.expectedCorruptions) "
                + "would-be errors) are expected: \(InUseReading.explanation).\n"
        }
        if r.changedWhileReading.total > 0 {
            out += "\(r.changedWhileReading.total) findings changed while reading (the metadata kept changing over "
                + "\(r.passes) passes); they are not counted. Run check again once the VM is idle or stopped.\n"
        }
        return out
    }
}
