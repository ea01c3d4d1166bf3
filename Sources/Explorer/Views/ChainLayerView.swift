import Qcow2
import Formatting
import Analysis
import Qcow2
import Reports
import TerminalUI

/// Drill from the header or the snapshots view: a file of the backing chain, shown as the header
/// view shows the top image (its fields, features, extensions and the rest of the chain under
/// it), or, for a raw file, its name and size. Esc goes back to the top image.
public enum ChainLayerView: ExplorerScreen {
    static func depth(_ state: AppState) -> Int? {
        if case .drill(.chainLayer(let d)) = state.front { return d }
        return nil
    }

    /// The layer's own data: its image with the chain below it (nil for a raw file).
    static func layerData(_ depth: Int, _ data: ExplorerData) -> ExplorerData? {
        let layers = data.chain.layers
        guard depth > 0, depth < layers.count, let image = layers[depth].image else { return nil }
        let below = layers[depth...].enumerated().map { k, l in
            BackingChain.Layer(depth: k, path: l.path, format: l.format, image: l.image, file: l.file)
        }
        return ExplorerData(path: layers[depth].path, image: image, chain: BackingChain(layers: below, findings: []))
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        guard let d = depth(state), d < data.chain.layers.count else { return }
        let layer = data.chain.layers[d]
        let (title, rest) = body.splitTop(1)
        screen.put("Backing file at depth \(d): \(layer.displayPath) (\(layer.format.terminalSafe)) · Esc back to the top image",
                   in: title, style: theme.accent)
        guard let layerData = layerData(d, data) else {
            let lines: [(label: String?, value: String, style: Style)] = [
                ("file", layer.displayPath, theme.value), ("format", layer.format.terminalSafe, theme.value),
                ("size", "\(Formatted.humanSize(layer.file.size)) (\(layer.file.size) bytes)", theme.value),
                (nil, "", theme.value), (nil, "A raw file: guest offset = file offset, no structure to show.", theme.label),
            ]
            screen.draw(FieldList(lines, labelWidth: 8, labelStyle: theme.label), in: rest.inset(top: 1, left: 2))
            return
        }
        HeaderView.drawRows(HeaderViewModel(data: layerData), state: state, theme: theme, into: &screen, in: rest)
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard let d = depth(state), let layerData = layerData(d, data) else { return false }
        let rest = body.splitTop(1).rest
        if event == .enter, let target = HeaderViewModel(data: layerData).targets[state.screen.list.selection] {
            // Clusters of a backing file are not this image's: only its own backing file opens.
            guard case .layer(let below) = target else {
                state.message = "that cluster is in the backing file; explore it with qcowscope on its own path"
                return true
            }
            state.push(.chainLayer(d + below))
            return true
        }
        return HeaderView.handleRows(event, &state, model: HeaderViewModel(data: layerData), body: rest)
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        guard let d = depth(state), d < data.chain.layers.count else { return "backing file" }
        return "backing file · depth \(d) · \(data.chain.layers[d].displayName)"
    }

    public static var hints: [KeyHint] {
        [KeyHint("Esc", "back to the top image"), KeyHint("↑↓", "select a field"), KeyHint("Enter", "open its backing file")]
    }
}
