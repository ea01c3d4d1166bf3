import Explorer
import Foundation
import TerminalUI

/// Opens fixture and demo images for explorer tests, with the scan run to completion so frames
/// are deterministic.
enum ExplorerFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The image's path relative to the package root, which becomes the working directory, so
    /// every path a view shows (backing layers included) is the same in any checkout.
    static func path(_ name: String) -> String {
        _ = FileManager.default.changeCurrentDirectoryPath(root.path)
        return name.hasPrefix("Demo/") ? name : name.hasPrefix("guest/") ? "Tests/Fixtures/\(name)" : "Tests/Fixtures/images/\(name)"
    }

    /// A session on `name` (a fixture file name, or `Demo/demo.qcow2`) whose scan has finished.
    /// The path shown is the short name, so goldens do not depend on the checkout location.
    static func session(_ name: String) throws -> ExplorerSession {
        let session = try ExplorerSession(path: path(name))
        session.scanNow()
        return session
    }

    /// Applies `events` to `state` as the run loop does, but lets the background work each
    /// screen asks for (a snapshot's map, a cluster drill-down) finish before the next key, so
    /// every key and the frame after the last one see complete data.
    static func press(_ session: ExplorerSession, _ state: inout AppState, _ events: [InputEvent],
                      size: Size = Size(width: 100, height: 32)) {
        session.settle(state)
        for event in events {
            session.update(&state, event, size: size)
            session.waitForBackgroundWork()
        }
    }

    /// `events` applied on `view` of a session on `name` (scan finished first): the state they
    /// left and the data it was applied to.
    static func run(_ name: String, view: ViewID, _ events: [InputEvent],
                    size: Size = Size(width: 100, height: 32)) throws -> (AppState, ExplorerData) {
        let session = try session(name)
        var state = AppState(view: view)
        press(session, &state, events, size: size)
        return (state, session.snapshot())
    }

    /// The frame of `view` after `events`, rendered without colour.
    static func frame(_ name: String, view: ViewID, events: [InputEvent] = [], size: Size = Size(width: 100, height: 32)) throws -> Screen {
        let (state, snapshot) = try run(name, view: view, events, size: size)
        var data = snapshot
        data.path = name
        return Explorer.render(state, data, size: size, theme: Theme(glyphs: .unicode, colorMode: .none))
    }
}
