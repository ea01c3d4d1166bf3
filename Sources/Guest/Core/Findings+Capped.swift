import Qcow2

extension Array where Element == Finding {
    /// Findings one volume reports at most: a hostile free map could otherwise give one per group
    /// or per B+tree block. Past the cap the last finding says how many more there were.
    static let volumeFindingCap = 64

    /// Appends `finding` unless the cap is reached; then counts it in a closing summary finding.
    mutating func appendCapped(_ finding: Finding) {
        if count < Self.volumeFindingCap {
            append(finding)
            return
        }
        let prefix = "and more findings: "
        if count == Self.volumeFindingCap {
            append(Finding(.warning, finding.structure, at: finding.offset, prefix + "1 not listed"))
        } else if let last = self.last, last.message.hasPrefix(prefix),
                  let shown = Int(last.message.dropFirst(prefix.count).prefix { $0.isNumber }) {
            self[count - 1].message = prefix + "\(shown + 1) not listed"
        }
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
