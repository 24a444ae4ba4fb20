import ArgumentParser
import Foundation
import SchemaforgeKit

/// `--db NAME`: a target of the registry (`Targets.projects`).
extension TargetDatabase: ExpressibleByArgument {
    public init?(argument: String) {
        guard let target = Targets.project(named: argument) else { return nil }
        self = target.database
    }

    public static var allValueStrings: [String] { Targets.projects.map(\.name) }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a FastAPI backend (SQLAlchemy models, Pydantic schemas, routers, tests) for a schema.",
        discussion: """
            Re-running is safe: unchanged files are not rewritten, and a generated file you edited is never \
            overwritten silently (the command stops and names it) unless you pass --force.

            Your own code goes in the files generate writes once and never touches again: \
            app/hooks/<entity>.py (called by the generated CRUD) and app/custom.py (your routes).

            The project remembers its database (.schemaforge/manifest.json): later runs without --db \
            keep it, and a different --db is refused.

            Examples:
              schemaforge generate examples/blog.yaml --out blog-api
              schemaforge generate examples/shop.yaml --out shop-api --db postgresql
              schemaforge generate examples/blog.yaml --out blog-api --check  # CI
            """)

    @OptionGroup var input: SchemaInput

    @Option(help: "The output directory.")
    var out: String

    @Option(
        help: ArgumentHelp(
            "Target database. Default: the database the project in --out was generated for, or \(Targets.projects[0].name) for a new project."
        ))
    var db: TargetDatabase?

    @Flag(help: "Overwrite (or remove) generated files that were edited since they were generated.")
    var force = false

    @Flag(help: "Exit 1 when the generated files are not up to date; write nothing.")
    var check = false

    @Flag(help: "List what would change; write nothing.")
    var dryRun = false

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        let db: TargetDatabase
        do {
            db = try ProjectDatabase.forGenerate(requested: self.db, directory: out)
        } catch let problem as ProjectDatabase.Problem {
            FileHandle.standardError.write(Data("schemaforge: error: \(problem.description)\n".utf8))
            throw ExitCode(1)
        }
        // What the target cannot express (MongoDB's limits, a dialect's): said at its place in the
        // schema, never dropped silently; with --strict, nothing is written.
        let targetWarnings = GeneratorPipeline.targetDiagnostics(loaded, database: db)
        report(targetWarnings)
        if input.strict, !targetWarnings.isEmpty { throw ExitCode(1) }
        if targetWarnings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        if !check, !dryRun, FreshDirectoryWriter.isFresh(out) {
            // Nothing there to protect or compare: each file is written as soon as it is rendered.
            let writer = FreshDirectoryWriter(directory: out)
            do {
                try GeneratorPipeline.writeProject(schema, database: db, with: writer)
            } catch {
                throw ValidationError("cannot write to '\(out)': \(error.localizedDescription)")
            }
            print("\(out): \(writer.count) created")
            return
        }
        let files = MigrationWorkflow.keepingHistory(GeneratorPipeline.project(schema, database: db), database: db, directory: out)
        let plan = GenerationPlan.make(files: files, outputDirectory: out)
        for entry in plan.orphans {
            FileHandle.standardError.write(
                Data(
                    "schemaforge: note: \(entry.path) is yours and stays, but the schema no longer has its entity: delete it when you no longer need it\n"
                        .utf8))
        }
        if check || dryRun {
            for entry in plan.changes { print("\(entry.action.rawValue): \(entry.path)") }
            if plan.isUpToDate { print("\(out): up to date (\(files.count) files)") }
            if check, !plan.isUpToDate {
                FileHandle.standardError.write(
                    Data("schemaforge: error: \(out) is stale: run 'schemaforge generate' (\(plan.changes.count) file(s) differ)\n".utf8))
                throw ExitCode(1)
            }
            return
        }
        if !plan.conflicts.isEmpty, !force {
            var message = "schemaforge: error: these generated files were edited since they were generated; nothing was written:\n"
            for entry in plan.conflicts { message += "  \(entry.path)\n" }
            message += "Move your changes elsewhere, or pass --force to overwrite them.\n"
            FileHandle.standardError.write(Data(message.utf8))
            throw ExitCode(1)
        }
        do {
            try plan.apply(to: out, force: force, database: db.rawValue)
        } catch {
            throw ValidationError("cannot write to '\(out)': \(error.localizedDescription)")
        }
        let counts = Dictionary(grouping: plan.entries, by: \.action).mapValues(\.count)
        let labels: [(GenerationPlan.Action, String)] = [
            (.create, "created"), (.update, "updated"), (.delete, "deleted"), (.unchanged, "unchanged"), (.conflict, "overwritten"),
            (.kept, "kept (yours)"), (.orphaned, "orphaned (yours, kept)"),
        ]
        let summary = labels.compactMap { action, label in counts[action].map { "\($0) \(label)" } }.joined(separator: ", ")
        print("\(out): \(summary)")
    }
}
