import Analysis
import TerminalUI

/// View 3: the virtual disk as a heatmap. Each cell is a run of guest clusters coloured by what
/// they read as — data, compressed, zero, unallocated, a backing layer (one hue per depth),
/// mixed subclusters — with `f` marking where a sequential read jumps in the host file, and
/// Enter opening the host cluster behind the cell.
public enum GuestMapView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .guest }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let model = GuestMapViewModel(state: state.screen.map, source: .current(data), body: body)
        guard model.units > 0 else {
            drawWaiting(data, theme: theme, into: &screen, in: body)
            return
        }
        drawMap(model, theme: theme, into: &screen)
    }

    static func drawWaiting(_ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        let text: String
        if let error = data.results.guestMapError {
            text = "The guest map could not be walked: \(error.terminalSafe)"
        } else if data.isScanning {
            text = "Walking the L1/L2 tables (\(Int(data.progress * 100))%): the guest map appears when the scan has finished."
        } else {
            text = "The virtual disk is empty."
        }
        screen.draw(Paragraph(text, style: theme.label), in: body.inset(top: 1, left: 2, right: 2))
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        handleMap(event, &state, source: .current(data), body: body)
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        positionText(state, source: .current(data))
    }

    public static var hints: [KeyHint] { mapHints }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        goToGuest(target, &state, source: .current(data))
    }
}
