import ArgumentParser
import SchemaforgeKit

struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Print the SQL DDL of a schema for one dialect.",
        discussion: """
            Examples:
              schemaforge sql examples/blog.yaml
              schemaforge sql examples/shop.yaml --dialect postgresql --output shop.sql
            """)

    @OptionGroup var input: SchemaInput

    @Option(name: [.short, .long], help: "Target dialect: postgresql, sqlite or mysql (MariaDB).")
    var dialect: Dialect = .sqlite

    @Option(name: [.short, .long], help: "Write to this file instead of stdout (written only when there are no errors).")
    var output: String?

    func run() throws {
        let loaded = try input.load()
        guard let ddl = GeneratorPipeline.sql(for: loaded, dialect: dialect) else { throw ExitCode(1) }
        report(ddl.diagnostics)
        if input.strict, !ddl.diagnostics.isEmpty { throw ExitCode(1) }
        try OutputWriter.write(ddl.sql, to: output)
    }
}
