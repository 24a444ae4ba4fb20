/// SQL keywords that must be quoted when used as identifiers on at least one dialect.
///
/// The union of PostgreSQL's reserved keywords, MySQL/MariaDB's reserved words and SQLite's keywords
/// that cannot be bare names; quoting a word that one dialect would accept bare is harmless.
public enum ReservedWords {
    public static let sql: Set<String> = [
        "accessible", "add", "all", "alter", "analyse", "analyze", "and", "any", "array", "as", "asc",
        "asensitive", "asymmetric", "authorization", "before", "between", "bigint", "binary", "blob", "both",
        "by", "call", "cascade", "case", "cast", "change", "char", "character", "check", "collate", "column",
        "concurrently", "condition", "constraint", "continue", "convert", "create", "cross", "current",
        "current_catalog", "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "cursor", "database", "databases", "day_hour",
        "day_microsecond", "day_minute", "day_second", "dec", "decimal", "declare", "default", "deferrable",
        "delayed", "delete", "desc", "describe", "deterministic", "distinct", "distinctrow", "div", "do",
        "double", "drop", "dual", "each", "else", "elseif", "enclosed", "end", "escape", "escaped", "except",
        "exists", "exit", "explain", "false", "fetch", "float", "float4", "float8", "for", "force",
        "foreign", "freeze", "from", "full", "fulltext", "generated", "get", "glob", "grant", "group",
        "having", "high_priority", "hour_microsecond", "hour_minute", "hour_second", "if", "ignore",
        "ilike", "in", "index", "infile", "initially", "inner", "inout", "insensitive", "insert", "int",
        "int1", "int2", "int3", "int4", "int8", "integer", "intersect", "interval", "into", "is", "isnull",
        "iterate", "join", "key", "keys", "kill", "lateral", "leading", "leave", "left", "like", "limit",
        "linear", "lines", "load", "localtime", "localtimestamp", "lock", "long", "longblob", "longtext",
        "loop", "low_priority", "match", "mediumblob", "mediumint", "mediumtext", "middleint",
        "minute_microsecond", "minute_second", "mod", "modifies", "natural", "not", "notnull",
        "no_write_to_binlog", "null", "numeric", "offset", "on", "only", "optimize", "option",
        "optionally", "or", "order", "out", "outer", "outfile", "over", "overlaps", "partition", "placing",
        "precision", "primary", "procedure", "purge", "range", "read", "reads", "read_write", "real",
        "recursive", "references", "regexp", "release", "rename", "repeat", "replace", "require",
        "restrict", "return", "returning", "revoke", "right", "rlike", "row", "rows", "schema", "schemas",
        "second_microsecond", "select", "sensitive", "separator", "session_user", "set", "show",
        "similar", "smallint", "some", "spatial", "specific", "sql", "sqlexception", "sqlstate",
        "sqlwarning", "sql_big_result", "sql_calc_found_rows", "sql_small_result", "ssl", "starting",
        "straight_join", "symmetric", "system_user", "table", "terminated", "then", "tinyblob", "tinyint",
        "tinytext", "to", "trailing", "transaction", "trigger", "true", "undo", "union", "unique",
        "unlock", "unsigned", "update", "usage", "use", "user", "using", "utc_date", "utc_time",
        "utc_timestamp", "values", "varbinary", "varchar", "varcharacter", "variadic", "varying",
        "verbose", "when", "where", "while", "window", "with", "write", "xor", "year_month", "zerofill",
        "abort", "action", "after", "attach", "autoincrement", "begin", "commit", "conflict", "deferred",
        "detach", "exclusive", "fail", "filter", "following", "immediate", "indexed", "instead",
        "materialized", "no", "nothing", "nulls", "of", "others", "plan", "pragma", "preceding", "query",
        "raise", "reindex", "rollback", "savepoint", "temp", "temporary", "ties", "unbounded", "vacuum",
        "view", "virtual", "without", "exclude", "groups", "rowid", "level", "status", "position", "value",
    ]

    public static func isReserved(_ word: String) -> Bool { sql.contains(word.lowercased()) }

    /// `sql.contains(word)` for a word given as bytes in [a-z0-9_] (ASCII strings are equal exactly
    /// when their bytes are), without hashing: the keywords by length and first byte.
    static func contains(lowercaseBytes word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first, word.count < byLengthAndFirst.count / 256 else { return false }
        for candidate in byLengthAndFirst[word.count * 256 + Int(first)] where candidate.elementsEqual(word) { return true }
        return false
    }

    private static let byLengthAndFirst: [[[UInt8]]] = {
        let longest = sql.map(\.utf8.count).max() ?? 0
        var table = [[[UInt8]]](repeating: [], count: (longest + 1) * 256)
        for word in sql.sorted() {
            let bytes = Array(word.utf8)
            table[bytes.count * 256 + Int(bytes[0])].append(bytes)
        }
        return table
    }()
}
