/// Quoting of SQL identifiers and string literals, in one place for every dialect.
public enum SQLIdentifier {
    /// True when `name` can appear bare on every dialect: lowercase, plain, and not a keyword.
    public static func isBareSafe(_ name: String) -> Bool {
        // Plain, lowercase and not a keyword: bytes in [a-z0-9_], not starting with a digit (a plain
        // identifier is ASCII, and it equals its lowercase form exactly when it has no A-Z).
        if let safe = name.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let first = bytes.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
            for byte in bytes {
                let ok =
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_")
                if !ok { return false }
            }
            return !ReservedWords.contains(lowercaseBytes: bytes)
        }) {
            return safe
        }
        guard Identifiers.isPlainIdentifier(name), name == name.lowercased() else { return false }
        return !ReservedWords.isReserved(name)
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
