/// Byte ranges to fetch, made into as few requests as possible: ranges rounded out to whole cache
/// blocks, sorted, and merged where they touch or overlap. Nothing between two ranges that do not
/// touch is fetched, so merging never costs bytes (the benchmark's bytes target).
enum ByteRuns {
    /// The merged block-aligned runs covering `ranges`, clipped to `size`.
    static func merge(_ ranges: [Range<UInt64>], blockSize: UInt64, size: UInt64) -> [Range<UInt64>] {
        var aligned: [Range<UInt64>] = []
        aligned.reserveCapacity(ranges.count)
        for r in ranges where !r.isEmpty && r.lowerBound < size {
            let low = r.lowerBound / blockSize * blockSize
            let clipped = min(r.upperBound, size)
            // clipped ≤ size < 2^63 (a source's size), so rounding up cannot wrap.
            let high = min(size, (clipped + blockSize - 1) / blockSize * blockSize)
            aligned.append(low..<high)
        }
        aligned.sort { $0.lowerBound < $1.lowerBound }
        var runs: [Range<UInt64>] = []
        for r in aligned {
            if let last = runs.last, r.lowerBound <= last.upperBound {
                runs[runs.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                runs.append(r)
            }
        }
        return runs
    }

    /// `runs` with none longer than `limit` bytes (NBD servers refuse requests past 32 MiB; an
    /// HTTP run is split so several connections share a long one).
    static func split(_ runs: [Range<UInt64>], limit: UInt64) -> [Range<UInt64>] {
        var out: [Range<UInt64>] = []
        for run in runs {
            var start = run.lowerBound
            while start < run.upperBound {
                let end = min(run.upperBound, start + limit)
                out.append(start..<end)
                start = end
            }
        }
        return out
    }
}
