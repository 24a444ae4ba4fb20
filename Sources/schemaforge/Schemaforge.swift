import ArgumentParser
import Foundation
import SchemaforgeKit

/// The `schemaforge` command.
struct Schemaforge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemaforge",
        abstract:
            "One declarative schema -> SQL DDL, a FastAPI project (SQLAlchemy models, Pydantic schemas, routers, tests) and migrations (Alembic, or MongoDB scripts).",
        discussion: """
            Examples:
              schemaforge init --starter saas                  # or blank, blog
              schemaforge validate schema.yaml                 # diagnostics on stderr
              schemaforge sql schema.yaml                      # SQLite DDL (the default)
              schemaforge sql schema.yaml --dialect postgresql # PostgreSQL DDL
              schemaforge sql schema.yaml -d mysql -o db.sql   # MySQL/MariaDB, to a file
              schemaforge resolve schema.yaml                  # the resolved schema, JSON
              schemaforge generate schema.yaml --out api       # a FastAPI project, SQLite
              schemaforge generate schema.yaml --out api --db postgresql
              schemaforge migrate schema.yaml --out api -m "add tags"
              schemaforge check schema.yaml --out api         # history and code, for CI
              schemaforge diff v1.yaml v2.yaml                 # the migration plan
              schemaforge lint v1.yaml v2.yaml                 # what in it needs care, and the fix
              schemaforge diagram schema.yaml --format dot     # ER diagram (or mermaid)
              schemaforge import dump.sql --out schema.yaml    # a schema from a dump

            Exit codes: 0 success, 1 schema errors (or warnings with --strict), 2 usage error.
            """,
        version: SchemaforgeVersion.current,
        subcommands: [Validate.self, SQL.self, Resolve.self, Generate.self, Migrate.self, Check.self, Diff.self, Lint.self, Init.self, Import.self]
            + Targets.documents.map(documentCommand)
    )
}

@main
enum Main {
    static func main() {
        do {
            var command = try Schemaforge.parseAsRoot()
            try command.run()
        } catch {
            let code = Schemaforge.exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((Schemaforge.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            Schemaforge.exit(withError: error)
        }
    }
}
