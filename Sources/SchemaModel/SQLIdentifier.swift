/// Quoting of SQL identifiers and string literals, in one place for every dialect.
public enum SQLIdentifier {
    /// True when `name` can appear bare on every dialect: lowercase, plain, and not a keyword.
    public static func isBareSafe(_ name: String) -> Bool {
        guard Identifiers.isPlainIdentifier(name) else { return false }
        // A plain identifier is ASCII: it equals its lowercase form exactly when it has no A-Z, and
        // then it is its own lowercase form for the keyword lookup too.
        if name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) { return false }
        return !ReservedWords.sql.contains(name)
    }

    /// `name` quoted for `dialect` when it has to be (reserved word, uppercase, unusual characters).
    public static func quoted(_ name: String, for dialect: Dialect) -> String {
        if isBareSafe(name) { return name }
        switch dialect {
        case .mysql: return "`" + FastText.replacing("`", with: "``", in: name) + "`"
        case .postgresql, .sqlite: return "\"" + FastText.replacing("\"", with: "\"\"", in: name) + "\""
        }
    }

    /// A single-quoted SQL string literal (`'it''s'`); MySQL also needs backslashes doubled.
    public static func literal(_ text: String, for dialect: Dialect) -> String {
        var escaped = FastText.replacing("'", with: "''", in: text)
        if dialect == .mysql { escaped = FastText.replacing("\\", with: "\\\\", in: escaped) }
        return "'" + escaped + "'"
    }
}
