import Formatting
import Analysis
import TerminalUI

/// The snapshots view's chain rows with the layer accounting (``LayerAccounting``, computed
/// beside the view: ``ExplorerWork/layerAccounting``): each layer's own bytes (what it alone
/// provides to the current disk) as a solid bar, followed by the bytes it shadows in the layers
/// below as a shaded one, both scaled to the largest layer's own + shadowed bytes.
extension SnapshotsView {
    public static func sideWork(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] { [.layerAccounting] }

    /// Layer `depth`'s accounting row, once computed.
    static func accounting(_ depth: Int, _ data: ExplorerData) -> LayerAccounting.Row? {
        guard case .success(let a)? = data.layerAccounting else { return nil }
        return a.rows.first { $0.kind == .layer && $0.depth == depth }
    }

    /// The bars' 100%: the largest own + shadowed bytes of a layer.
    static func layerScale(_ data: ExplorerData) -> UInt64 {
        guard case .success(let a)? = data.layerAccounting else { return 0 }
        return a.rows.filter { $0.kind == .layer }.map { $0.ownBytes &+ $0.shadowedBytes }.max() ?? 0
    }

    /// Own bytes `█` (`#`), then shadowed bytes `▒` (`:`), in `rect`; a non-zero part gets at
    /// least one column.
    static func drawLayerBar(_ row: LayerAccounting.Row, scale: UInt64, in rect: Rect, theme: Theme, into screen: inout TerminalUI.Screen) {
        guard scale > 0, rect.width > 0 else { return }
        func columns(_ bytes: UInt64) -> Int {
            guard bytes > 0 else { return 0 }
            return max(1, Int((Double(bytes) / Double(scale) * Double(rect.width)).rounded()))
        }
        let own = min(rect.width, columns(row.ownBytes))
        let shadowed = min(rect.width - own, columns(row.shadowedBytes))
        let ascii = theme.glyphs.isASCII
        for x in 0..<own { screen.set(Cell(ascii ? "#" : "█", style: Style.fg(.indexed(75))), at: Point(x: rect.x + x, y: rect.y)) }
        for x in 0..<shadowed {
            screen.set(Cell(ascii ? ":" : "▒", style: Style.fg(.indexed(244))), at: Point(x: rect.x + own + x, y: rect.y))
        }
    }

    /// The detail lines a chain row adds: own and shadowed bytes, what a commit would write.
    static func layerDetails(_ depth: Int, _ data: ExplorerData) -> [(label: String, value: String)] {
        switch data.layerAccounting {
        case nil: return [("own bytes", "… (accounting the layers)")]
        case .failure(let e)?: return [("own bytes", "unknown: \(e.description.terminalSafe)")]
        case .success(let a)?:
            guard let row = accounting(depth, data) else { return [] }
            var out = [("layer holds", "\(Formatted.humanSize(row.ownBytes)) own · \(Formatted.humanSize(row.shadowedBytes)) shadowed below")]
            if depth == 0, data.chain.layers.count > 1 { out.append(("commit moves", Formatted.humanSize(a.commitBytes))) }
            return out
        }
    }
}
