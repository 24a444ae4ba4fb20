import ArgumentParser
import Foundation
import SchemaforgeKit

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write the next migration (Alembic revision, or mongo/migrations/NNNN_<name>.py for MongoDB): the schema diffed against the project's snapshot.",
        discussion: """
            Renames come only from 'renamed_from'. Operations that lose data are refused unless
            --allow-data-loss is given; the revision's docstring says what its downgrade cannot restore.
            Run 'schemaforge generate' too, so the models match the new schema.

            Example:
              schemaforge migrate schema.yaml --out api --message "add tags"
            """)

    @OptionGroup var input: SchemaInput

    @Option(help: "The project directory (made by 'schemaforge generate').")
    var out: String

    @Option(name: [.short, .long], help: "What the revision does.")
    var message: String

    @Flag(help: "Accept operations that destroy data (drop table/column, narrowing types, removing enum values).")
    var allowDataLoss = false

    @Option(help: "The project's database, if its manifest does not say.")
    var db: TargetDatabase?

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        let outcome: MigrationWorkflow.Outcome
        do {
            outcome = try MigrationWorkflow.prepare(schema: schema, directory: out, message: message, allowDataLoss: allowDataLoss, database: db)
        } catch let refusal as MigrationWorkflow.Refusal {
            FileHandle.standardError.write(Data("schemaforge: error: \(refusal.description)\n".utf8))
            throw ExitCode(1)
        }
        guard case let .revision(path, _, _, _, plan) = outcome else {
            print("no changes: the schema matches the snapshot; nothing written")
            return
        }
        for warning in plan.warnings { FileHandle.standardError.write(Data("schemaforge: warning: \(warning)\n".utf8)) }
        try MigrationWorkflow.write(outcome, to: out)
        print("wrote \(path)")
        print(PlanRenderer.text(plan), terminator: "")
    }
}
