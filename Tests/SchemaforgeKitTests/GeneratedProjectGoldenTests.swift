import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The generated FastAPI project of every example, file by file: the whole SQLite project under
/// `Golden/<example>/project/`, and for PostgreSQL and MySQL the files that differ from it under
/// `Golden/<example>/project-<db>/` (the integration suite runs these projects on real databases).
@Suite("Generated project golden files")
struct GeneratedProjectGoldenTests {
    static func files(_ example: String, _ database: TargetDatabase) throws -> [String: String] {
        let loaded = try Examples.load(example)
        let schema = try #require(loaded.schema)
        return Dictionary(uniqueKeysWithValues: GeneratorPipeline.project(schema, database: database).map { ($0.path, $0.contents) })
    }

    @Test("the SQLite project matches the reference", arguments: Examples.names)
    func sqliteProject(example: String) throws {
        let files = try Self.files(example, .sqlite)
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            GoldenFile.assertMatches(contents, reference: "\(example)/project/\(path)")
        }
        // No reference file is left over from a file the generator no longer writes.
        let recorded = GoldenFile.files(under: "\(example)/project")
        #expect(recorded.subtracting(files.keys).isEmpty || GoldenFile.isRecording, "stale references: \(recorded.subtracting(files.keys).sorted())")
    }

    @Test("PostgreSQL and MySQL projects differ from SQLite only where recorded", arguments: Examples.names, [TargetDatabase.postgresql, .mysql])
    func otherDatabases(example: String, database: TargetDatabase) throws {
        let base = try Self.files(example, .sqlite)
        let files = try Self.files(example, database)
        #expect(Set(files.keys) == Set(base.keys), "the same files are generated for every database")
        let differing = files.filter { base[$0.key] != $0.value }
        for (path, contents) in differing.sorted(by: { $0.key < $1.key }) {
            GoldenFile.assertMatches(contents, reference: "\(example)/project-\(database.rawValue)/\(path)")
        }
        let recorded = GoldenFile.files(under: "\(example)/project-\(database.rawValue)")
        #expect(recorded == Set(differing.keys) || GoldenFile.isRecording, "recorded \(recorded.sorted()), differing \(differing.keys.sorted())")
        // What must differ: the driver and default URL.
        #expect(differing.keys.contains("pyproject.toml"))
        #expect(differing.keys.contains("app/config.py"))
    }

    @Test("generation is deterministic")
    func deterministic() throws {
        for example in Examples.names {
            #expect(try Self.files(example, .postgresql) == Self.files(example, .postgresql))
        }
    }
}
