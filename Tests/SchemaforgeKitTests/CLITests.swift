import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// Runs the built `schemaforge` executable.
///
/// `swift test` builds every product of the package, so the executable sits next to the test bundle
/// in the same scratch path (`.build*/<triple>/debug/`). Set `SCHEMAFORGE_BIN` to test another build.
enum CLI {
    enum CLIError: Error { case executableNotFound }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable: URL? = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["SCHEMAFORGE_BIN"], !explicit.isEmpty {
            return fm.isExecutableFile(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil
        }
        // Next to the running test bundle (on Linux the bundle is the test executable itself; on
        // macOS it is `<dir>/schemaforgePackageTests.xctest/Contents/MacOS/...`).
        var starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()]
        starts += Bundle.allBundles.map(\.bundleURL)
        for start in starts {
            var dir = start.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = dir.appendingPathComponent("schemaforge")
                if fm.isExecutableFile(atPath: candidate.path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
        }
        let fallback = GoldenFile.repositoryRoot.appendingPathComponent(".build/debug/schemaforge")
        return fm.isExecutableFile(atPath: fallback.path) ? fallback : nil
    }()

    /// Runs `schemaforge arguments...` in `directory`, with stdout and stderr captured in files
    /// (pipes could fill up and block a large output).
    static func run(
        _ arguments: [String], in directory: URL? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Result {
        guard let executable else {
            Issue.record(
                "schemaforge executable not found (SCHEMAFORGE_BIN, next to the test bundle, or .build/debug); build it with swift build or set SCHEMAFORGE_BIN",
                sourceLocation: sourceLocation)
            throw CLIError.executableNotFound
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sf-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout")
        let err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? GoldenFile.repositoryRoot
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }
}

/// A temporary directory for one test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sf-cli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func read(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }
}

@Suite("CLI")
struct CLITests {
    static let invalid = """
        entities:
          Post:
            fields:
              title: strng
        """

    static let warning = """
        entities:
          Invoice:
            fields:
              total: decimal
        """

    @Test("the executable is found")
    func executableFound() {
        #expect(CLI.executable != nil, "build the package first (swift build), or set SCHEMAFORGE_BIN")
        print("schemaforge under test: \(CLI.executable?.path ?? "none")")
    }

    @Test("validate: exit 0 for a valid schema, a summary on stdout, nothing on stderr", arguments: Examples.names)
    func validateExample(example: String) throws {
        let result = try CLI.run(["validate", "examples/\(example).yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("examples/\(example).yaml: ok ("))
        #expect(result.stderr == "")
    }

    @Test("validate: exit 1 for a schema with errors, each printed as path:line:column: error:")
    func validateInvalid() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.yaml", Self.invalid)
        let result = try CLI.run(["validate", "bad.yaml"], in: dir.url)
        #expect(result.status == 1)
        // `strng` is on line 4, column 14.
        #expect(
            result.stderr.contains("bad.yaml:4:14: error: unknown type 'strng'; did you mean 'string'?"),
            "\(result.stderr)")
        #expect(result.stderr.contains("1 error(s)"))
        #expect(result.stdout == "")
    }

    @Test("diff reads a project's migration snapshot (checksum and schema) as an old or new schema")
    func diffReadsTheMigrationSnapshot() throws {
        let dir = try TemporaryDirectory()
        let blog = GoldenFile.repositoryRoot.appendingPathComponent("examples/blog.yaml").path
        #expect(try CLI.run(["generate", blog, "--out", "api"], in: dir.url).status == 0)
        let same = try CLI.run(["diff", "api/migrations/schema.snapshot.json", blog], in: dir.url)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("no changes"), "\(same.stdout)")
        let changed = try dir.write(
            "blog2.yaml",
            try String(contentsOfFile: blog, encoding: .utf8).replacingOccurrences(
                of: "entities:\n", with: "entities:\n  Note:\n    fields:\n      body: text\n"))
        let diff = try CLI.run(["diff", "api/migrations/schema.snapshot.json", changed], in: dir.url)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("create_table note"), "\(diff.stdout)")
    }

    @Test("lint: findings at their place in the schema with the rule and the fix; exit 1 at or above --fail-on")
    func lintReportsFindingsWithPlaceRuleAndFix() throws {
        let dir = try TemporaryDirectory()
        let old = try dir.write(
            "old.yaml",
            "schema: 1\nname: shop\nentities:\n  Item:\n    fields:\n      title: {type: string, length: 80}\n      note: {type: text, nullable: true}\n"
        )
        let renamed = try dir.write(
            "new.yaml",
            "schema: 1\nname: shop\nentities:\n  Item:\n    fields:\n      name: {type: string, length: 80, renamed_from: title}\n      note: {type: text, nullable: true, index: true}\n"
        )
        let lint = try CLI.run(["lint", old, renamed], in: dir.url)
        #expect(lint.status == 1, "\(lint.stderr)")
        // The rename is breaking (an error by default) at the field's line; the index locking (a warning).
        #expect(lint.stderr.contains("new.yaml:6:7: error: [breaking] rename-column: rename_column item.title -> item.name"), "\(lint.stderr)")
        #expect(lint.stderr.contains("new.yaml:6:7: note: fix: The revision renames the column"), "\(lint.stderr)")
        #expect(lint.stderr.contains("warning: [locking] index-on-existing-rows"), "\(lint.stderr)")
        #expect(lint.stdout.contains("2 finding(s), 1 at or above breaking"), "\(lint.stdout)")
        let lenient = try CLI.run(["lint", old, renamed, "--fail-on", "data-loss"], in: dir.url)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("warning: [breaking] rename-column"), "\(lenient.stderr)")
        let strict = try CLI.run(["lint", old, renamed, "--fail-on", "locking"], in: dir.url)
        #expect(strict.status == 1 && strict.stdout.contains("2 at or above locking"), "\(strict.stdout)")
        #expect(try CLI.run(["lint", old, old], in: dir.url).status == 0)
        #expect(try CLI.run(["lint", old], in: dir.url).status == 2, "neither NEW nor --out")
        // A project: the schema's changes since its newest revision (what the next migrate writes).
        #expect(try CLI.run(["generate", old, "--out", "api"], in: dir.url).status == 0)
        let pending = try CLI.run(["lint", renamed, "--out", "api"], in: dir.url)
        #expect(pending.status == 1 && pending.stderr.contains("rename-column"), "\(pending.stderr)")
        let none = try CLI.run(["lint", old, "--out", "api"], in: dir.url)
        #expect(none.status == 0 && none.stdout.contains("0 finding(s)"), "\(none.stdout)")
    }

    @Test(
        "usage errors exit 2",
        arguments: [
            ["sql", "examples/blog.yaml", "--bogus"],
            ["sql", "examples/blog.yaml", "--dialect", "oracle"],
            ["sql"],
            ["validate"],
            ["frobnicate", "examples/blog.yaml"],
        ])
    func usageErrors(arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout == "")
        #expect(!result.stderr.isEmpty)
    }

    @Test("a bad dialect lists the valid ones")
    func badDialectMessage() throws {
        let result = try CLI.run(["sql", "examples/blog.yaml", "--dialect", "oracle"])
        for dialect in Dialect.allCases { #expect(result.stderr.contains(dialect.rawValue)) }
    }

    @Test("--help shows examples and the exit codes")
    func help() throws {
        let root = try CLI.run(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.contains("Examples:"))
        #expect(root.stdout.contains("schemaforge sql schema.yaml --dialect postgresql"))
        #expect(root.stdout.contains("Exit codes"))
        let sql = try CLI.run(["sql", "--help"])
        #expect(sql.status == 0)
        #expect(sql.stdout.contains("Examples:"))
        #expect(sql.stdout.contains("--dialect"))
    }

    @Test("--version prints the version; the root help says what the tool does today and shows generate and migrate")
    func versionAndRootHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == SchemaforgeVersion.current + "\n")
        #expect(SchemaforgeVersion.current.split(separator: ".").count == 3)
        let help = try CLI.run(["--help"])
        #expect(!help.stdout.contains("later"), "\(help.stdout)")
        for text in [
            "FastAPI", "SQLAlchemy", "Pydantic", "Alembic", "MongoDB", "schemaforge generate schema.yaml --out api",
            "schemaforge migrate schema.yaml",
        ] {
            #expect(help.stdout.contains(text), "\(text)")
        }
    }

    @Test("sql prints what the library generates; sqlite is the default dialect", arguments: Examples.names)
    func sqlMatchesLibrary(example: String) throws {
        let loaded = try Examples.load(example)
        for dialect in Dialect.allCases {
            let result = try CLI.run(["sql", "examples/\(example).yaml", "--dialect", dialect.rawValue])
            #expect(result.status == 0)
            #expect(result.stdout == GeneratorPipeline.sql(for: loaded, dialect: dialect)?.sql)
        }
        let defaulted = try CLI.run(["sql", "examples/\(example).yaml"])
        #expect(defaulted.stdout == GeneratorPipeline.sql(for: loaded, dialect: .sqlite)?.sql)
    }

    @Test("dialect warnings go to stderr with their location; the exit code stays 0 without --strict")
    func sqlWarnings() throws {
        let result = try CLI.run(["sql", "examples/blog.yaml", "-d", "mysql"])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains("examples/blog.yaml:31:9: warning: MySQL/MariaDB have no partial indexes"),
            "\(result.stderr)")
        #expect(result.stdout.hasPrefix("-- Generated by schemaforge"))
    }

    @Test("sql -o writes the file; an unchanged file is not rewritten")
    func sqlOutputFile() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("nested/blog.sql")
        let first = try CLI.run(["sql", Examples.path("blog"), "-d", "postgresql", "-o", out])
        #expect(first.status == 0)
        #expect(first.stdout == "")
        let expected = GeneratorPipeline.sql(for: try Examples.load("blog"), dialect: .postgresql)?.sql
        #expect(dir.read("nested/blog.sql") == expected)
        let old = Date(timeIntervalSince1970: 1_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: out)
        let second = try CLI.run(["sql", Examples.path("blog"), "-d", "postgresql", "-o", out])
        #expect(second.status == 0)
        let mtime = try FileManager.default.attributesOfItem(atPath: out)[.modificationDate] as? Date
        #expect(mtime == old)
    }

    @Test("sql -o on an invalid schema writes no file and leaves an existing one untouched")
    func sqlOutputOnInvalidSchema() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bad.yaml", Self.invalid)
        let fresh = try CLI.run(["sql", "bad.yaml", "-o", "new.sql"], in: dir.url)
        #expect(fresh.status == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.path("new.sql")))
        try dir.write("keep.sql", "-- keep me\n")
        let existing = try CLI.run(["sql", "bad.yaml", "-d", "postgresql", "-o", "keep.sql"], in: dir.url)
        #expect(existing.status == 1)
        #expect(dir.read("keep.sql") == "-- keep me\n")
        let resolve = try CLI.run(["resolve", "bad.yaml", "-o", "keep.sql"], in: dir.url)
        #expect(resolve.status == 1)
        #expect(dir.read("keep.sql") == "-- keep me\n")
    }

    /// Every file under `root` (relative path -> bytes).
    static func tree(_ root: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    @Test(
        "generate into a fresh directory (files written while rendered) equals generate through the plan",
        arguments: ["sqlite", "postgresql", "mongodb"])
    func generateFreshEqualsPlanned(database: String) throws {
        let dir = try TemporaryDirectory()
        let schema = GoldenFile.repositoryRoot.appendingPathComponent("examples/shop.yaml").path
        let fresh = try CLI.run(["generate", schema, "--out", dir.path("fresh"), "--db", database])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.contains("created"))
        // A directory that is not empty goes through GenerationPlan (compare, then write).
        try FileManager.default.createDirectory(atPath: dir.path("planned"), withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: dir.path("planned/NOTES.txt")))
        let planned = try CLI.run(["generate", schema, "--out", dir.path("planned"), "--db", database])
        #expect(planned.status == 0, "\(planned.stderr)")
        var expected = Self.tree(dir.path("planned"))
        #expect(expected.removeValue(forKey: "NOTES.txt") == Data("mine\n".utf8))
        let written = Self.tree(dir.path("fresh"))
        #expect(written.count > 20)
        #expect(Set(written.keys) == Set(expected.keys))
        for (path, bytes) in written where expected[path] != bytes { Issue.record("\(path) differs between the two ways of writing") }
        // The fresh project is up to date for --check, and a second run changes nothing.
        let check = try CLI.run(["generate", schema, "--out", dir.path("fresh"), "--db", database, "--check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let again = try CLI.run(["generate", schema, "--out", dir.path("fresh"), "--db", database])
        #expect(again.stdout.contains("unchanged") && !again.stdout.contains("created"), "\(again.stdout)")
    }

    @Test("generate without --db keeps the database the project was generated for", arguments: ["postgresql", "mysql", "mongodb"])
    func generateKeepsRecordedDatabase(database: String) throws {
        let dir = try TemporaryDirectory()
        let schema = GoldenFile.repositoryRoot.appendingPathComponent("examples/shop.yaml").path
        let first = try CLI.run(["generate", schema, "--out", dir.path("api"), "--db", database])
        #expect(first.status == 0, "\(first.stderr)")
        let before = Self.tree(dir.path("api"))
        // Without --db, --check and --dry-run compare against the recorded database: up to date.
        for flag in ["--check", "--dry-run"] {
            let result = try CLI.run(["generate", schema, "--out", dir.path("api"), flag])
            #expect(result.status == 0, "\(flag): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("up to date"), "\(flag): \(result.stdout)")
        }
        let again = try CLI.run(["generate", schema, "--out", dir.path("api")])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.contains("update") && !again.stdout.contains("delete"), "\(again.stdout)")
        #expect(Self.tree(dir.path("api")) == before)
        #expect(Manifest.database(in: dir.path("api")) == database)
    }

    @Test("generate and migrate with a --db other than the project's are refused; nothing is written")
    func generateRefusesOtherDatabase() throws {
        let dir = try TemporaryDirectory()
        let schema = GoldenFile.repositoryRoot.appendingPathComponent("examples/shop.yaml").path
        #expect(try CLI.run(["generate", schema, "--out", dir.path("api"), "--db", "postgresql"]).status == 0)
        let before = Self.tree(dir.path("api"))
        for extra in [[], ["--check"], ["--dry-run"], ["--force"]] {
            let result = try CLI.run(["generate", schema, "--out", dir.path("api"), "--db", "sqlite"] + extra)
            #expect(result.status == 1, "\(extra)")
            #expect(result.stderr.contains("was generated for postgresql, not sqlite"), "\(result.stderr)")
            #expect(result.stderr.contains("into a new directory"), "\(result.stderr)")
            #expect(result.stdout == "")
        }
        // The same database, named explicitly, is fine.
        #expect(try CLI.run(["generate", schema, "--out", dir.path("api"), "--db", "postgresql", "--check"]).status == 0)
        let migrate = try CLI.run(["migrate", schema, "--out", dir.path("api"), "-m", "x", "--db", "mysql"])
        #expect(migrate.status == 1)
        #expect(migrate.stderr.contains("was generated for postgresql, not mysql"), "\(migrate.stderr)")
        #expect(Self.tree(dir.path("api")) == before)
    }

    @Test("generate without --db: sqlite for a new directory; a manifest that does not name its database asks for --db")
    func generateDefaultDatabase() throws {
        let dir = try TemporaryDirectory()
        let schema = GoldenFile.repositoryRoot.appendingPathComponent("examples/blog.yaml").path
        #expect(try CLI.run(["generate", schema, "--out", dir.path("new")]).status == 0)
        #expect(Manifest.database(in: dir.path("new")) == "sqlite")
        // A manifest written before the database was recorded.
        try FileManager.default.createDirectory(atPath: dir.path("old/.schemaforge"), withIntermediateDirectories: true)
        try dir.write("old/.schemaforge/manifest.json", #"{"files": {}, "generator": "schemaforge"}"#)
        let unrecorded = try CLI.run(["generate", schema, "--out", dir.path("old")])
        #expect(unrecorded.status == 1)
        #expect(unrecorded.stderr.contains("does not record the project's database: pass --db"), "\(unrecorded.stderr)")
        let explicit = try CLI.run(["generate", schema, "--out", dir.path("old"), "--db", "postgresql"])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(Manifest.database(in: dir.path("old")) == "postgresql")
    }

    @Test(
        "an entity name far longer than a database or file name allows generates a project when its table is short",
        arguments: ["sqlite", "postgresql", "mongodb"])
    func generateLongEntityName(database: String) throws {
        let dir = try TemporaryDirectory()
        let entity = "Very" + String(repeating: "LongEntityName", count: 20)
        try dir.write(
            "long.yaml",
            """
            schema: 1
            entities:
              \(entity):
                table: long_things
                fields:
                  title: string
              Other:
                fields:
                  name: string
                relations:
                  thing:
                    kind: many_to_one
                    to: \(entity)
            """)
        let result = try CLI.run(["generate", "long.yaml", "--out", "api", "--db", database, "--strict"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        let module = PythonNames.module(forEntity: entity)
        #expect(module.utf8.count <= PythonNames.maxModuleLength && module.hasPrefix("very_long_entity_name_"))
        let files = Self.tree(dir.path("api")).keys
        #expect(files.contains("app/models/\(module).py"))
        #expect(files.contains("tests/test_\(module).py"))
        for path in files { #expect(path.split(separator: "/").allSatisfy { $0.utf8.count <= 255 }, "\(path)") }
        // Short entity names keep their plain module names.
        #expect(PythonNames.module(forEntity: "OrderLine") == "order_line")
        #expect(PythonNames.module(forEntity: String(repeating: "Ab", count: 31)) == String(repeating: "ab_", count: 30) + "ab")
    }

    @Test("a cycle of required relations: validate --strict fails, generate prints the warning and the README says it")
    func requiredCycle() throws {
        let dir = try TemporaryDirectory()
        try dir.write("cycle.yaml", RequiredReferenceCycleTests.schema)
        #expect(try CLI.run(["validate", "cycle.yaml"], in: dir.url).status == 0)
        let strict = try CLI.run(["validate", "cycle.yaml", "--strict"], in: dir.url)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("cycle.yaml:6:7: warning: required relations form a cycle"), "\(strict.stderr)")
        let generate = try CLI.run(["generate", "cycle.yaml", "--out", "api"], in: dir.url)
        #expect(generate.status == 0)
        #expect(generate.stderr.contains("warning: required relation Category.parent -> Category references its own entity"), "\(generate.stderr)")
        #expect(dir.read("api/README.md")?.contains("## Resources the API cannot create") == true)
    }

    @Test("generate says at their place what the target cannot express; --strict writes nothing")
    func targetWarningsAreLocated() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "limits.yaml",
            """
            entities:
              Item:
                fields:
                  name: string
                checks:
                  - {name: name_not_blank, expr: "length(name) > 0"}
                indexes:
                  - {expressions: ["lower(name)"], name: ix_lower}
            """)
        let mongo = try CLI.run(["generate", "limits.yaml", "--out", "api", "--db", "mongodb"], in: dir.url)
        #expect(mongo.status == 0)
        #expect(mongo.stderr.contains("limits.yaml:6:9: warning: Item: CHECK 'ck_item_name_not_blank'"), "\(mongo.stderr)")
        #expect(mongo.stderr.contains("limits.yaml:8:46: warning: Item: index 'ix_lower' indexes SQL expressions"), "\(mongo.stderr)")
        let strict = try CLI.run(["generate", "limits.yaml", "--out", "strict-api", "--db", "mongodb", "--strict"], in: dir.url)
        #expect(strict.status == 1)
        #expect(dir.read("strict-api/README.md") == nil)
        // The dialect's warnings too, as `sql` prints them.
        let mysql = try CLI.run(["generate", "limits.yaml", "--out", "mysql-api", "--db", "mysql"], in: dir.url)
        let sql = try CLI.run(["sql", "limits.yaml", "--dialect", "mysql"], in: dir.url)
        #expect(!sql.stderr.isEmpty && mysql.stderr == sql.stderr, "\(mysql.stderr)")
    }

    @Test("resolve prints the snapshot JSON")
    func resolve() throws {
        let result = try CLI.run(["resolve", "examples/shop.yaml"])
        #expect(result.status == 0)
        let schema = try #require(try Examples.load("shop").schema)
        #expect(result.stdout == SnapshotEncoder.encode(schema))
    }

    @Test("init writes a schema that validates, refuses to overwrite it, and overwrites with --force")
    func initCommand() throws {
        let dir = try TemporaryDirectory()
        let created = try CLI.run(["init"], in: dir.url)
        #expect(created.status == 0)
        #expect(dir.read("schema.yaml") == StarterSchema.blog.text)
        let validated = try CLI.run(["validate", "schema.yaml"], in: dir.url)
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stderr == "")
        for dialect in Dialect.allCases {
            #expect(try CLI.run(["sql", "schema.yaml", "-d", dialect.rawValue], in: dir.url).status == 0)
        }

        try dir.write("schema.yaml", "# mine\n")
        let refused = try CLI.run(["init"], in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already exists"))
        #expect(refused.stderr.contains("--force"))
        #expect(dir.read("schema.yaml") == "# mine\n")

        let forced = try CLI.run(["init", "--force"], in: dir.url)
        #expect(forced.status == 0)
        #expect(dir.read("schema.yaml") == StarterSchema.blog.text)

        let named = try CLI.run(["init", "sub/dir/my.yaml"], in: dir.url)
        #expect(named.status == 0)
        #expect(dir.read("sub/dir/my.yaml") == StarterSchema.blog.text)
    }

    @Test("init --starter writes each starter, which validates without a warning and says what to run next", arguments: StarterSchema.allCases)
    func initStarter(_ starter: StarterSchema) throws {
        let dir = try TemporaryDirectory()
        let created = try CLI.run(["init", "s.yaml", "--starter", starter.rawValue], in: dir.url)
        #expect(created.status == 0)
        #expect(dir.read("s.yaml") == starter.text)
        #expect(created.stdout.contains("schemaforge generate s.yaml --out api"), "\(created.stdout)")
        let validated = try CLI.run(["validate", "s.yaml", "--strict"], in: dir.url)
        #expect(validated.status == 0, "\(validated.stderr)")
    }

    static let checkV1 = "schema: 1\nname: c\nentities:\n  Post:\n    fields:\n      title: string(40)\n"
    static func checkSchema(adding field: String) -> String { checkV1 + "      \(field): {type: int, default: 0}\n" }

    @Test("check: a clean project passes; an edited revision, a forked history and a pending change are each named")
    func checkCommand() throws {
        let dir = try TemporaryDirectory()
        try dir.write("v1.yaml", Self.checkV1)
        try dir.write("views.yaml", Self.checkSchema(adding: "views"))
        try dir.write("likes.yaml", Self.checkSchema(adding: "likes"))
        #expect(try CLI.run(["generate", "v1.yaml", "--out", "api"], in: dir.url).status == 0)
        let clean = try CLI.run(["check", "v1.yaml", "--out", "api"], in: dir.url)
        #expect(clean.status == 0, "\(clean.stderr)")

        // A schema change without its revision.
        let pending = try CLI.run(["check", "views.yaml", "--out", "api"], in: dir.url)
        #expect(pending.status == 1)
        #expect(pending.stderr.contains("change(s) that no revision holds (add_column post.views)"), "\(pending.stderr)")

        // Two branches: each migrates from the same revision.
        try FileManager.default.copyItem(at: dir.url.appendingPathComponent("api"), to: dir.url.appendingPathComponent("other"))
        #expect(try CLI.run(["migrate", "views.yaml", "--out", "api", "-m", "views"], in: dir.url).status == 0)
        #expect(try CLI.run(["generate", "views.yaml", "--out", "api"], in: dir.url).status == 0)
        #expect(try CLI.run(["check", "views.yaml", "--out", "api"], in: dir.url).status == 0)
        #expect(try CLI.run(["migrate", "likes.yaml", "--out", "other", "-m", "likes"], in: dir.url).status == 0)
        try FileManager.default.copyItem(
            at: dir.url.appendingPathComponent("other/migrations/versions/0002_likes.py"),
            to: dir.url.appendingPathComponent("api/migrations/versions/0002_likes.py"))
        let forked = try CLI.run(["check", "views.yaml", "--out", "api"], in: dir.url)
        #expect(forked.status == 1)
        #expect(forked.stderr.contains("the history forked: 2 heads"), "\(forked.stderr)")
        try dir.write("both.yaml", Self.checkSchema(adding: "views") + "      likes: {type: int, default: 0}\n")
        let refused = try CLI.run(["migrate", "both.yaml", "--out", "api", "-m", "more"], in: dir.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("2 heads"), "\(refused.stderr)")
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("api/migrations/versions/0002_likes.py"))

        // A revision edited after migrate wrote it.
        let revision = dir.url.appendingPathComponent("api/migrations/versions/0002_views.py")
        try (String(contentsOf: revision, encoding: .utf8) + "# changed by hand\n").write(to: revision, atomically: true, encoding: .utf8)
        let edited = try CLI.run(["check", "views.yaml", "--out", "api"], in: dir.url)
        #expect(edited.status == 1)
        #expect(edited.stderr.contains("migrations/versions/0002_views.py changed after schemaforge wrote it"), "\(edited.stderr)")
    }

    @Test("migrate numbers after the highest generated revision, not after a hand-written one's hex id")
    func migrateNumbersAfterGeneratedRevisions() throws {
        let dir = try TemporaryDirectory()
        try dir.write("v1.yaml", Self.checkV1)
        try dir.write("views.yaml", Self.checkSchema(adding: "views"))
        #expect(try CLI.run(["generate", "v1.yaml", "--out", "api"], in: dir.url).status == 0)
        try dir.write(
            "api/migrations/versions/6b80e418ff0b_by_hand.py",
            "revision: str = \"6b80e418ff0b\"\ndown_revision: str | None = \"0001\"\n\n\ndef upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
        )
        let migrated = try CLI.run(["migrate", "views.yaml", "--out", "api", "-m", "views"], in: dir.url)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("0002_views.py"), "\(migrated.stdout)")
        #expect(
            try String(contentsOf: dir.url.appendingPathComponent("api/migrations/versions/0002_views.py"), encoding: .utf8)
                .contains("down_revision: str | None = \"6b80e418ff0b\""))
    }

    @Test("--strict turns warnings into exit 1")
    func strict() throws {
        let dir = try TemporaryDirectory()
        try dir.write("warn.yaml", Self.warning)
        let lenient = try CLI.run(["validate", "warn.yaml"], in: dir.url)
        #expect(lenient.status == 0)
        #expect(lenient.stderr.contains("warn.yaml:4:14: warning: decimal without a precision"), "\(lenient.stderr)")
        let strict = try CLI.run(["validate", "warn.yaml", "--strict"], in: dir.url)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("warning: decimal without a precision"))
    }

    @Test("--strict on sql fails on the dialect's warnings and writes nothing")
    func strictSQL() throws {
        let dir = try TemporaryDirectory()
        let lenient = try CLI.run(["sql", Examples.path("blog"), "-d", "mysql", "-o", dir.path("ok.sql")])
        #expect(lenient.status == 0)
        let strict = try CLI.run([
            "sql", Examples.path("blog"), "-d", "mysql", "--strict", "-o", dir.path("strict.sql"),
        ])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("warning:"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("strict.sql")))
        // The same schema has no PostgreSQL warnings: --strict passes there.
        #expect(try CLI.run(["sql", Examples.path("blog"), "-d", "postgresql", "--strict"]).status == 0)
    }

    @Test("an unsupported extension is an error naming the supported ones")
    func unsupportedExtension() throws {
        let dir = try TemporaryDirectory()
        try dir.write("schema.txt", "entities: {}\n")
        let result = try CLI.run(["validate", "schema.txt"], in: dir.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("unsupported schema file extension '.txt'"))
        #expect(result.stderr.contains(".yaml") && result.stderr.contains(".json"))
    }

    @Test("a missing file is an error, not a crash")
    func missingFile() throws {
        let result = try CLI.run(["validate", "does/not/exist.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read 'does/not/exist.yaml'"))
    }

    @Test("JSON schema files are read like YAML")
    func jsonInput() throws {
        let dir = try TemporaryDirectory()
        try dir.write(
            "s.json",
            #"{"schema": 1, "name": "j", "entities": {"Item": {"fields": {"name": {"type": "string", "length": 20}}}}}"#
        )
        let result = try CLI.run(["sql", "s.json", "-d", "postgresql"], in: dir.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("    name VARCHAR(20) NOT NULL,\n"))
    }
}
