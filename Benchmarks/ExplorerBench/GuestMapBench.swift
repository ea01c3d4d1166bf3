import Analysis
import Explorer
import Foundation
import TerminalUI

/// Timing of the guest map, bitmaps and check views on the big benchmark images
/// (Benchmarks/make-images.sh); QCOWSCOPE_PERF_IMAGE adds one image of your own. It prints
/// times and asserts nothing: a benchmark, not a test.
enum GuestMapBench {
    static func ms(_ start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static var images: [String] {
        let names = ["prealloc-1t-64k.qcow2", "prealloc-4t-2m.qcow2", "bitmap-4t-64k.qcow2", "random-64g-4k.qcow2"]
        let paths = names.map { Bench.root + "/Benchmarks/images/" + $0 }
            + [ProcessInfo.processInfo.environment["QCOWSCOPE_PERF_IMAGE"]].compactMap { $0 }
        return paths.filter { FileManager.default.fileExists(atPath: $0) }
    }

    static func frames(path: String) throws {
        let session = try ExplorerSession(path: path)
        var t = ContinuousClock.now
        session.scanNow()
        print("\(path.split(separator: "/").last ?? ""): scan + guest walk \(Self.ms(t)) ms")
        let data = session.snapshot()
        let size = Size(width: 200, height: 60)
        let theme = Theme()
        for (name, state) in Self.states() {
            t = .now
            let frame = Explorer.render(state, data, size: size, theme: theme)
            print("  \(name): \(Self.ms(t)) ms \(frame.size)")
        }
        if let source = GuestMapSource.current(data) {
            print("  extents \(source.summary.extentCount), jumps \(source.overview.jumps.total)")
        }
    }

    static func states() -> [(String, AppState)] {
        var out: [(String, AppState)] = [("header", AppState(view: .header)), ("host", AppState(view: .host))]
        var s = AppState(view: .guest)
        out.append(("guest fit (first)", s))
        out.append(("guest fit", s))
        s[.guest].map.showsFragmentation = true
        out.append(("guest fit + jumps", s))
        s[.guest].map.zoom = 4
        s[.guest].map.cursor = 1 << 20
        out.append(("guest zoom 4", s))
        s[.guest].map.layout = .hilbert
        out.append(("guest zoom 4 hilbert", s))
        out.append(("snapshots", AppState(view: .snapshots)))
        out.append(("bitmaps (first: decodes)", AppState(view: .bitmaps)))
        out.append(("bitmaps", AppState(view: .bitmaps)))
        var b = AppState(view: .bitmaps)
        b.push(.bitmapExtents(0))
        out.append(("bitmap extents", b))
        out.append(("check", AppState(view: .check)))
        return out
    }
}

extension GuestMapBench {
    /// The image scanned, its current guest map and a 200×60 guest map view model of it.
    static func scanned(_ path: String) throws -> (ExplorerData, GuestMapSource, Rect, GuestMapViewModel)? {
        let session = try ExplorerSession(path: path)
        session.scanNow()
        let data = session.snapshot()
        guard let source = GuestMapSource.current(data) else { return nil }
        let body = Explorer.body(of: Size(width: 200, height: 60), scanning: false)
        return (data, source, body, GuestMapViewModel(state: HeatmapState(), source: source, body: body))
    }

    static func pieces(path: String) throws {
        guard let (_, source, body, model) = try scanned(path) else { return }
        var t = ContinuousClock.now
        let cells = model.cells
        print("\(path.split(separator: "/").last ?? ""): cells \(Self.ms(t)) ms (\(cells.count))")
        t = .now
        _ = model.cursorInfo
        print("  cursorInfo \(Self.ms(t)) ms")
        t = .now
        _ = source.map.hostOffset(ofGuest: 0)
        print("  hostOffset \(Self.ms(t)) ms")
        t = .now
        _ = GuestMapViewModel(state: HeatmapState(), source: source, body: body)
        print("  model init \(Self.ms(t)) ms")
    }
}

extension GuestMapBench {
    static func drawingCosts(path: String) throws {
        guard let (data, source, _, model) = try scanned(path) else { return }
        var screen = TerminalUI.Screen(size: Size(width: 200, height: 60))
        let theme = Theme()
        _ = model.cells
        var t = ContinuousClock.now
        let cells = model.cells.map { GuestMapView.cell(for: $0, overlay: false, theme: theme) }
        print("cells+map \(Self.ms(t)) ms")
        t = .now
        let grid = HeatmapGrid.arranged(cells, layout: .linear, gridSize: model.gridSize, columnsPerCell: 2, glyphs: theme.glyphs)
        print("arrange \(Self.ms(t)) ms")
        t = .now
        screen.draw(grid, in: model.regions.grid)
        print("grid draw \(Self.ms(t)) ms")
        t = .now
        GuestMapView.drawMap(model, theme: theme, into: &screen)
        print("drawMap \(Self.ms(t)) ms")
        t = .now
        _ = Explorer.render(AppState(view: .guest), data, size: Size(width: 200, height: 60), theme: theme)
        print("render \(Self.ms(t)) ms")
        t = .now
        _ = GuestMapView.position(AppState(view: .guest), data)
        print("position (view) \(Self.ms(t)) ms")
        t = .now
        _ = model.cursorInfo
        print("cursor info \(Self.ms(t)) ms")
        t = .now
        _ = GuestMapView.positionText(AppState(view: .guest), source: source)
        print("position \(Self.ms(t)) ms")
    }
}
