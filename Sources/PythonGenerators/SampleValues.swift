import CodeRendering
import Foundation
import SchemaModel

/// Python expressions for valid sample values of a column, used by the generated tests: they
/// respect types, lengths, bounds, decimal digits, enums and patterns (checked here against the
/// pattern with the `n` placeholder filled in), and vary with `n` for unique columns.
struct SampleValues {
    /// A Python expression for a value, and what it needs around it.
    struct Sample: Equatable {
        var expression: String
        /// It reads the factory's counter `n`.
        var usesCounter = false
        /// It calls `uuid.uuid4()`.
        var usesUUID = false
        /// It differs from object to object.
        var varies: Bool { usesCounter || usesUUID }
    }

    let schema: Schema

    /// String templates tried for pattern-constrained text; `{n}` is the varying counter.
    static let templates = [
        "{field}-{n}", "user{n}@example.com", "E{n}", "{n}", "x{n}", "a{n}", "A{n}", "item-{n}", "abc", "ABC", "a1",
        "https://example.com/{n}", "+1555{n}", "2024-01-0{n}",
    ]

    /// A Python expression (using a local `n: int`) for a value of `column`, or nil if none is known.
    func value(for column: Column) -> Sample? {
        if Self.standsInForNativeType(column) { return nil }
        let v = column.validation
        switch column.type {
        case .int, .bigint, .smallint:
            let lo = Int(v?.minimum.map { ceil($0) } ?? 1)
            let hi = v?.maximum.map { Int(floor($0)) }
            if let hi, hi < lo { return nil }
            let span = hi.map { $0 - lo + 1 } ?? (column.type == .smallint ? 30000 : 1_000_000)
            return Sample(expression: lo == 0 ? "n % \(span)" : "\(lo) + n % \(span)", usesCounter: true)
        case .float:
            var x = 1.5
            if let lo = v?.minimum, x < lo { x = lo }
            if let hi = v?.maximum, x > hi { x = hi }
            return Sample(expression: String(x))
        case let .decimal(p, s):
            var x = p - s >= 1 ? 1.0 : 0.1
            if let lo = v?.minimum, x < lo { x = lo }
            if let hi = v?.maximum, x > hi { x = hi }
            return Sample(expression: PythonRenderer.quote(String(format: "%.\(s)f", x)))
        case let .string(length):
            return text(column, maxLength: min(length, v?.maxLength ?? length))
        case .text:
            return text(column, maxLength: v?.maxLength ?? 10_000)
        case .bool: return Sample(expression: "True")
        case .date: return Sample(expression: "\"2024-01-15\"")
        case .time: return Sample(expression: "\"12:30:00\"")
        case .datetime: return Sample(expression: "\"2024-01-15T12:30:00Z\"")
        case .uuid: return Sample(expression: "str(uuid.uuid4())", usesUUID: true)
        case .json: return Sample(expression: "{\"n\": n}", usesCounter: true)
        case .bytes: return Sample(expression: "\"aGVsbG8=\"")
        case let .enumeration(name):
            return schema.enumType(named: name)?.values.first.map { Sample(expression: PythonRenderer.quote($0)) }
        case let .array(element):
            return value(for: Column(name: column.name, type: element)).map { inner in
                var list = inner
                list.expression = "[\(inner.expression)]"
                return list
            }
        }
    }

    /// A text field that stands in for a native type of another kind (INET, TSTZRANGE, an
    /// extension's type): no text is known to be valid there.
    static func standsInForNativeType(_ column: Column) -> Bool {
        let isText: Bool
        switch column.type {
        case .text, .string: isText = true
        default: isText = false
        }
        return isText && (column.nativeTypes?.values.contains { !isCharacterType($0) } ?? false)
    }

    /// Whether a native SQL type is one of characters (`CHAR(10)`, `citext`, `NVARCHAR(40)`,
    /// `mediumtext`), which any short text fits.
    static func isCharacterType(_ spelling: String) -> Bool {
        let base = spelling.lowercased().prefix { $0.isLetter || $0 == " " }.trimmingCharacters(in: .whitespaces)
        return [
            "char", "character", "varchar", "character varying", "nchar", "nvarchar", "national char", "national varchar", "text", "tinytext",
            "mediumtext", "longtext", "citext", "clob", "bpchar", "string",
        ].contains(base)
    }

    /// A literal value for a PATCH that differs from what `value(for:)` produces for small `n`.
    func changedValue(for column: Column) -> String? {
        if Self.standsInForNativeType(column) { return nil }
        switch column.type {
        case .bool: return "False"
        case let .string(length): return literalText(column, maxLength: min(length, column.validation?.maxLength ?? length), n: 987_654)
        case .text: return literalText(column, maxLength: column.validation?.maxLength ?? 10_000, n: 987_654)
        default: return nil
        }
    }

    private func literalText(_ column: Column, maxLength: Int, n: Int) -> String? {
        guard let template = textTemplate(column, maxLength: maxLength) else { return nil }
        let candidate = FastText.replacing("{n}", with: String(n), in: template)
        let pattern = column.validation?.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        guard candidate.count <= maxLength else { return nil }
        if let pattern, pattern.firstMatch(in: candidate, range: NSRange(candidate.startIndex..., in: candidate)) == nil { return nil }
        return PythonRenderer.quote(candidate)
    }

    /// A text sample: an f-string over `n` when the template varies, a plain string otherwise.
    private func text(_ column: Column, maxLength: Int) -> Sample? {
        guard let template = textTemplate(column, maxLength: maxLength) else { return nil }
        guard template.contains("{n}") else { return Sample(expression: PythonRenderer.quote(template)) }
        // In an f-string, braces of the text itself are doubled; `{n}` is the counter.
        let escaped = FastText.replacing("{n}", with: "\u{0}", in: template)
            .replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
            .replacingOccurrences(of: "\u{0}", with: "{n}")
        return Sample(expression: "f" + PythonRenderer.quote(escaped), usesCounter: true)
    }

    /// The first template whose values (for n = 1, 7, 1234) fit the column's length and pattern, or
    /// the shortest text the pattern matches.
    private func textTemplate(_ column: Column, maxLength: Int) -> String? {
        let minLength = column.validation?.minLength ?? 0
        let pattern = column.validation?.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        for template in Self.templates {
            let candidate = FastText.replacing("{field}", with: column.field, in: template)
            let fits = [1, 7, 1234].allSatisfy { n in
                let s = FastText.replacing("{n}", with: String(n), in: candidate)
                guard s.count <= maxLength, s.count >= minLength else { return false }
                guard let pattern else { return true }
                return pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
            }
            if fits { return candidate }
        }
        // No template fits the pattern: the shortest text it matches (the same for every object).
        guard let source = column.validation?.pattern, let pattern, let text = PatternSample.shortest(source),
            (minLength...maxLength).contains(text.count), pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil,
            !text.contains("{n}")
        else { return nil }
        return text
    }
}
