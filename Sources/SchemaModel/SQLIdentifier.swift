/// Quoting of SQL identifiers and string literals, in one place for every dialect.
public enum SQLIdentifier {
    /// True when `name` can appear bare on every dialect: lowercase, plain, and not a keyword.
    public static func isBareSafe(_ name: String) -> Bool {
        guard Identifiers.isPlainIdentifier(name), name == name.lowercased() else { return false }
        return !ReservedWords.isReserved(name)
    }

    /// `name` quoted for `dialect` when it has to be (reserved word, uppercase, unusual characters).
    public static func quoted(_ name: String, for dialect: Dialect) -> String {
        if isBareSafe(name) { return name }
        switch dialect {
        case .mysql: return "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        case .postgresql, .sqlite: return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    /// A single-quoted SQL string literal (`'it''s'`); MySQL also needs backslashes doubled.
    public static func literal(_ text: String, for dialect: Dialect) -> String {
        var escaped = text.replacingOccurrences(of: "'", with: "''")
        if dialect == .mysql { escaped = escaped.replacingOccurrences(of: "\\", with: "\\\\") }
        return "'" + escaped + "'"
    }
}
