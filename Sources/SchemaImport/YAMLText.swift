import Foundation

/// A YAML value the importer writes: scalars, flow sequences and mappings (one line each), and block
/// mappings for the document's structure. Rendered once, by `render`.
indirect enum YAMLValue {
    /// A plain word where YAML reads it back as the same string; quoted otherwise.
    case string(String)
    /// Always quoted: a string that must not read back as anything else (a default's text).
    case quoted(String)
    /// Written as is: a number, `true`, `false`.
    case literal(String)
    case flowSequence([YAMLValue])
    case flowMapping([(String, YAMLValue)])
    case block([(String, YAMLValue)])

    /// `self` as the value after `key:` at `indent`.
    func render(key: String, indent: Int, into out: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case let .block(entries):
            out.append("\(pad)\(YAMLText.key(key)):" + (entries.isEmpty ? " {}" : ""))
            for (k, v) in entries { v.render(key: k, indent: indent + 2, into: &out) }
        default:
            out.append("\(pad)\(YAMLText.key(key)): \(inline)")
        }
    }

    var inline: String {
        switch self {
        case let .string(s): return YAMLText.scalar(s)
        case let .quoted(s): return YAMLText.quoted(s)
        case let .literal(s): return s
        case let .flowSequence(items): return "[" + items.map(\.inline).joined(separator: ", ") + "]"
        case let .flowMapping(entries), let .block(entries):
            return "{" + entries.map { "\(YAMLText.key($0.0)): \($0.1.inline)" }.joined(separator: ", ") + "}"
        }
    }
}

enum YAMLText {
    /// A mapping key: plain when it is an identifier.
    static func key(_ s: String) -> String { isPlainWord(s) && !isSpecial(s) ? s : quoted(s) }

    /// A scalar: plain when YAML 1.1 and 1.2 both read it back as this same string.
    static func scalar(_ s: String) -> String { isPlainWord(s) && !isSpecial(s) ? s : quoted(s) }

    /// Letters, digits, `_` and inner `-`/`.`, not starting with a digit or a sign.
    static func isPlainWord(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "." }
            && !s.hasSuffix("-") && !s.hasSuffix(".")
    }

    /// Words YAML reads as booleans or null.
    static func isSpecial(_ s: String) -> Bool {
        ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"].contains(s.lowercased())
    }

    /// A double-quoted YAML string (JSON escapes are valid YAML escapes).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A comment block: each line prefixed with `# `.
    static func comment(_ lines: [String]) -> [String] { lines.map { $0.isEmpty ? "#" : "# " + $0 } }
}
