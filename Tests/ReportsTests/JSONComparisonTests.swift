import Testing
import TestSupport
@testable import Reports

/// The comparison the fixture and oracle suites rely on must itself see differences.
@Suite struct JSONComparisonTests {
    @Test func differencesAreFound() throws {
        let a = try JSONParser.parse(#"{"a": 1, "b": [true, {"c": "x"}], "d": null}"#)
        #expect(jsonDifferences(a, a).isEmpty)
        let b = try JSONParser.parse(#"{"b": [true, {"c": "y"}], "a": 1, "e": 2}"#)
        let d = jsonDifferences(a, b)
        #expect(d.contains("$.b[1].c: \"x\" ≠ \"y\""))
        #expect(d.contains("$.d: extra in ours"))
        #expect(d.contains("$.e: missing in ours"))
        #expect(keyOrders(a) != keyOrders(b))
        #expect(try JSONParser.parse(#"{"s": "\u001b\n\"é"}"#)["s"] == .string("\u{1B}\n\"é"))
        #expect(throws: (any Error).self) { try JSONParser.parse("{") }
    }
}
