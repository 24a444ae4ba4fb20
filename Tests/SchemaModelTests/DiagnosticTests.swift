import Testing

@testable import SchemaModel

@Suite("Diagnostic")
struct DiagnosticTests {
    func at(_ file: String, _ line: Int, _ column: Int) -> SchemaModel.SourceLocation {
        SchemaModel.SourceLocation(file: file, line: line, column: column)
    }

    @Test("compiler format with notes on their own lines")
    func description() {
        let d = Diagnostic.error(
            "duplicate entity 'User'", at: at("s.yaml", 12, 3),
            notes: [.init("first defined here", at: at("s.yaml", 4, 3))])
        #expect(d.description == "s.yaml:12:3: error: duplicate entity 'User'\ns.yaml:4:3: note: first defined here")
        #expect(Diagnostic.warning("w", at: at("a.json", 1, 9)).description == "a.json:1:9: warning: w")
        #expect(Diagnostic.error("cannot read", at: nil).description == "schemaforge: error: cannot read")
    }

    @Test("severities are ordered note < warning < error")
    func severityOrder() {
        #expect(Severity.note < .warning && Severity.warning < .error)
        #expect([Severity.error, .note, .warning].sorted() == [.note, .warning, .error])
    }

    @Test("a bag sorts by file, line and column, keeps insertion order for ties, and puts unlocated last")
    func bagOrder() {
        var bag = DiagnosticBag()
        bag.warning("later line", at: at("a.yaml", 9, 1))
        bag.error("no location", at: nil)
        bag.error("b file", at: at("b.yaml", 1, 1))
        bag.warning("same place 1", at: at("a.yaml", 2, 5))
        bag.warning("same place 2", at: at("a.yaml", 2, 5))
        bag.error("earlier column", at: at("a.yaml", 2, 1))
        #expect(
            bag.sorted.map(\.message) == [
                "earlier column", "same place 1", "same place 2", "later line", "b file", "no location",
            ])
        #expect(bag.hasErrors)
    }

    @Test("a bag with only warnings has no errors")
    func warningsOnly() {
        var bag = DiagnosticBag()
        #expect(!bag.hasErrors)
        bag.warning("w", at: nil)
        #expect(!bag.hasErrors)
        #expect(bag.diagnostics.count == 1)
    }
}
