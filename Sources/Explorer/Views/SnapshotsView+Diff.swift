import Analysis
import TerminalUI

/// The snapshots view's diff keys: space marks a snapshot (• before its name; again unmarks),
/// `d` diffs the marked snapshot against the selected row (a snapshot or the current state) or,
/// with nothing marked, the selected snapshot against the current state; `D` diffs the selected
/// snapshot (or the current state) against its inferred parent. Each opens ``DiffMapView``.
extension SnapshotsView {
    static func handleDiffKey(_ event: InputEvent, _ state: inout AppState, _ data: ExplorerData, model: SnapshotsViewModel) -> Bool {
        guard [.character(" "), .character("d"), .character("D")].contains(event) else { return false }
        let selection = state.screen.list.selection
        guard selection < model.rows.count else { return true }
        let node = model.rows[selection].node
        let side: DiffSide?
        switch node {
        case .snapshot(let i): side = .snapshot(i)
        case .current: side = .current
        case .layer: side = nil
        }
        guard let side else {
            state.message = "marks and diffs are for snapshots and the current state; a backing file: qcowscope diff --from backing:N"
            return true
        }
        switch event {
        case .character(" "):
            guard case .snapshot(let i) = side else {
                state.message = "mark a snapshot (space), then press d on the current state"
                return true
            }
            state.screen.marked = state.screen.marked == i ? nil : i
        case .character("d"):
            let pair: DiffPair
            if let m = state.screen.marked, m < data.info.snapshots.count {
                guard side != .snapshot(m) else {
                    state.message = "that is the marked snapshot: press d on another one, or on the current state"
                    return true
                }
                pair = DiffPair(from: .snapshot(m), to: side)
            } else {
                guard side != .current else {
                    state.message = "mark a snapshot with space first (or press d on a snapshot: it is diffed against the current state)"
                    return true
                }
                pair = DiffPair(from: side, to: .current)
            }
            open(pair, &state)
        default:
            let usage: SnapshotUsage?
            switch side {
            case .snapshot(let i): usage = data.analysis.flatMap { i < $0.snapshots.count ? $0.snapshots[i] : nil }
            case .current: usage = data.analysis?.current
            }
            guard let usage else {
                state.message = data.isScanning ? "parents are inferred by the scan: wait for it" : "no parent inferred here"
                return true
            }
            guard let parent = usage.parent, parent < data.info.snapshots.count else {
                state.message = "no parent inferred (it shares no clusters with an earlier snapshot): mark one with space and use d"
                return true
            }
            open(DiffPair(from: .snapshot(parent), to: side), &state)
        }
        return true
    }

    /// Opens the diff drill, at the guest map's zoom and layout.
    static func open(_ pair: DiffPair, _ state: inout AppState) {
        let layout = state[.guest].map.layout
        state.push(.diff(pair))
        state.screen.map.layout = layout
    }

    /// The mark before a marked snapshot's name.
    static func mark(_ row: SnapshotsViewModel.Row, marked: Int?, theme: Theme) -> String {
        guard let marked, row.node == .snapshot(index: marked) else { return "" }
        return theme.glyphs.bullet.description + " "
    }
}
