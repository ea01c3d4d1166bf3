import Analysis
import TerminalUI

/// Drill from the snapshots view: an internal snapshot's virtual disk, its L1/L2 tables walked
/// like the active ones with the backing chain beneath. Walked in the background on first open
/// (``ExplorerWork/snapshotMap(_:)``, a notice shows meanwhile) and kept; keys and drawing are
/// the guest map's.
public enum SnapshotGuestMapView: ExplorerScreen {
    public static var positions: OffsetExpression.Space? { .guest }

    /// The snapshot index of the drill in front.
    static func index(_ state: AppState) -> Int? {
        if case .drill(.snapshotGuestMap(let i)) = state.front { return i }
        return nil
    }

    /// The snapshot's map, its failure, or nil while it is walked.
    static func source(_ state: AppState, _ data: ExplorerData) -> Result<GuestMapSource, SnapshotGuestMapError>? {
        guard let i = index(state) else { return .failure(SnapshotGuestMapError(message: "no snapshot selected")) }
        return GuestMapSource.snapshot(i, data)
    }

    public static func work(_ state: AppState, _ data: ExplorerData) -> [ExplorerWork] {
        index(state).map { [.snapshotMap($0)] } ?? []
    }

    /// `1 "name"` for the notice (escaped: image text).
    static func snapshotName(_ state: AppState, _ data: ExplorerData) -> String {
        guard let i = index(state), i >= 0, i < data.info.snapshots.count else { return "" }
        let s = data.info.snapshots[i]
        return "\(s.id.escaped) \"\(s.name.escaped)\""
    }

    public static func draw(_ state: AppState, _ data: ExplorerData, theme: Theme, into screen: inout TerminalUI.Screen, in body: Rect) {
        switch source(state, data) {
        case nil:
            guard let i = index(state) else { return }
            WorkNotice("Walking the L1/L2 tables of snapshot \(snapshotName(state, data))", .snapshotMap(i), data,
                       then: "Its guest map appears here when the walk is done.", theme: theme)
                .draw(into: &screen, in: body)
        case .success(let source)?:
            let model = GuestMapViewModel(state: state.screen.map, source: source, body: body)
            guard model.units > 0 else {
                screen.draw(Paragraph("This snapshot's disk is empty.", style: theme.label), in: body.inset(top: 1, left: 2, right: 2))
                return
            }
            GuestMapView.drawMap(model, theme: theme, into: &screen)
        case .failure(let error)?:
            let text = "The snapshot's guest map could not be walked: \(error.message.terminalSafe)\n\nEsc goes back."
            screen.draw(Paragraph(text, style: theme.error), in: body.inset(top: 1, left: 2, right: 2))
        }
    }

    public static func handle(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, body: Rect) -> Bool {
        guard case .success(let source)? = source(state, data) else { return false }
        return GuestMapView.handleMap(event, &state, source: source, body: body)
    }

    public static func position(_ state: AppState, _ data: ExplorerData) -> String {
        switch source(state, data) {
        case nil: return "snapshot \(snapshotName(state, data)) · walking its tables"
        case .failure?: return "snapshot guest map · Esc back"
        case .success(let source)?: return "\(source.title) · " + GuestMapView.positionText(state, source: source)
        }
    }

    public static var hints: [KeyHint] { [KeyHint("Esc", "back to snapshots")] + GuestMapView.mapHints }

    public static func goTo(_ target: OffsetExpression, _ state: inout AppState, _ data: ExplorerData) -> String? {
        switch source(state, data) {
        case nil: return "the snapshot's map is not ready yet"
        case .failure?: return "the snapshot's map could not be walked"
        case .success(let source)?: return GuestMapView.goToGuest(target, &state, source: source)
        }
    }
}
