/// Something that draws itself into a region of a ``Screen``.
///
/// Widgets are plain values built fresh for every frame from the app state; they keep no state
/// of their own (scroll offsets and selections are inputs), which is what makes a frame a pure
/// function of the state and golden-testable.
public protocol Widget {
    /// Draws inside `rect` only; cells of `rect` the widget does not need are left as they were
    /// unless the widget documents that it clears its area.
    func draw(into screen: inout Screen, in rect: Rect)
}

extension Screen {
    /// Draws `widget` in `rect` (a fluent spelling of `widget.draw(into:in:)`).
    public mutating func draw(_ widget: some Widget, in rect: Rect) {
        widget.draw(into: &self, in: rect)
    }
}
