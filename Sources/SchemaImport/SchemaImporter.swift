import SchemaModel

/// The result of importing a SQL script: the schema's YAML text, the warnings (located in the
/// script) and a count of what was found.
public struct ImportResult: Sendable {
    public var yaml: String
    public var dialect: Dialect
    public var diagnostics: [Diagnostic]
    public var tables: Int
    public var relations: Int
    public var enums: Int
}

/// `schemaforge import`: a SQL script (a `pg_dump --schema-only`, a `mysqldump --no-data`, SQLite's
/// `.schema`, hand-written DDL) -> a Schemaforge schema.
public enum SchemaImporter {
    /// Imports `text`, read from `file`. `dialect` nil: detected from the script.
    public static func importSQL(_ text: String, file: String, dialect: Dialect? = nil, name: String) -> ImportResult {
        let dialect = dialect ?? detectDialect(text)
        var reader = SQLCatalogReader(dialect: dialect, file: file)
        reader.read(text)
        return write(reader.catalog, readDiagnostics: reader.diagnostics.diagnostics, source: file, what: dialect.displayName, name: name)
    }

    /// Imports a Prisma schema: one file, or the files of a multi-file schema (`prismaSchemaFolder`),
    /// as (text, path) pairs.
    public static func importPrisma(_ files: [(text: String, path: String)], name: String) -> ImportResult {
        var reader = PrismaSchemaReader()
        for file in files { reader.read(file.text, file: file.path) }
        let catalog = reader.catalog()
        return write(
            catalog, readDiagnostics: reader.diagnostics.diagnostics, source: files.first?.path ?? "schema.prisma", what: "Prisma", name: name)
    }

    /// Imports a DBML file (dbdiagram.io).
    public static func importDBML(_ text: String, file: String, name: String) -> ImportResult {
        var reader = DBMLReader(file: file)
        reader.read(text)
        let catalog = reader.catalog()
        return write(catalog, readDiagnostics: reader.diagnostics.diagnostics, source: file, what: "DBML, \(catalog.dialect.displayName)", name: name)
    }

    /// The YAML of a catalog, with the reader's and the writer's warnings listed at its top.
    static func write(_ catalog: ImportedCatalog, readDiagnostics: [Diagnostic], source: String, what: String, name: String) -> ImportResult {
        var writer = CatalogSchemaWriter(catalog: catalog, file: source, name: name)
        let body = writer.write()
        let diagnostics = (readDiagnostics + writer.diagnostics.diagnostics).sorted {
            ($0.location?.file ?? "", $0.location?.line ?? 0, $0.message) < ($1.location?.file ?? "", $1.location?.line ?? 0, $1.message)
        }
        var lines = YAMLText.comment([
            "Imported by `schemaforge import` from \(source.split(separator: "/").last.map(String.init) ?? source) (\(what)).",
            "Review the names (entities, relations and their `back` names) before you generate from it.",
        ])
        if !diagnostics.isEmpty {
            lines += YAMLText.comment(["", "Not imported or approximated (\(diagnostics.count)):"])
            lines += YAMLText.comment(
                diagnostics.map { d in
                    let file = d.location.map { $0.file == source ? "" : "\($0.file.split(separator: "/").last ?? "") " } ?? ""
                    return "  \(file)line \(d.location?.line ?? 0): \(d.message)"
                })
        }
        lines += body
        return ImportResult(
            yaml: lines.joined(separator: "\n") + "\n", dialect: catalog.dialect, diagnostics: diagnostics, tables: catalog.tables.count,
            relations: writer.relationCount, enums: writer.enumCount)
    }

    /// A schema name from a file name: `pagila-schema` -> `pagila_schema`.
    public static func schemaName(forFile stem: String) -> String { CatalogSchemaWriter.fieldName(forColumn: stem) }

    /// The dialect a script is written for, from the marks each one leaves: PostgreSQL's casts,
    /// sequences, `SET search_path` and dollar quotes; MySQL's backquotes, `ENGINE=` and
    /// `AUTO_INCREMENT`; SQLite's `AUTOINCREMENT` and `PRAGMA`. PostgreSQL when nothing tells.
    public static func detectDialect(_ text: String) -> Dialect {
        let lower = text.lowercased()
        func count(_ needle: String) -> Int { lower.components(separatedBy: needle).count - 1 }
        let postgres =
            count("::") + count("nextval(") + count("create sequence") + count("search_path") + count("owner to") + count("pg_catalog")
            + count(" serial") + count("bigserial") + count("timestamp with") + count("jsonb") + count(" bytea")
        let mysql = count("`") / 2 + count("engine=") * 3 + count("auto_increment") * 3 + count("/*!") + count("unsigned")
        let sqlite =
            count("autoincrement") * 3 + count("pragma") * 3 + count("without rowid") * 3 + count("create virtual table")
            + count("datetime('now')") * 3 + count("create table [") * 3 + count("create table if not exists [") * 3
        if mysql > postgres, mysql >= sqlite { return .mysql }
        if sqlite > postgres, sqlite > mysql { return .sqlite }
        if postgres == 0, mysql == 0, sqlite == 0, lower.contains("integer primary key") { return .sqlite }
        return .postgresql
    }
}
