import SchemaModel

/// The PostgreSQL extensions that `native:` types need: `CITEXT` is the `citext` extension's type,
/// and a database has none of them until `CREATE EXTENSION` runs. The DDL, the migrations (SQL
/// scripts and Alembic revisions) and the models' `create_all` all create them from this list.
public enum PostgresExtensions {
    /// The extension of each type name (lowercased, without its arguments or `[]`).
    static let byType: [String: String] = [
        "citext": "citext", "hstore": "hstore", "ltree": "ltree", "lquery": "ltree", "ltxtquery": "ltree", "cube": "cube",
        "vector": "vector", "halfvec": "vector", "sparsevec": "vector", "geometry": "postgis", "geography": "postgis",
        "isbn": "isn", "isbn13": "isn", "issn": "isn", "issn13": "isn", "ean13": "isn", "upc": "isn", "ismn": "isn", "ismn13": "isn",
        "seg": "seg",
    ]

    /// The extension the PostgreSQL type `spelling` belongs to, if any (`CITEXT`, `vector(3)`,
    /// `public.hstore`, `ltree[]`).
    public static func extensionOf(_ spelling: String) -> String? {
        var name = Substring(spelling.lowercased())
        if let cut = name.firstIndex(where: { $0 == "(" || $0 == "[" || $0 == " " }) { name = name[..<cut] }
        if let dot = name.lastIndex(of: ".") { name = name[name.index(after: dot)...] }
        return byType[String(name)]
    }

    /// The extensions `schema`'s PostgreSQL native types need, sorted.
    public static func required(by schema: Schema) -> [String] {
        var found: Set<String> = []
        for table in schema.tables {
            for column in table.columns {
                if let native = column.nativeType(for: .postgresql), let ext = extensionOf(native) { found.insert(ext) }
            }
        }
        return found.sorted()
    }

    /// The extensions a migration from `old` to `new` creates: those `new` needs and `old` did not
    /// (a downgrade drops none: other objects of the database may use them).
    public static func added(from old: Schema, to new: Schema) -> [String] {
        let had = Set(required(by: old))
        return required(by: new).filter { !had.contains($0) }
    }

    /// `CREATE EXTENSION IF NOT EXISTS <name>` (idempotent; never dropped by a downgrade, which
    /// other objects of the database may need).
    public static func createStatement(_ name: String) -> String { "CREATE EXTENSION IF NOT EXISTS \(name)" }
}
