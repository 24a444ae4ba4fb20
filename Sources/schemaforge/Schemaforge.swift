import ArgumentParser
import Foundation
import SchemaforgeKit

/// The `schemaforge` command.
struct Schemaforge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemaforge",
        abstract: "One declarative schema -> SQL DDL (and, later, models, migrations and APIs) for Python backends.",
        discussion: """
            Examples:
              schemaforge init                                  write a starter schema.yaml
              schemaforge validate schema.yaml                  check a schema, print diagnostics
              schemaforge sql schema.yaml                       SQLite DDL (the default dialect)
              schemaforge sql schema.yaml --dialect postgresql  PostgreSQL DDL
              schemaforge sql schema.yaml -d mysql -o db.sql    MySQL/MariaDB DDL into a file
              schemaforge resolve schema.yaml                   the resolved schema as stable JSON

            Exit codes: 0 success, 1 the schema has errors (or warnings with --strict), 2 usage error.
            """,
        subcommands: [Validate.self, SQL.self, Resolve.self, Generate.self, Migrate.self, Diff.self, Init.self]
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
