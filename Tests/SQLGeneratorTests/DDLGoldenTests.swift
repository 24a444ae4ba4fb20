import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The DDL of every example for every dialect, and the warnings each dialect prints, compared with
/// `Golden/<example>/<dialect>.sql` and `Golden/<example>/<dialect>.warnings.txt`.
@Suite("DDL golden files")
struct DDLGoldenTests {
    @Test("there are examples to compare")
    func examplesExist() {
        #expect(!Examples.names.isEmpty, "no examples/*.yaml found under \(Examples.directory.path)")
    }

    @Test("DDL and warnings match the references", arguments: Examples.names, Dialect.allCases)
    func ddl(example: String, dialect: Dialect) throws {
        let loaded = try Examples.load(example)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.description).joined(separator: "\n"))")
        let output = try #require(GeneratorPipeline.sql(for: loaded, dialect: dialect))
        GoldenFile.assertMatches(output.sql, reference: "\(example)/\(dialect.rawValue).sql")
        // What `schemaforge sql --dialect <d>` prints to stderr: the schema's diagnostics, then the dialect's.
        let printed = (loaded.diagnostics + output.diagnostics).map(\.description)
        GoldenFile.assertMatches(
            printed.map { $0 + "\n" }.joined(), reference: "\(example)/\(dialect.rawValue).warnings.txt")
        #expect(!output.diagnostics.contains { $0.severity == .error })
    }

    @Test("generating twice gives the same text", arguments: Examples.names)
    func deterministic(example: String) throws {
        for dialect in Dialect.allCases {
            let first = try #require(GeneratorPipeline.sql(for: try Examples.load(example), dialect: dialect))
            let second = try #require(GeneratorPipeline.sql(for: try Examples.load(example), dialect: dialect))
            #expect(first.sql == second.sql)
            #expect(first.statements == second.statements)
        }
    }

    @Test("every golden case belongs to an example")
    func noOrphanReferences() {
        let examples = Set(Examples.names)
        for name in GoldenFile.recordedCases() {
            #expect(examples.contains(name), "Golden/\(name) has no examples/\(name).yaml; delete it")
        }
    }
}
