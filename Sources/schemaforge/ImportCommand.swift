import ArgumentParser
import Foundation
import SchemaforgeKit

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a schema from what exists: a SQL script, a live database, Prisma or DBML.",
        discussion: """
            SQL scripts: pg_dump --schema-only, mysqldump or mariadb-dump, SQLite's .schema, \
            hand-written DDL; the dialect is detected and --dialect overrides it. A live database \
            is read by its own dump program (pg_dump, mariadb-dump or mysqldump, sqlite3), which \
            must be on the PATH. A Prisma schema (a file or a folder of .prisma files) gives the \
            tables prisma migrate creates; a DBML file those dbml2sql creates.

            What the schema language cannot say (views, functions, triggers, partitions, ...) is \
            reported as a warning and listed in a comment at the top of the schema, never dropped \
            silently.

            Examples:
              schemaforge import pagila.sql --out schema.yaml
              schemaforge import dump.sql --dialect mysql --name shop --out shop.yaml
              schemaforge import postgresql://app@localhost:5432/shop --out shop.yaml
              schemaforge import mysql://root@127.0.0.1:3306/shop
              schemaforge import sqlite:///data/app.db
              schemaforge import prisma/schema.prisma --out schema.yaml
              schemaforge import docs/database.dbml --out schema.yaml
            """)

    @Argument(
        help: "The SQL script, .prisma file (or folder of them), .dbml file, or a database URL (postgresql://, mysql://, sqlite:///) to import.")
    var source: String

    @Option(name: [.short, .long], help: "Write the schema to this file instead of stdout.")
    var out: String?

    @Option(name: [.short, .long], help: "The script's dialect: postgresql, sqlite or mysql (MariaDB). Default: detected.")
    var dialect: Dialect?

    @Option(name: .long, help: "The schema's name. Default: the script's file name.")
    var name: String?

    /// The files of a Prisma schema: a `.prisma` file, or a folder's `.prisma` files (sorted); nil
    /// for anything else.
    static func prismaFiles(_ source: String) throws -> [(text: String, path: String)]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { return nil }
        let paths: [String]
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
            paths = names.filter { $0.hasSuffix(".prisma") }.sorted().map { (source as NSString).appendingPathComponent($0) }
            guard !paths.isEmpty else { throw ValidationError("'\(source)' is a folder without .prisma files") }
        } else {
            guard source.hasSuffix(".prisma") else { return nil }
            paths = [source]
        }
        return try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read '\(path)'") }
            return (String(decoding: data, as: UTF8.self), path)
        }
    }

    func run() throws {
        let stem = URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        let schemaName = name ?? SchemaImporter.schemaName(forFile: stem)
        let result: ImportResult
        if let live = LiveSchemaSource(source) {
            // A live database: its dump program prints the catalog as DDL, imported as a script.
            let ddl: String
            do {
                ddl = try live.dump()
            } catch let error as LiveSchemaError {
                FileHandle.standardError.write(Data("schemaforge: error: \(error.description)\n".utf8))
                throw ExitCode(1)
            }
            result = SchemaImporter.importSQL(
                ddl, file: live.redacted, dialect: live.dialect, name: name ?? SchemaImporter.schemaName(forFile: live.databaseName))
        } else if let prismaFiles = try Self.prismaFiles(source) {
            result = SchemaImporter.importPrisma(prismaFiles, name: schemaName)
        } else if source.hasSuffix(".dbml") {
            guard let data = FileManager.default.contents(atPath: source) else { throw ValidationError("cannot read '\(source)'") }
            result = SchemaImporter.importDBML(String(decoding: data, as: UTF8.self), file: source, name: schemaName)
        } else {
            guard let data = FileManager.default.contents(atPath: source) else {
                throw ValidationError("cannot read '\(source)'")
            }
            result = SchemaImporter.importSQL(String(decoding: data, as: UTF8.self), file: source, dialect: dialect, name: schemaName)
        }
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
