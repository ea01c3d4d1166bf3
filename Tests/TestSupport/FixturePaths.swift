/// Where the committed fixtures live (Tests/Fixtures), found from this file's own path so every test
/// target reaches them the same way, whatever directory the tests run in.
public enum FixturePaths {
    /// `Tests/Fixtures`, from Tests/TestSupport/FixturePaths.swift.
    public static let root: String = {
        let parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        return parts.dropLast(2).joined(separator: "/") + "/Fixtures"
    }()
}
