import ArgumentParser
import Foundation
import SchemaforgeKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the migration plan between two versions of a schema, one line per operation with its safety class.",
        discussion: """
            OLD and NEW are schema files, resolved snapshots written by 'schemaforge resolve', or a project's migrations/schema.snapshot.json.
            Safety classes: safe, locking, breaking (the running app breaks on it), needs-backfill, data-loss.

            Examples:
              schemaforge diff v1.yaml v2.yaml
              schemaforge diff v1.yaml v2.yaml --format json
              schemaforge diff v1.yaml v2.yaml --format alembic --dialect postgresql
              schemaforge diff v1.yaml v2.yaml --format sql --dialect mysql > migrate.sql
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, alembic, sql
    }

    @Argument(help: "The old schema (file or snapshot).")
    var old: String

    @Argument(help: "The new schema (file or snapshot).")
    var new: String

    @Option(help: "Output format: text, json, alembic (the revision module for --dialect), or sql (plain SQL for --dialect).")
    var format: Format = .text

    @Option(name: [.short, .long], help: "Database of the alembic or sql output: sqlite, postgresql or mysql.")
    var dialect: Dialect = .sqlite

    func run() throws {
        let before = try SchemaSource.load(old)
        let after = try SchemaSource.load(new)
        let plan = MigrationPlanner.plan(from: before, to: after)
        switch format {
        case .text: print(PlanRenderer.text(plan), terminator: "")
        case .json: print(PlanRenderer.json(plan), terminator: "")
        case .alembic:
            let database = TargetDatabase(rawValue: dialect.rawValue) ?? .sqlite
            let text = AlembicRevisionGenerator(old: before, new: after, database: database)
                .render(plan, revision: "next", downRevision: "previous", message: "\(old) -> \(new)")
            print(text, terminator: "")
        case .sql:
            let text = MigrationSQLGenerator(old: before, new: after, dialect: dialect).render(plan, title: "\(old) -> \(new)")
            print(text, terminator: "")
        }
    }
}

/// A schema from a schema file, a snapshot (`schemaforge resolve` output) or a project's migration
/// snapshot (`migrations/schema.snapshot.json`: the snapshot with its checksum, verified).
enum SchemaSource {
    static func load(_ path: String) throws -> Schema { try loadWithSources(path).schema! }

    /// The schema and, for a schema file, where its objects are declared (a snapshot has no places).
    static func loadWithSources(_ path: String) throws -> LoadedSchema {
        if path.hasSuffix(".json"), let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["formatVersion"] != nil || (object["checksum"] != nil && object["schema"] is [String: Any])
        {
            do {
                let text = String(decoding: data, as: UTF8.self)
                let schema = try object["formatVersion"] != nil ? SnapshotEncoder.decode(text) : MigrationSnapshot.decode(text)
                return LoadedSchema(schema: schema, sourceMap: SourceMap(), diagnostics: [])
            } catch {
                FileHandle.standardError.write(Data("schemaforge: error: \(path) is not a valid snapshot: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let loaded = GeneratorPipeline.load(path: path)
        report(loaded.diagnostics)
        guard loaded.schema != nil, !loaded.hasErrors else { throw ExitCode(1) }
        return loaded
    }
}
