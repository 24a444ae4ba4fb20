import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The plans (JSON), the rendered Alembic revisions and the plain SQL scripts (per database) of every
/// step of the evolution series in integration/evolution/, which together use every operation kind;
/// the integration suite runs the same revisions and scripts on real databases.
@Suite("Migration golden files")
struct MigrationGoldenTests {
    static let directory = GoldenFile.repositoryRoot.appendingPathComponent("integration/evolution")

    static var versions: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static var steps: [String] { Array(versions.dropFirst()) }

    static func schema(_ version: String) throws -> Schema {
        let path = directory.appendingPathComponent("\(version).yaml").path
        let loaded = GeneratorPipeline.load(text: try String(contentsOfFile: path, encoding: .utf8), file: "integration/evolution/\(version).yaml")
        return try #require(loaded.schema, "\(loaded.diagnostics)")
    }

    @Test("there are at least twelve versions")
    func enoughVersions() {
        #expect(Self.versions.count >= 12)
    }

    @Test("each step's plan and revisions match the references", arguments: steps)
    func step(version: String) throws {
        let index = try #require(Self.versions.firstIndex(of: version))
        let old = try Self.schema(Self.versions[index - 1])
        let new = try Self.schema(version)
        let plan = MigrationPlanner.plan(from: old, to: new)
        #expect(!plan.isEmpty)
        GoldenFile.assertMatches(PlanRenderer.json(plan), reference: "evolution/\(version).plan.json")
        for database in TargetDatabase.sqlCases {
            let revision = AlembicRevisionGenerator(old: old, new: new, database: database)
                .render(plan, revision: String(format: "%04d", index + 1), downRevision: String(format: "%04d", index), message: version)
            GoldenFile.assertMatches(revision, reference: "evolution/\(version).\(database.rawValue).py")
        }
        for dialect in Dialect.allCases {
            let script = MigrationSQLGenerator(old: old, new: new, dialect: dialect).render(plan, title: version)
            GoldenFile.assertMatches(script, reference: "evolution/\(version).\(dialect.rawValue).sql")
        }
    }

    @Test("the series uses every operation kind the planner has")
    func everyOperationKind() throws {
        var kinds: Set<String> = []
        for (index, version) in Self.versions.enumerated().dropFirst() {
            let plan = MigrationPlanner.plan(from: try Self.schema(Self.versions[index - 1]), to: try Self.schema(version))
            kinds.formUnion(plan.steps.map(\.operation.kind))
        }
        let expected: Set<String> = [
            "create_table", "drop_table", "rename_table", "add_column", "drop_column", "rename_column", "alter_column",
            "add_index", "drop_index", "add_unique", "add_check", "add_foreign_key", "drop_foreign_key", "alter_enum",
            "alter_table_comment", "rename_primary_key", "drop_unique", "rename_index", "rename_unique", "rename_check",
        ]
        #expect(expected.subtracting(kinds).isEmpty, "not exercised: \(expected.subtracting(kinds).sorted())")
    }
}
