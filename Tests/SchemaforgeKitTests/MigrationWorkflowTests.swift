import Foundation
@testable import SchemaforgeKit
import Testing

/// The snapshot beside the migrations, and `schemaforge migrate`'s refusals.
@Suite("Migration workflow")
struct MigrationWorkflowTests {
    let v1 = """
        schema: 1
        name: m
        entities:
          User:
            fields:
              email: {type: string, length: 100, unique: true}
              name: string(50)
        """

    func schema(_ text: String) throws -> Schema {
        let loaded = GeneratorPipeline.load(text: text, file: "m.yaml")
        return try #require(loaded.schema, "\(loaded.diagnostics)")
    }

    func project(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sf-mig-\(UUID().uuidString)").path
        let files = GeneratorPipeline.project(try schema(text), database: .sqlite)
        try GenerationPlan.make(files: files.map { ($0.path, $0.contents) }, outputDirectory: dir).apply(to: dir, force: false, database: "sqlite")
        return dir
    }

    @Test("a snapshot decodes to the schema it was made from")
    func snapshotRoundTrip() throws {
        let s = try schema(v1)
        let text = MigrationSnapshot.encode(s)
        #expect(text.hasPrefix("{\n  \"checksum\" : \"xxh64:"))
        #expect(try MigrationSnapshot.decode(text) == s)
    }

    @Test("a snapshot written with an MD5 checksum (before xxHash64) still decodes, and an edit to it is still refused")
    func md5Snapshot() throws {
        let s = try schema(v1)
        let text = MigrationSnapshot.encode(s)
        let canonical = SnapshotEncoder.encode(s)
        let xxh = MigrationSnapshot.checksum(canonical)
        let md5 = "md5:" + MD5.hex(Array(canonical.utf8))
        let old = text.replacingOccurrences(of: xxh, with: md5)
        #expect(old != text && old.contains(md5))
        #expect(try MigrationSnapshot.decodeAsWritten(old) == s)
        #expect(try MigrationSnapshot.decode(old.replacingOccurrences(of: "\n  ", with: "\n    ")) == s)
        let edited = old.replacingOccurrences(of: "string(100)", with: "string(120)")
        #expect(throws: MigrationSnapshot.Invalid.self) { try MigrationSnapshot.decode(edited) }
    }

    @Test("a reformatted but unchanged snapshot still decodes; the one-pass reader and the general one agree")
    func reformattedSnapshot() throws {
        let s = try schema(v1)
        let text = MigrationSnapshot.encode(s)
        #expect(try MigrationSnapshot.decodeAsWritten(text) == s)
        // Four spaces instead of two: not the layout `encode` writes, the same JSON.
        let reformatted = text.replacingOccurrences(of: "\n  ", with: "\n    ")
        #expect(try MigrationSnapshot.decodeAsWritten(reformatted) == nil)
        #expect(try MigrationSnapshot.decode(reformatted) == s)
        let edited = reformatted.replacingOccurrences(of: "string(100)", with: "string(120)")
        #expect(throws: MigrationSnapshot.Invalid.self) { try MigrationSnapshot.decode(edited) }
    }

    @Test("an edited snapshot is detected by its checksum, never silently used")
    func tamperedSnapshot() throws {
        let text = MigrationSnapshot.encode(try schema(v1)).replacingOccurrences(of: "string(100)", with: "string(120)")
        #expect(throws: MigrationSnapshot.Invalid.self) { try MigrationSnapshot.decode(text) }
        let dir = try project(v1)
        try text.write(toFile: dir + "/migrations/schema.snapshot.json", atomically: true, encoding: .utf8)
        #expect(throws: MigrationWorkflow.Refusal.self) {
            try MigrationWorkflow.prepare(schema: try schema(v1), directory: dir, message: "x", allowDataLoss: false, database: nil)
        }
    }

    @Test("no change writes nothing")
    func noChanges() throws {
        let dir = try project(v1)
        #expect(
            try MigrationWorkflow.prepare(schema: try schema(v1), directory: dir, message: "x", allowDataLoss: false, database: nil) == .noChanges)
    }

    @Test("data loss is refused without --allow-data-loss, with the explanation, and nothing is written")
    func dataLossRefused() throws {
        let dir = try project(v1)
        let v2 = v1.replacingOccurrences(of: "      name: string(50)\n", with: "").replacingOccurrences(of: "\n      name: string(50)", with: "")
        do {
            _ = try MigrationWorkflow.prepare(schema: try schema(v2), directory: dir, message: "drop name", allowDataLoss: false, database: nil)
            Issue.record("expected a refusal")
        } catch let refusal as MigrationWorkflow.Refusal {
            #expect(refusal.description.contains("drop_column user.name"))
            #expect(refusal.description.contains("--allow-data-loss"))
        }
        let revisions = try FileManager.default.contentsOfDirectory(atPath: dir + "/migrations/versions")
        #expect(revisions == ["0001_initial.py"])
    }

    @Test("with the flag the revision follows the chain and says what its downgrade cannot restore")
    func dataLossAllowed() throws {
        let dir = try project(v1)
        let v2 = v1.replacingOccurrences(of: "\n      name: string(50)", with: "")
        let outcome = try MigrationWorkflow.prepare(schema: try schema(v2), directory: dir, message: "drop name", allowDataLoss: true, database: nil)
        guard case let .revision(path, contents, _, _, _) = outcome else {
            Issue.record("expected a revision")
            return
        }
        #expect(path == "migrations/versions/0002_drop_name.py")
        #expect(contents.contains("down_revision: str | None = \"0001\""))
        #expect(contents.contains("The downgrade cannot restore"))
        #expect(contents.contains("batch_op.drop_column(\"name\")"))
        try MigrationWorkflow.write(outcome, to: dir)
        #expect(try MigrationSnapshot.decode(String(contentsOfFile: dir + "/migrations/schema.snapshot.json", encoding: .utf8)) == schema(v2))
    }

    @Test("a NOT NULL column without a default on an existing table is refused")
    func backfillRefused() throws {
        let dir = try project(v1)
        let v2 = v1 + "\n      age: int"
        #expect(throws: MigrationWorkflow.Refusal.self) {
            try MigrationWorkflow.prepare(schema: try schema(v2), directory: dir, message: "age", allowDataLoss: true, database: nil)
        }
    }

    @Test("every target refuses a forked history: two MongoDB revisions numbered alike are two heads")
    func forkedMongoHistoryRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sf-mig-\(UUID().uuidString)").path
        let files = GeneratorPipeline.project(try schema(v1), database: .mongodb)
        try GenerationPlan.make(files: files.map { ($0.path, $0.contents) }, outputDirectory: dir).apply(to: dir, force: false, database: "mongodb")
        let v2 = v1 + "\n      bio: {type: text, nullable: true}"
        let first = try MigrationWorkflow.prepare(schema: try schema(v2), directory: dir, message: "bio", allowDataLoss: false, database: nil)
        guard case let .revision(path, contents, _, layout, _) = first else {
            Issue.record("expected a revision")
            return
        }
        #expect(path == "mongo/migrations/0002_bio.py" && layout == .mongo)
        try MigrationWorkflow.write(first, to: dir)
        // Another branch added its own 0002 from the same parent.
        try contents.write(toFile: dir + "/mongo/migrations/0002_nickname.py", atomically: true, encoding: .utf8)
        let v3 = v2 + "\n      nickname: {type: string, length: 20, nullable: true}"
        #expect {
            try MigrationWorkflow.prepare(schema: try schema(v3), directory: dir, message: "nickname", allowDataLoss: false, database: nil)
        } throws: { error in
            "\(error)".contains("2 heads") && "\(error)".contains("0002_nickname.py")
        }
    }
}

/// The project targets `generate --db` offers.
@Suite("Project target registry")
struct ProjectTargetRegistryTests {
    @Test("every database has one target; --db names and aliases find it; names are unique")
    func registryCoversEveryDatabase() {
        for database in TargetDatabase.allCases {
            #expect(Targets.projects.filter { $0.database == database }.count == 1, "\(database)")
            #expect(Targets.project(database).database == database)
            #expect(Targets.project(named: database.rawValue)?.database == database)
        }
        #expect(Targets.project(named: "mongo")?.database == .mongodb)
        #expect(Targets.project(named: "postgres")?.database == .postgresql)
        #expect(Targets.project(named: "oracle") == nil)
        #expect(Set(Targets.projects.map(\.name)).count == Targets.projects.count)
        #expect(Targets.migrationLayouts == [.alembic, .mongo])
    }

    @Test("a target's files are its generator's, sorted, and start its migration history in its layout")
    func filesFollowTheLayout() throws {
        let loaded = GeneratorPipeline.load(text: "schema: 1\nname: t\nentities:\n  Note:\n    fields:\n      title: string(80)\n", file: "t.yaml")
        let schema = try #require(loaded.schema)
        for target in Targets.projects {
            let files = target.files(schema, snapshot: { "{}" })
            #expect(files.map(\.path) == files.map(\.path).sorted())
            #expect(files.contains { $0.path == target.layout.initialRevision }, "\(target.name)")
            #expect(files.contains { $0.path == target.layout.snapshot && $0.contents == "{}" }, "\(target.name)")
        }
    }
}
