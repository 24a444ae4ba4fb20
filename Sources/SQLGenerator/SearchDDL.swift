import SchemaModel

/// What `search:` (`TextSearch`) adds beside a table, spelled for one dialect: the one place that
/// knows how each database searches text. The DDL, the migrations (SQL and Alembic) and the
/// generated models' DDL events all take their statements from here.
///
/// - PostgreSQL: a stored generated `tsvector` column (each searched column weighted A, B, C, D in
///   order, so that a match in the first ranks highest) and a GIN index on it.
/// - MySQL/MariaDB: a FULLTEXT index on the columns (InnoDB; no stemming, natural language mode).
/// - SQLite: an FTS5 table over the columns with the table as its external content, kept in step by
///   three triggers (the Porter stemmer for English).
public struct SearchDDL: Sendable {
    public let dialect: Dialect
    private let sql: SQLRenderer

    public init(dialect: Dialect) {
        self.dialect = dialect
        sql = SQLRenderer(dialect: dialect)
    }

    /// The name of the index (PostgreSQL, MySQL) or of the FTS5 table (SQLite) in the database:
    /// the convention's name shortened to the dialect's limit.
    public func indexName(_ search: TextSearch) -> String {
        Identifiers.shorten(search.name, limit: dialect.maxIdentifierLength)
    }

    /// Adds the search to `table`; rows already in the table are indexed too.
    public func create(_ search: TextSearch, on table: String) -> [String] {
        let name = indexName(search)
        switch dialect {
        case .postgresql:
            let weights = ["A", "B", "C", "D"]
            let vector = search.columns.enumerated().map { n, column in
                "setweight(to_tsvector(\(sql.literal(search.language))::regconfig, coalesce(\(sql.quote(column)), '')), '\(weights[min(n, 3)])')"
            }
            return [
                "ALTER TABLE \(sql.quote(table)) ADD COLUMN \(sql.quote(search.vectorColumn)) tsvector GENERATED ALWAYS AS (\(vector.joined(separator: " || "))) STORED",
                "CREATE INDEX \(sql.quote(name)) ON \(sql.quote(table)) USING GIN (\(sql.quote(search.vectorColumn)))",
            ]
        case .mysql:
            return ["CREATE FULLTEXT INDEX \(sql.quote(name)) ON \(sql.quote(table)) (\(search.columns.map(sql.quote).joined(separator: ", ")))"]
        case .sqlite:
            let tokenizer = search.language == "english" ? "porter unicode61 remove_diacritics 2" : "unicode61 remove_diacritics 2"
            let columns = search.columns.map(sql.quote).joined(separator: ", ")
            // bm25's weights as PostgreSQL's A, B, C, D: the first column weighs most.
            let weights = search.columns.indices.map { ["1.0", "0.4", "0.2", "0.1"][min($0, 3)] }.joined(separator: ", ")
            return [
                "CREATE VIRTUAL TABLE \(sql.quote(name)) USING fts5(\(columns), content=\(sql.literal(table)), tokenize=\(sql.literal(tokenizer)))",
                "INSERT INTO \(sql.quote(name))(\(sql.quote(name)), rank) VALUES ('rank', 'bm25(\(weights))')",
            ] + triggers(search, on: table) + ["INSERT INTO \(sql.quote(name))(\(sql.quote(name))) VALUES ('rebuild')"]
        }
    }

    /// Removes the search from `table` (the table and its rows stay).
    public func drop(_ search: TextSearch, on table: String) -> [String] {
        let name = indexName(search)
        switch dialect {
        case .postgresql:
            return ["DROP INDEX \(sql.quote(name))", "ALTER TABLE \(sql.quote(table)) DROP COLUMN \(sql.quote(search.vectorColumn))"]
        case .mysql:
            return ["DROP INDEX \(sql.quote(name)) ON \(sql.quote(table))"]
        case .sqlite:
            return triggerNames(search).map { "DROP TRIGGER IF EXISTS \(sql.quote($0))" } + ["DROP TABLE IF EXISTS \(sql.quote(name))"]
        }
    }

    /// SQLite: after a migration rebuilt `table` (copy, drop, rename), which drops its triggers and may
    /// renumber its rows: the triggers again and the index rebuilt. Nothing elsewhere.
    public func restore(_ search: TextSearch, on table: String) -> [String] {
        guard dialect == .sqlite else { return [] }
        let name = indexName(search)
        return triggers(search, on: table, ifNotExists: true) + ["INSERT INTO \(sql.quote(name))(\(sql.quote(name))) VALUES ('rebuild')"]
    }

    private func triggerNames(_ search: TextSearch) -> [String] {
        let name = indexName(search)
        return ["\(name)_insert", "\(name)_delete", "\(name)_update"]
    }

    /// The external-content triggers of the FTS5 documentation: an insert adds the row's text, a
    /// delete removes the old text, an update does both.
    private func triggers(_ search: TextSearch, on table: String, ifNotExists: Bool = false) -> [String] {
        let name = sql.quote(indexName(search))
        let columns = search.columns.map(sql.quote)
        let list = (["rowid"] + columns).joined(separator: ", ")
        let add = "INSERT INTO \(name)(\(list)) VALUES (\((["new.rowid"] + columns.map { "new.\($0)" }).joined(separator: ", ")));"
        let remove =
            "INSERT INTO \(name)(\(name), \(list)) VALUES ('delete', \((["old.rowid"] + columns.map { "old.\($0)" }).joined(separator: ", ")));"
        let names = triggerNames(search).map(sql.quote)
        let create = ifNotExists ? "CREATE TRIGGER IF NOT EXISTS" : "CREATE TRIGGER"
        return [
            "\(create) \(names[0]) AFTER INSERT ON \(sql.quote(table)) BEGIN \(add) END",
            "\(create) \(names[1]) AFTER DELETE ON \(sql.quote(table)) BEGIN \(remove) END",
            "\(create) \(names[2]) AFTER UPDATE ON \(sql.quote(table)) BEGIN \(remove) \(add) END",
        ]
    }
}
