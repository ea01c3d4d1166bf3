/// A terminal in memory: a fixed size, a script of events, and a record of every frame drawn,
/// so the whole app can be driven by a test (ratatui's `TestBackend` idea).
///
/// A scripted `.resize` event changes ``size`` when it is delivered, as a real terminal would.
/// When the script runs out, ``nextEvent(timeoutMilliseconds:)`` returns nil and
/// ``isExhausted`` becomes true; a run loop under test should stop then.
public final class HeadlessBackend: TerminalBackend {
    public private(set) var size: Size
    public let colorMode: ColorMode
    /// Events not yet delivered, first next.
    public private(set) var pendingEvents: [InputEvent]
    /// Every frame drawn, oldest first (at most ``frameLimit`` kept, the latest ones).
    public private(set) var frames: [Screen] = []
    /// Frames kept in ``frames``; a long scripted run does not grow memory without bound.
    public let frameLimit: Int
    /// Number of `nextEvent` calls made after the script ran out.
    public private(set) var emptyPolls = 0

    public init(size: Size, events: [InputEvent] = [], colorMode: ColorMode = .full256, frameLimit: Int = 1000) {
        self.size = size
        self.pendingEvents = events
        self.colorMode = colorMode
        self.frameLimit = max(1, frameLimit)
    }

    public convenience init(width: Int, height: Int, events: [InputEvent] = []) {
        self.init(size: Size(width: width, height: height), events: events)
    }

    /// The last frame drawn.
    public var lastFrame: Screen? { frames.last }

    public var isExhausted: Bool { pendingEvents.isEmpty }

    /// Appends events to the script.
    public func enqueue(_ events: [InputEvent]) { pendingEvents += events }

    public func draw(_ screen: Screen) {
        frames.append(screen)
        if frames.count > frameLimit { frames.removeFirst(frames.count - frameLimit) }
    }

    public func nextEvent(timeoutMilliseconds: Int?) -> InputEvent? {
        guard !pendingEvents.isEmpty else {
            emptyPolls += 1
            return nil
        }
        let event = pendingEvents.removeFirst()
        if case .resize(let newSize) = event { size = newSize }
        return event
    }
}
