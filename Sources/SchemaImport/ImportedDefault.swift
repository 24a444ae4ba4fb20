import Foundation
import SchemaModel

/// A column default as the schema language says it: `now`, `uuid`, a literal, `{sql: ...}`, or the
/// sequence of an autoincrementing key.
enum ImportedDefault {
    case autoincrement
    case none
    case value(YAMLValue)

    init(sql: String, dialect: Dialect, type: FieldType) {
        let tokens = SQLScanner.statements(of: sql).first?.tokens ?? []
        // Casts (`'x'::character varying`, `(0)::numeric`) do not change the value.
        var core = tokens
        if let cast = core.firstIndex(where: { $0.isSymbol("::") }) { core = Array(core[..<cast]) }
        while core.count >= 2, core.first!.isSymbol("("), core.last!.isSymbol(")") { core = Array(core.dropFirst().dropLast()) }
        let words = core.map { $0.text.lowercased() }.joined(separator: " ")
        guard !core.isEmpty else {
            self = .none
            return
        }
        if words.hasPrefix("nextval (") || words.hasPrefix("nextval(") {
            self = .autoincrement
            return
        }
        if words == "null" {
            self = .none
            return
        }
        let isTemporal = ["date", "time", "datetime"].contains(type.type)
        let nowSpellings: Set<String> = [
            "now ( )", "current_timestamp", "current_timestamp ( )", "localtimestamp", "current_date", "current_time", "localtime",
            "datetime ( 'now' )", "current_timestamp ( 6 )", "current_timestamp ( 3 )", "now ( 6 )", "transaction_timestamp ( )",
            "statement_timestamp ( )", "clock_timestamp ( )",
        ]
        let spaced = core.map { $0.kind == .string ? "'\($0.text)'" : $0.text.lowercased() }.joined(separator: " ")
        if isTemporal, nowSpellings.contains(spaced) {
            self = .value(.string("now"))
            return
        }
        if type.type == "uuid", ["gen_random_uuid ( )", "uuid_generate_v4 ( )", "uuid ( )"].contains(spaced) {
            self = .value(.string("uuid"))
            return
        }
        // A literal: one string or number (a sign allowed), or a boolean word.
        if core.count == 1 || (core.count == 2 && core[0].isSymbol("-") && core[1].kind == .number) {
            let token = core.last!
            let negative = core.count == 2
            switch token.kind {
            case .string, .number:
                let text = (negative ? "-" : "") + token.text
                self = Self.literal(text, isString: token.kind == .string, type: type) ?? .value(.flowMapping([("sql", .quoted(sql))]))
                return
            case .word where ["true", "false"].contains(token.text.lowercased()):
                if type.type == "bool" {
                    self = .value(.literal(token.text.lowercased()))
                    return
                }
            default:
                break
            }
        }
        self = .value(.flowMapping([("sql", .quoted(sql))]))
    }

    /// A literal default in the field's type, or nil when the text does not read as one.
    private static func literal(_ text: String, isString: Bool, type: FieldType) -> ImportedDefault? {
        switch type.portable {
        case .bool?:
            switch text.lowercased() {
            case "1", "t", "true", "y", "yes", "on": return .value(.literal("true"))
            case "0", "f", "false", "n", "no", "off": return .value(.literal("false"))
            default: return nil
            }
        case .int?, .bigint?, .smallint?:
            guard Int(text) != nil else { return nil }
            return .value(.literal(text))
        case .float?, .decimal?:
            guard Double(text) != nil, !text.hasPrefix("."), !text.hasSuffix(".") else { return nil }
            return .value(.literal(text))
        case .json?:
            guard let data = text.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                return nil
            }
            return .value(.quoted(text))
        case .string?, .text?, .enumeration?:
            return .value(.quoted(text))
        default:
            // Dates, times, UUIDs and bytes as literals are kept as SQL: their spellings differ per database.
            return nil
        }
    }
}
