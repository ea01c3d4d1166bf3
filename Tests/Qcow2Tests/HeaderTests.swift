import Testing
@testable import Qcow2

@Test func rejectsBadMagic() {
    #expect(throws: FormatError.self) { try Header(parsing: [UInt8](repeating: 0, count: 104)) }
}
