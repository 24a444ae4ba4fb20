import ArgumentParser
import SchemaforgeKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a schema and print every problem as path:line:column: severity: message.",
        discussion: "Example: schemaforge validate examples/blog.yaml")

    @OptionGroup var input: SchemaInput

    func run() throws {
        let loaded = try input.load()
        if let schema = loaded.schema {
            let joins = schema.tables.filter(\.isJoinTable).count
            print("\(input.file): ok (\(schema.tables.count - joins) entities, \(joins) join tables, \(schema.enums.count) enums)")
        }
    }
}

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

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the resolved schema (the IR and migration snapshot format) as stable JSON.",
        discussion: "Example: schemaforge resolve examples/shop.yaml")

    @OptionGroup var input: SchemaInput

    @Option(name: [.short, .long], help: "Write to this file instead of stdout.")
    var output: String?

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        try OutputWriter.write(SnapshotEncoder.encode(schema), to: output)
    }
}
