import Qcow2

/// The findings one volume's walk collects, capped: a hostile free map could otherwise give one per
/// group or per B+tree block. Past the cap findings are only counted (their text is not even built),
/// and ``all`` ends with one finding saying how many more there were.
struct CappedFindings {
    static let cap = 64

    private(set) var listed: [Finding] = []
    private(set) var dropped = 0

    mutating func append(_ finding: @autoclosure () -> Finding) {
        if listed.count < Self.cap { listed.append(finding()) } else { dropped += 1 }
    }

    /// The listed findings, then the summary of the dropped ones.
    var all: [Finding] {
        guard dropped > 0, let last = listed.last else { return listed }
        return listed + [Finding(.warning, last.structure, at: last.offset, "and \(dropped) more findings not listed")]
    }
}

/// Interval arithmetic on sorted half-open ranges, for the free runs of one group or AG.
enum RangeSet {
    /// `runs` minus every range of `used`; `runs` sorted and disjoint, `used` sorted by lower bound
    /// (overlaps allowed). Linear in both.
    static func subtract(_ runs: [Range<UInt64>], _ used: [Range<UInt64>]) -> [Range<UInt64>] {
        guard !used.isEmpty else { return runs }
        var result: [Range<UInt64>] = []
        var u = 0
        for run in runs {
            var start = run.lowerBound
            while u < used.count, used[u].upperBound <= start { u += 1 }
            var k = u
            while start < run.upperBound, k < used.count, used[k].lowerBound < run.upperBound {
                if used[k].lowerBound > start { result.append(start..<used[k].lowerBound) }
                start = max(start, used[k].upperBound)
                k += 1
            }
            if start < run.upperBound { result.append(start..<run.upperBound) }
        }
        return result
    }
}
