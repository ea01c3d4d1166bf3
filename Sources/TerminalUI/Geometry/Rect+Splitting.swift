/// Insets and splits: the layout vocabulary views use to carve a screen into regions
/// (tab bar on top, status bar at the bottom, a table beside a detail pane).
extension Rect {
    /// This rectangle shrunk by the given margins; never negative.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let w = max(0, width - max(0, left) - max(0, right))
        let h = max(0, height - max(0, top) - max(0, bottom))
        return Rect(x: x + min(max(0, left), width), y: y + min(max(0, top), height), width: w, height: h)
    }

    /// This rectangle shrunk by `amount` on every side.
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// Splits off the top `rows` rows (clamped): returns (top, rest).
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let n = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: n), Rect(x: x, y: y + n, width: width, height: height - n))
    }

    /// Splits off the bottom `rows` rows (clamped): returns (rest, bottom).
    public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
        let n = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: height - n),
                Rect(x: x, y: y + height - n, width: width, height: n))
    }

    /// Splits off the left `columns` columns (clamped): returns (left, rest).
    public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
        let n = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: n, height: height), Rect(x: x + n, y: y, width: width - n, height: height))
    }

    /// Splits off the right `columns` columns (clamped): returns (rest, right).
    public func splitRight(_ columns: Int) -> (rest: Rect, right: Rect) {
        let n = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: width - n, height: height),
                Rect(x: x + width - n, y: y, width: n, height: height))
    }

    /// Divides the width into columns proportional to `weights` (zero or negative weights get
    /// nothing); rounding leftovers go to the last column, so the parts always tile `self`.
    public func splitColumns(weights: [Int]) -> [Rect] {
        Self.divide(width, weights: weights).reduce(into: [Rect]()) { parts, w in
            let start = parts.last.map { $0.maxX } ?? x
            parts.append(Rect(x: start, y: y, width: w, height: height))
        }
    }

    /// Divides the height into rows proportional to `weights`, as ``splitColumns(weights:)`` does.
    public func splitRows(weights: [Int]) -> [Rect] {
        Self.divide(height, weights: weights).reduce(into: [Rect]()) { parts, h in
            let start = parts.last.map { $0.maxY } ?? y
            parts.append(Rect(x: x, y: start, width: width, height: h))
        }
    }

    /// Shares `total` cells by weight; the sum of the result is `total` when any weight is positive.
    static func divide(_ total: Int, weights: [Int]) -> [Int] {
        let clean = weights.map { max(0, $0) }
        let sum = clean.reduce(0) { $0 &+ $1 }
        guard sum > 0, total > 0 else { return clean.map { _ in 0 } }
        var parts = clean.map { Int((Double(total) * Double($0) / Double(sum)).rounded(.down)) }
        var leftover = total - parts.reduce(0, +)
        // Hand out leftovers to positive-weight parts from the end, one cell each.
        var i = parts.count - 1
        while leftover > 0, i >= 0 {
            if clean[i] > 0 { parts[i] += 1; leftover -= 1 }
            i = i == 0 ? parts.count - 1 : i - 1
        }
        return parts
    }
}
