import Testing
import TerminalUI

@Suite struct HeadlessBackendTests {
    @Test func deliversScriptedEventsAndRecordsFrames() {
        let backend = HeadlessBackend(size: Size(width: 20, height: 3),
                                      events: [.down, .resize(Size(width: 10, height: 2))] + InputEvent.typing("q"))
        // A miniature run loop: draw, read an event, update, until `q`.
        var count = 0
        var done = false
        while !done {
            var screen = Screen(size: backend.size)
            screen.put("events: \(count)", at: .zero)
            backend.draw(screen)
            guard let event = backend.nextEvent(timeoutMilliseconds: 100) else { break }
            count += 1
            if event == .character("q") { done = true }
        }
        #expect(done)
        #expect(backend.isExhausted)
        #expect(backend.frames.count == 3)
        #expect(backend.frames.map(\.size) == [Size(width: 20, height: 3), Size(width: 20, height: 3), Size(width: 10, height: 2)])
        #expect(backend.lastFrame?.textDump() == "events: 2\n")
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == nil)
        #expect(backend.emptyPolls == 1)
    }

    @Test func keepsABoundedNumberOfFrames() {
        let backend = HeadlessBackend(size: Size(width: 1, height: 1), frameLimit: 3)
        for i in 0..<10 {
            var screen = Screen(size: backend.size)
            screen.put(String(i), at: .zero)
            backend.draw(screen)
        }
        #expect(backend.frames.map { $0.textDump() } == ["7", "8", "9"])
    }

    @Test func controlKeys() {
        #expect(InputEvent.control("l") == .character("\u{0C}"))
        #expect(InputEvent.control("C") == .character("\u{03}"))
    }
}

@Suite struct TextFieldStateTests {
    @Test func editingKeys() {
        var field = TextFieldState("0x10")
        #expect(field.handle(.character("0")) == .edited)
        #expect(field.handle(.home) == .moved)
        #expect(field.handle(.delete) == .edited)
        #expect(field.handle(.left) == .ignored)
        #expect(field.handle(.end) == .moved)
        #expect(field.handle(.backspace) == .edited)
        #expect(field.text == "x10")
        #expect(field.handle(.character("\u{1B}")) == .ignored)
        #expect(field.handle(.enter) == .submitted)
        #expect(field.handle(.escape) == .cancelled)
        #expect(field.handle(.character("\u{15}")) == .edited)
        #expect(field.text.isEmpty && field.cursor == 0)
    }

    @Test func lengthIsBounded() {
        var field = TextFieldState(maximumLength: 3)
        for c in "abcdef" { _ = field.handle(.character(c)) }
        #expect(field.text == "abc")
    }
}

@Suite struct InputEventDescriptionTests {
    @Test(arguments: [
        (InputEvent.character("q"), "q"), (.control("l"), "^L"), (.character("\u{9B}"), "\\u{9b}"), (.function(5), "F5"),
        (.mouse(MouseEvent(x: 3, y: 4, kind: .press)), "mouse press(1) at 3,4"),
        (.mouse(MouseEvent(x: 0, y: 1, kind: .wheelDown, button: 0)), "mouse wheelDown at 0,1"),
        (.resize(Size(width: 80, height: 24)), "resize 80x24"), (.backTab, "Shift-Tab"),
    ])
    func shortNames(event: InputEvent, name: String) {
        #expect(event.description == name)
    }
}
