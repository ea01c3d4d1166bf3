extension GuestMap {
    /// The guest byte ranges the image itself (depth 0) maps onto `hostClusters` (runs of host
    /// cluster indices, sorted, as ``WatchRound/newClusters`` gives them): where in the guest
    /// disk the clusters newly allocated since the last `--watch` round landed, for the guest
    /// map to highlight. Empty for an image whose data lives in an external data file (its host
    /// offsets are not the image file's). A table that cannot be read ends the walk early: what
    /// was found so far is returned.
    public func guestRanges(ofHostClusters hostClusters: [Range<Int>], clusterBits: Int) -> [Range<UInt64>] {
        guard !hostClusters.isEmpty, let top = layers.first, case .qcow2 = top.format, !top.hasDataFile else { return [] }
        let hostBytes = hostClusters.map { UInt64($0.lowerBound) << UInt64(clusterBits) ..< UInt64($0.upperBound) << UInt64(clusterBits) }
        var out: [Range<UInt64>] = []
        _ = try? forEachPiece(strict: false) { entry, _ in
            guard entry.depth == 0, let offset = entry.offset else { return }
            let (hostEnd, overflow) = offset.addingReportingOverflow(entry.length)
            guard !overflow else { return }
            // The first run that ends after this piece starts (the runs are sorted).
            var i = Self.firstRun(endingAfter: offset, in: hostBytes)
            while i < hostBytes.count, hostBytes[i].lowerBound < hostEnd {
                let lo = max(hostBytes[i].lowerBound, offset), hi = min(hostBytes[i].upperBound, hostEnd)
                if lo < hi { Self.append(entry.start + (lo - offset) ..< entry.start + (hi - offset), to: &out) }
                i += 1
            }
        }
        return out.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Binary search: the index of the first run whose end is past `offset`.
    static func firstRun(endingAfter offset: UInt64, in runs: [Range<UInt64>]) -> Int {
        var lo = 0, hi = runs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if runs[mid].upperBound <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Appends `range`, merged with the last one when they touch.
    static func append(_ range: Range<UInt64>, to out: inout [Range<UInt64>]) {
        if let last = out.last, last.upperBound == range.lowerBound {
            out[out.count - 1] = last.lowerBound..<range.upperBound
        } else {
            out.append(range)
        }
    }
}
