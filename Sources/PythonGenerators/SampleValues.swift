import Foundation
import SchemaModel

/// Python expressions for valid sample values of a column, used by the generated tests: they
/// respect types, lengths, bounds, decimal digits, enums and patterns (checked here against the
/// pattern with the `n` placeholder filled in), and vary with `n` for unique columns.
struct SampleValues {
    let schema: Schema

    /// String templates tried for pattern-constrained text; `{n}` is the varying counter.
    static let templates = [
        "{field}-{n}", "user{n}@example.com", "E{n}", "{n}", "x{n}", "a{n}", "A{n}", "item-{n}", "abc", "ABC", "a1",
        "https://example.com/{n}", "+1555{n}", "2024-01-0{n}",
    ]

    /// A Python expression (using a local `n: int`) for a value of `column`, or nil if none is known.
    func value(for column: Column) -> String? {
        let v = column.validation
        switch column.type {
        case .int, .bigint, .smallint:
            let lo = Int(v?.minimum.map { ceil($0) } ?? 1)
            let hi = v?.maximum.map { Int(floor($0)) }
            if let hi, hi < lo { return nil }
            let span = hi.map { $0 - lo + 1 } ?? (column.type == .smallint ? 30000 : 1_000_000)
            return lo == 0 ? "n % \(span)" : "\(lo) + n % \(span)"
        case .float:
            var x = 1.5
            if let lo = v?.minimum, x < lo { x = lo }
            if let hi = v?.maximum, x > hi { x = hi }
            return String(x)
        case let .decimal(p, s):
            var x = p - s >= 1 ? 1.0 : 0.1
            if let lo = v?.minimum, x < lo { x = lo }
            if let hi = v?.maximum, x > hi { x = hi }
            return PythonRendererQuote.quote(String(format: "%.\(s)f", x))
        case let .string(length):
            return text(column, maxLength: min(length, v?.maxLength ?? length))
        case .text:
            return text(column, maxLength: v?.maxLength ?? 10_000)
        case .bool: return "True"
        case .date: return "\"2024-01-15\""
        case .time: return "\"12:30:00\""
        case .datetime: return "\"2024-01-15T12:30:00Z\""
        case .uuid: return "str(uuid.uuid4())"
        case .json: return "{\"n\": n}"
        case .bytes: return "\"aGVsbG8=\""
        case let .enumeration(name):
            return schema.enumType(named: name)?.values.first.map(PythonRendererQuote.quote)
        case let .array(element):
            let inner = Column(name: column.name, type: element)
            return value(for: inner).map { "[\($0)]" }
        }
    }

    /// A literal value for a PATCH that differs from what `value(for:)` produces for small `n`.
    func changedValue(for column: Column) -> String? {
        switch column.type {
        case .bool: return "False"
        case let .string(length): return literalText(column, maxLength: min(length, column.validation?.maxLength ?? length), n: 987_654)
        case .text: return literalText(column, maxLength: column.validation?.maxLength ?? 10_000, n: 987_654)
        default: return nil
        }
    }

    private func literalText(_ column: Column, maxLength: Int, n: Int) -> String? {
        guard let expression = text(column, maxLength: maxLength), expression.hasPrefix("f\"") else { return nil }
        let candidate = FastText.replacing("{n}", with: String(n), in: String(expression.dropFirst(2).dropLast()))
        let pattern = column.validation?.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        guard candidate.count <= maxLength else { return nil }
        if let pattern, pattern.firstMatch(in: candidate, range: NSRange(candidate.startIndex..., in: candidate)) == nil { return nil }
        return "\"" + candidate + "\""
    }

    private func text(_ column: Column, maxLength: Int) -> String? {
        let minLength = column.validation?.minLength ?? 0
        if column.validation?.pattern == nil, FastText.isASCII(column.field),
           column.field.utf8.count + 5 <= maxLength, column.field.utf8.count + 2 >= minLength {
            // The first template, "{field}-{n}", fits for every n tried (1, 7, 1234) and there is no
            // pattern to check: what the loop below would return.
            let escaped = FastText.replacing("\"", with: "\\\"", in: FastText.replacing("\\", with: "\\\\", in: column.field))
            return "f\"" + escaped + "-{n}\""
        }
        let pattern = column.validation?.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        for template in Self.templates {
            let candidate = FastText.replacing("{field}", with: column.field, in: template)
            let fits = [1, 7, 1234].allSatisfy { n in
                let s = FastText.replacing("{n}", with: String(n), in: candidate)
                guard s.count <= maxLength, s.count >= minLength else { return false }
                guard let pattern else { return true }
                return pattern.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
            }
            if fits {
                let escaped = FastText.replacing("\"", with: "\\\"", in: FastText.replacing("\\", with: "\\\\", in: candidate))
                return candidate.contains("{n}") ? "f\"\(escaped)\"" : "\"\(escaped)\""
            }
        }
        return nil
    }
}

/// Python string quoting without importing the renderer into every call site.
enum PythonRendererQuote {
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
