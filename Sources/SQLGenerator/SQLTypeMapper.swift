import Foundation
import SchemaModel

/// The portable type table (README, "Types") for one dialect, and default expressions.
public struct SQLTypeMapper: Sendable {
    public let dialect: Dialect

    public init(dialect: Dialect) { self.dialect = dialect }

    public func sqlType(_ type: ColumnType, schema: Schema) -> String {
        switch (type, dialect) {
        case (.int, .mysql): return "INT"
        case (.int, _): return "INTEGER"
        case (.bigint, _): return "BIGINT"
        case (.smallint, _): return "SMALLINT"
        case (.float, .postgresql): return "DOUBLE PRECISION"
        case (.float, .mysql): return "DOUBLE"
        case (.float, .sqlite): return "REAL"
        case let (.decimal(p, s), .postgresql), let (.decimal(p, s), .sqlite): return "NUMERIC(\(p), \(s))"
        case let (.decimal(p, s), .mysql): return "DECIMAL(\(p), \(s))"
        case let (.string(n), _): return "VARCHAR(\(n))"
        case (.text, _): return "TEXT"
        case (.bool, .mysql): return "BOOL"
        case (.bool, _): return "BOOLEAN"
        case (.date, _): return "DATE"
        case (.time, _): return "TIME"
        case (.datetime, .postgresql): return "TIMESTAMP WITH TIME ZONE"
        case (.datetime, .mysql): return "DATETIME(6)"
        case (.datetime, .sqlite): return "DATETIME"
        case (.uuid, .postgresql): return "UUID"
        case (.uuid, _): return "CHAR(36)"
        case (.json, .postgresql): return "JSONB"
        case (.json, _): return "JSON"
        case (.bytes, .postgresql): return "BYTEA"
        case (.bytes, .mysql): return "LONGBLOB"
        case (.bytes, .sqlite): return "BLOB"
        case let (.enumeration(name), .postgresql):
            return SQLIdentifier.quoted(schema.enumType(named: name)?.databaseName ?? Identifiers.snakeCase(name), for: dialect)
        case let (.enumeration(name), .mysql):
            let values = schema.enumType(named: name)?.values ?? []
            return "ENUM(\(values.map { SQLIdentifier.literal($0, for: dialect) }.joined(separator: ", ")))"
        case let (.enumeration(name), .sqlite):
            let longest = schema.enumType(named: name)?.values.map(\.count).max() ?? 1
            return "VARCHAR(\(longest))"
        case let (.array(element), .postgresql): return sqlType(element, schema: schema) + "[]"
        case (.array, _): return "JSON"
        }
    }

    /// The SQL after `DEFAULT`.
    public func defaultExpression(_ value: ColumnDefault, type: ColumnType, schema: Schema) -> String {
        switch value.kind {
        case .sql:
            let sql = FastText.trimmingWhitespace(value.value ?? "")
            return Self.isWrappedInParentheses(sql) ? sql : "(\(sql))"
        case .now:
            switch (type, dialect) {
            case (.date, .mysql): return "(CURRENT_DATE)"
            case (.time, .mysql): return "(CURRENT_TIME)"
            case (.datetime, .mysql): return "CURRENT_TIMESTAMP(6)"
            case (.date, _): return "CURRENT_DATE"
            case (.time, _): return "CURRENT_TIME"
            default: return "CURRENT_TIMESTAMP"
            }
        case .uuid:
            switch dialect {
            case .postgresql: return "gen_random_uuid()"
            case .mysql: return "(uuid())"
            case .sqlite:
                // A version-4 UUID in its 36-character text form.
                return
                    "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"
            }
        case .literal:
            let text = value.value ?? ""
            switch type {
            case .bool:
                if dialect == .postgresql { return text == "true" ? "true" : "false" }
                return text == "true" ? "1" : "0"
            case .int, .bigint, .smallint, .float, .decimal:
                return text
            case .text, .json:
                let literal = SQLIdentifier.literal(text, for: dialect)
                return dialect == .mysql ? "(\(literal))" : literal
            case .array:
                if dialect == .postgresql { return postgresArrayLiteral(text, type: type, schema: schema) }
                let literal = SQLIdentifier.literal(text, for: dialect)
                return dialect == .mysql ? "(\(literal))" : literal
            default:
                return SQLIdentifier.literal(text, for: dialect)
            }
        }
    }

    /// True when the first `(` closes at the very last character: `(a + b)`, not `(a) + (b)`.
    /// Parentheses inside string literals are ignored.
    public static func isWrappedInParentheses(_ sql: String) -> Bool {
        guard sql.hasPrefix("("), sql.hasSuffix(")") else { return false }
        var depth = 0
        var inString = false
        let characters = Array(sql)
        for (i, c) in characters.enumerated() {
            if c == "'" { inString.toggle() }
            if inString { continue }
            if c == "(" { depth += 1 }
            if c == ")" {
                depth -= 1
                if depth == 0 { return i == characters.count - 1 }
            }
        }
        return false
    }

    /// `[1, 2]` -> `ARRAY[1, 2]::INTEGER[]`; `[]` -> `'{}'`.
    private func postgresArrayLiteral(_ json: String, type: ColumnType, schema: Schema) -> String {
        guard let data = json.data(using: .utf8), let items = (try? JSONSerialization.jsonObject(with: data)) as? [Any], !items.isEmpty else {
            return "'{}'"
        }
        let rendered = items.map { item -> String in
            if let s = item as? String { return SQLIdentifier.literal(s, for: dialect) }
            let data = (try? JSONSerialization.data(withJSONObject: [item], options: [.fragmentsAllowed])) ?? Data("[null]".utf8)
            return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
        }
        return "ARRAY[\(rendered.joined(separator: ", "))]::\(sqlType(type, schema: schema))"
    }
}
