import Testing
import Analysis
import Reports

/// `qcowscope check` gives qemu-img's numbers and exit status on every fixture.
@Suite struct FixtureCheckTests {
    @Test(arguments: Fixtures.checked)
    func matchesQemuCheck(_ name: String) throws {
        let expected = try #require(Fixtures.json("\(name).check.json"))
        let analysis = try analyse(Fixtures.image("\(name).qcow2"))
        #expect(qemuCheckValues(analysis, filename: name) == numericValues(expected), "\(name)")
        if let status = Fixtures.status("\(name).check.status") {
            #expect(analysis.check.exitStatus == status, "\(name)")
        }
    }
}
