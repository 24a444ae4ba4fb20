import ArgumentParser
import Foundation
import SchemaforgeKit

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a schema from an existing SQL script (pg_dump, mysqldump, SQLite .schema, DDL).",
        discussion: """
            The dialect is detected from the script; --dialect overrides it. What the schema language
            cannot say (views, functions, triggers, partitions, ...) is reported as a warning and listed
            in a comment at the top of the schema, never dropped silently.

            Examples:
              schemaforge import pagila.sql --out schema.yaml
              schemaforge import dump.sql --dialect mysql --name shop --out shop.yaml
            """)

    @Argument(help: "The SQL script to import.")
    var source: String

    @Option(name: [.short, .long], help: "Write the schema to this file instead of stdout.")
    var out: String?

    @Option(name: [.short, .long], help: "The script's dialect: postgresql, sqlite or mysql (MariaDB). Default: detected.")
    var dialect: Dialect?

    @Option(name: .long, help: "The schema's name. Default: the script's file name.")
    var name: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw ValidationError("cannot read '\(source)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let stem = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        let result = SchemaImporter.importSQL(text, file: source, dialect: dialect, name: name ?? SchemaImporter.schemaName(forFile: stem))
        report(result.diagnostics)
        let summary =
            "imported \(result.tables) tables, \(result.relations) relations, \(result.enums) enums (\(result.diagnostics.count) warnings) from \(source) (\(result.dialect.displayName))\n"
        FileHandle.standardError.write(Data(summary.utf8))
        guard result.tables > 0 else {
            FileHandle.standardError.write(Data("schemaforge: error: no CREATE TABLE statement was found in '\(source)'\n".utf8))
            throw ExitCode(1)
        }
        try OutputWriter.write(result.yaml, to: out)
    }
}
