import Foundation

/// Renders `PythonModule` trees as text in `ruff format`'s style (black-compatible): four-space
/// indentation, double quotes, two blank lines around top-level definitions, and calls or
/// collections that do not fit the line split first onto one indented line, then one item per line
/// with a trailing comma.
public struct PythonRenderer: Sendable {
    public let lineLength: Int

    public init(lineLength: Int = 88) { self.lineLength = lineLength }

    // MARK: Modules

    public func render(_ module: PythonModule) -> String {
        var out = ""
        out.reserveCapacity(4096)
        if let header = module.headerComment {
            out += "# "
            out += header
        }
        if let doc = module.docstring {
            if !out.isEmpty { out += "\n" }
            writeDocstring(doc, indent: 0, into: &out)
        }
        let imports = module.imports.render(lineLength: lineLength)
        if !imports.isEmpty {
            if !out.isEmpty { out += "\n\n" }
            for (i, line) in imports.enumerated() {
                if i > 0 { out += "\n" }
                out += line
            }
        }
        if !module.body.isEmpty {
            let start = out.utf8.count
            if !out.isEmpty { out += isDefinition(module.body.first) ? "\n\n\n" : "\n\n" }
            let bodyStart = out.utf8.count
            writeStatements(module.body, indent: 0, into: &out)
            // An empty body text adds no separator.
            if out.utf8.count == bodyStart { Self.truncate(&out, toUTF8Count: start) }
        }
        if out.utf8.last != UInt8(ascii: "\n") { out += "\n" }
        return out
    }

    private func isDefinition(_ statement: PythonStatement?) -> Bool {
        switch statement {
        case .function?, .class?: return true
        case let .raw(text)?, let .verbatim(text)?:
            // The first word after leading spaces and newlines (ASCII: compared as bytes).
            let bytes = text.utf8
            guard let start = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }) else { return false }
            let head = bytes[start...]
            return head.starts(with: "def ".utf8) || head.starts(with: "async def ".utf8) || head.starts(with: "class ".utf8)
                || head.first == UInt8(ascii: "@")
        default: return false
        }
    }

    /// Drops everything after the first `count` UTF-8 bytes of `text` (a boundary this renderer wrote).
    @inline(__always)
    static func truncate(_ text: inout String, toUTF8Count count: Int) {
        guard text.utf8.count > count else { return }
        text.removeSubrange(text.utf8.index(text.utf8.startIndex, offsetBy: count)..<text.endIndex)
    }

    // MARK: Statements

    /// Statements at one level, with the blank lines ruff expects between them.
    public func render(statements: [PythonStatement], indent: Int) -> String {
        var out = ""
        writeStatements(statements, indent: indent, into: &out)
        return out
    }

    /// `render(statements:indent:)`, appended to `out`.
    func writeStatements(_ statements: [PythonStatement], indent: Int, into out: inout String) {
        var previousIsDefinition: Bool?
        for statement in statements {
            let definition = isDefinition(statement)
            if let previousIsDefinition {
                out += "\n"
                if definition || previousIsDefinition { out += indent == 0 ? "\n\n" : "\n" }
            }
            write(statement, indent: indent, into: &out)
            previousIsDefinition = definition
        }
    }

    private static let pads: [String] = (0...32).map { String(repeating: " ", count: $0) }

    private func pad(_ indent: Int) -> String { indent <= 32 ? Self.pads[indent] : String(repeating: " ", count: indent) }

    private func writeBlock(_ body: [PythonStatement], indent: Int, into out: inout String) {
        if body.isEmpty {
            out += pad(indent)
            out += "pass"
        } else {
            writeStatements(body, indent: indent, into: &out)
        }
    }

    private func writeDocstring(_ text: String, indent: Int, into out: inout String) {
        let needsEscape = text.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }
        var escaped = !needsEscape ? text : text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "\\\"\\\"\\\"")
        if indent > 0, escaped.utf8.contains(UInt8(ascii: "\n")) {
            // Lines after the first at the docstring's indent (blank ones stay empty), and the
            // closing quotes too when the text ends with a line break.
            let lines = escaped.split(separator: "\n", omittingEmptySubsequences: false)
            escaped = lines.enumerated().map { i, line in
                i == 0 || (line.isEmpty && i < lines.count - 1) ? String(line) : pad(indent) + line
            }.joined(separator: "\n")
        }
        out += pad(indent)
        out += "\"\"\""
        out += escaped
        // A docstring ending in a quote would close early (`""""`): ruff puts a space before the
        // closing quotes, so does this.
        if escaped.hasSuffix("\"") { out += " " }
        out += "\"\"\""
    }

    public func render(_ statement: PythonStatement, indent: Int) -> String {
        var out = ""
        write(statement, indent: indent, into: &out)
        return out
    }

    /// A value ruff cannot split (a name or a literal): it wraps it in parentheses instead.
    static func isAtom(_ expr: PythonExpr) -> Bool {
        switch expr {
        case .name, .string, .rawString, .int, .number, .bool, .none: return true
        default: return false
        }
    }

    /// `render(_:indent:)`, appended to `out` (no trailing newline).
    func write(_ statement: PythonStatement, indent: Int, into out: inout String) {
        let p = pad(indent)
        switch statement {
        case let .assign(target, annotation, value):
            var prefix = target
            if let annotation {
                let annotationText = Self.flat(annotation)
                if let value, Self.isAtom(value), Self.longer(p + target + ": " + annotationText + " = " + Self.flat(value), than: lineLength),
                    !Self.longer(p + target + ": " + annotationText + " = (", than: lineLength),
                    !Self.longer(pad(indent + 4) + Self.flat(value), than: lineLength)
                {
                    // ruff splits the value first: `x: T = (` / value / `)`.
                    out += p + target + ": " + annotationText + " = (\n"
                    out += pad(indent + 4) + Self.flat(value) + "\n"
                    out += p + ")"
                    return
                }
                if case let .subscripted(base, items) = annotation, let value,
                    Self.longer(p + target + ": " + annotationText + " = " + Self.flat(value), than: lineLength),
                    Self.longer(p + target + ": " + annotationText + " = (", than: lineLength),
                    !Self.longer(pad(indent + 4) + items.map(Self.flat).joined(separator: ", "), than: lineLength)
                {
                    // Not even `x: T = (` fits: ruff splits the annotation's brackets, and the value
                    // follows the closing one (`] = Field(...)`).
                    out += p + target + ": " + Self.flat(base) + "[\n"
                    out += pad(indent + 4) + items.map(Self.flat).joined(separator: ", ") + "\n"
                    writeLines(value, prefix: "] = ", suffix: "", indent: indent, into: &out)
                    return
                }
                if case let .binary(left, "|", right) = annotation,
                    Self.longer(p + target + ": " + annotationText + (value == nil ? " =" : " = ("), than: lineLength)
                {
                    // ruff splits an over-long union annotation inside parentheses at `|` (also when
                    // only `x: A | B = (` is too long: it splits the annotation before the value).
                    out += p + target + ": (\n"
                    if indent + 4 + annotationText.utf8.count <= lineLength {
                        out += pad(indent + 4) + annotationText + "\n"  // fits inside the parentheses
                    } else {
                        out += pad(indent + 4) + Self.flat(left) + "\n"
                        out += pad(indent + 4) + "| " + Self.flat(right) + "\n"
                    }
                    out += p
                    out += ")"
                    if let value { out += " = " + Self.flat(value) }
                    return
                }
                prefix += ": "
                prefix += annotationText
            }
            guard let value else {
                out += p
                out += prefix
                return
            }
            prefix += " = "
            writeLines(value, prefix: prefix, suffix: "", indent: indent, into: &out)
        case let .expression(expr):
            writeLines(expr, prefix: "", suffix: "", indent: indent, into: &out)
        case let .return(expr):
            guard let expr else {
                out += p
                out += "return"
                return
            }
            writeLines(expr, prefix: "return ", suffix: "", indent: indent, into: &out)
        case let .raise(expr):
            writeLines(expr, prefix: "raise ", suffix: "", indent: indent, into: &out)
        case .pass:
            out += p
            out += "pass"
        case let .comment(text):
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if i > 0 { out += "\n" }
                out += p
                out += "# "
                out += line
            }
        case let .raw(text):
            // Line by line; only a line too long for the limit goes through `wrap`.
            out.reserveCapacity(out.utf8.count + text.utf8.count + text.utf8.count / 8)
            var first = true
            for line in Self.lines(of: text) {
                if !first { out += "\n" }
                first = false
                if line.isEmpty { continue }
                if p.utf8.count + line.utf8.count <= lineLength {
                    out += p
                    out += line
                } else {
                    for (i, wrapped) in wrap(p + line).enumerated() {
                        if i > 0 { out += "\n" }
                        out += wrapped
                    }
                }
            }
        case let .verbatim(text):
            if indent == 0 {
                out += text
            } else {
                for (i, line) in Self.lines(of: text).enumerated() {
                    if i > 0 { out += "\n" }
                    if !line.isEmpty {
                        out += p
                        out += line
                    }
                }
            }
        case let .function(f):
            writeFunction(f, indent: indent, into: &out)
        case let .class(c):
            for decorator in c.decorators {
                out += p
                out += "@"
                Self.write(decorator, into: &out)
                out += "\n"
            }
            out += p
            out += "class "
            out += c.name
            if !c.bases.isEmpty {
                out += "("
                for (i, base) in c.bases.enumerated() {
                    if i > 0 { out += ", " }
                    Self.write(base, into: &out)
                }
                out += ")"
            }
            out += ":\n"
            if let doc = c.docstring {
                writeDocstring(doc, indent: indent + 4, into: &out)
                if !c.body.isEmpty { out += "\n\n" }
            }
            if !c.body.isEmpty {
                writeStatements(c.body, indent: indent + 4, into: &out)
            } else if c.docstring == nil {
                out += pad(indent + 4)
                out += "pass"
            }
        case let .if(condition, body, orElse):
            out += p
            out += "if "
            Self.write(condition, into: &out)
            out += ":\n"
            writeBlock(body, indent: indent + 4, into: &out)
            if !orElse.isEmpty {
                out += "\n"
                out += p
                out += "else:\n"
                writeBlock(orElse, indent: indent + 4, into: &out)
            }
        case let .with(items, body, isAsync):
            out += p
            out += isAsync ? "async with " : "with "
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                Self.write(item.0, into: &out)
                if let name = item.1 {
                    out += " as "
                    out += name
                }
            }
            out += ":\n"
            writeBlock(body, indent: indent + 4, into: &out)
        case let .tryExcept(body, handlers, orElse):
            out += p
            out += "try:\n"
            writeBlock(body, indent: indent + 4, into: &out)
            for handler in handlers {
                out += "\n"
                out += p
                out += "except "
                Self.write(handler.type, into: &out)
                if let name = handler.name {
                    out += " as "
                    out += name
                }
                out += ":\n"
                writeBlock(handler.body, indent: indent + 4, into: &out)
            }
            if !orElse.isEmpty {
                out += "\n"
                out += p
                out += "else:\n"
                writeBlock(orElse, indent: indent + 4, into: &out)
            }
        }
    }

    private func writeFunction(_ f: PythonFunction, indent: Int, into out: inout String) {
        let p = pad(indent)
        for decorator in f.decorators {
            writeLines(decorator, prefix: "@", suffix: "", indent: indent, into: &out)
            out += "\n"
        }
        let keyword = (f.isAsync ? "async def " : "def ") + f.name
        let returns = f.returns.map { " -> " + Self.flat($0) } ?? ""
        let params = f.parameters.map(parameter)
        let oneLine = p + keyword + "(" + params.joined(separator: ", ") + ")" + returns + ":"
        if !Self.longer(oneLine, than: lineLength) {
            out += oneLine
        } else {
            let inner = pad(indent + 4) + params.joined(separator: ", ")
            if params.count == 1, !Self.longer(inner + ",", than: lineLength) {
                out += p + keyword + "(\n" + inner + ",\n" + p + ")" + returns + ":"  // ruff: a lone parameter gets a trailing comma
            } else if !Self.longer(inner, than: lineLength), !params.isEmpty {
                out += p + keyword + "(\n" + inner + "\n" + p + ")" + returns + ":"
            } else {
                out += p + keyword + "(\n"
                for (parameter, text) in zip(f.parameters, params) {
                    if Self.longer(pad(indent + 4) + text + ",", than: lineLength), let annotation = parameter.annotation {
                        // Too long even alone: ruff splits the annotation's brackets.
                        let suffix = parameter.defaultValue.map { " = " + Self.flat($0) } ?? ""
                        writeLines(annotation, prefix: parameter.name + ": ", suffix: suffix + ",", indent: indent + 4, into: &out)
                        out += "\n"
                    } else {
                        out += pad(indent + 4) + text + ",\n"
                    }
                }
                out += p + ")" + returns + ":"
            }
        }
        out += "\n"
        var wroteBody = false
        if let doc = f.docstring {
            writeDocstring(doc, indent: indent + 4, into: &out)
            wroteBody = true
        }
        if !f.body.isEmpty {
            if wroteBody { out += "\n" }
            writeStatements(f.body, indent: indent + 4, into: &out)
            wroteBody = true
        }
        if !wroteBody {
            out += pad(indent + 4)
            out += "pass"
        }
    }

    private func parameter(_ parameter: PythonParameter) -> String {
        var text = parameter.name
        if let annotation = parameter.annotation { text += ": " + Self.flat(annotation) }
        if let value = parameter.defaultValue {
            text += (parameter.annotation == nil ? "=" : " = ") + Self.flat(value)
        }
        return text
    }

    // MARK: Expressions

    /// The expression on one line.
    public static func flat(_ expr: PythonExpr) -> String {
        if case let .name(n) = expr { return n }
        var out = ""
        write(expr, into: &out)
        return out
    }

    /// Appends the expression on one line to `out` (one buffer for the whole expression tree).
    static func write(_ expr: PythonExpr, into out: inout String) {
        func items(_ items: [PythonExpr]) {
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, into: &out)
            }
        }
        switch expr {
        case let .name(n): out += n
        case let .string(s): out += quote(s)
        case let .rawString(s):
            out += "r\""
            out += s
            out += "\""
        case let .int(i): out += String(i)
        case let .number(n): out += n
        case let .bool(b): out += b ? "True" : "False"
        case .none: out += "None"
        case let .attribute(base, name):
            write(base, into: &out)
            out += "."
            out += name
        case let .call(callee, args):
            write(callee, into: &out)
            out += "("
            for (i, a) in args.enumerated() {
                if i > 0 { out += ", " }
                write(a, into: &out)
            }
            out += ")"
        case let .subscripted(base, list):
            write(base, into: &out)
            out += "["
            items(list)
            out += "]"
        case let .list(list):
            out += "["
            items(list)
            out += "]"
        case let .tuple(list):
            out += "("
            items(list)
            out += list.count == 1 ? ",)" : ")"
        case let .dict(entries):
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += ", " }
                write(entry.key, into: &out)
                out += ": "
                write(entry.value, into: &out)
            }
            out += "}"
        case let .binary(l, op, r):
            write(l, into: &out)
            out += " "
            out += op
            out += " "
            write(r, into: &out)
        case let .lambda(params, body):
            out += "lambda"
            if !params.isEmpty {
                out += " "
                out += params.joined(separator: ", ")
            }
            out += ": "
            write(body, into: &out)
        case let .await(inner):
            out += "await "
            write(inner, into: &out)
        case let .raw(text): out += text
        }
    }

    static func write(_ a: PythonArgument, into out: inout String) {
        if let label = a.label {
            out += label
            if label != "*" && label != "**" { out += "=" }
        }
        write(a.value, into: &out)
    }

    static func argument(_ a: PythonArgument) -> String {
        var out = ""
        write(a, into: &out)
        return out
    }

    /// A Python string literal: double quotes, or single quotes when that avoids escaping (as
    /// `ruff format` prefers).
    public static func quote(_ s: String) -> String {
        // Most strings need no escape at all.
        @inline(__always) func plain(_ byte: UInt8) -> Bool {
            byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "\\")
        }
        if s.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(plain) }) ?? s.utf8.allSatisfy(plain) {
            return "\"" + s + "\""
        }
        // ruff keeps double quotes unless single quotes need fewer escapes.
        let doubles = s.filter { $0 == "\"" }.count, singles = s.filter { $0 == "'" }.count
        let delimiter: Character = doubles > singles ? "'" : "\""
        var out = String(delimiter)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(c) == delimiter { out += "\\" }
                out.unicodeScalars.append(c)
            }
        }
        return out + String(delimiter)
    }

    /// The bracketed parts of an expression that can be split: opening text, items, closing text.
    private func brackets(_ expr: PythonExpr) -> (open: String, items: [(prefix: String, expr: PythonExpr)], close: String)? {
        switch expr {
        case let .call(callee, args) where !args.isEmpty:
            return (
                Self.flat(callee) + "(",
                args.map { a in
                    let prefix = a.label.map { ($0 == "*" || $0 == "**") ? $0 : $0 + "=" } ?? ""
                    return (prefix, a.value)
                }, ")"
            )
        case let .subscripted(base, items) where !items.isEmpty:
            return (Self.flat(base) + "[", items.map { ("", $0) }, "]")
        case let .list(items) where !items.isEmpty:
            return ("[", items.map { ("", $0) }, "]")
        case let .tuple(items) where !items.isEmpty:
            return ("(", items.map { ("", $0) }, ")")
        case let .dict(entries) where !entries.isEmpty:
            return ("{", entries.map { (Self.flat($0.key) + ": ", $0.value) }, "}")
        case let .await(inner):
            guard let b = brackets(inner) else { return nil }
            return ("await " + b.open, b.items, b.close)
        default:
            return nil
        }
    }

    /// A raw source line longer than the limit, split the way ruff splits it: the last bracket
    /// pair that closes at the end of the line opens onto an indented line (or one item per line
    /// with a trailing comma); a lone long string after `=` goes in parentheses.
    public func wrap(_ line: String) -> [String] {
        // Most lines are short: the UTF-8 length (O(1)) bounds the character count.
        guard line.utf8.count > lineLength else { return [line] }
        // The line's UTF-8 bytes: every delimiter is ASCII, widths count Unicode scalars (bytes that
        // do not continue a multi-byte sequence). The recursion stays in bytes.
        var out: [String] = []
        Self.wrap(Array(line.utf8), lineLength: lineLength, into: &out)
        return out
    }

    /// `wrap` for a line that will stand at `indent` (a decorator in a class body rendered as raw
    /// text, which the renderer indents): laid out for its real width, returned without the indent.
    public func wrap(_ line: String, atIndent indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        return wrap(pad + line).map { $0.hasPrefix(pad) ? String($0.dropFirst(indent)) : $0 }
    }

    private static let space = UInt8(ascii: " "), quoteByte = UInt8(ascii: "\""), comma = UInt8(ascii: ",")

    /// The number of Unicode scalars in UTF-8 `bytes`.
    @inline(__always)
    private static func width(_ bytes: ArraySlice<UInt8>) -> Int {
        var n = 0
        for byte in bytes where byte & 0xC0 != 0x80 { n += 1 }
        return n
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The first position of `needle` in `bytes`.
    private static func firstIndex(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var i = bytes.startIndex
        let last = bytes.endIndex - needle.count
        while i <= last {
            if bytes[i] == needle[0] {
                var k = 1
                while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Whether the scalar that ends just before `end` ends a word (a name, a number or a closing
    /// bracket): a call or a subscript rather than a collection literal.
    private static func isWordEnd(_ bytes: ArraySlice<UInt8>, before end: Int) -> Bool {
        let byte = bytes[end - 1]
        if byte < 0x80 {
            let c = Unicode.Scalar(byte)
            return c.properties.isAlphabetic || (c >= "0" && c <= "9") || c == "_" || c == ")" || c == "]"
        }
        var start = end - 1
        while start > bytes.startIndex, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return text(bytes[start..<end]).unicodeScalars.first?.properties.isAlphabetic ?? false
    }

    /// The trimmed ranges of the parts of `a, f(b, c), d` separated by commas outside brackets and
    /// strings (the last one only when it is not empty).
    private static func topLevelParts(_ bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var depth = 0
        var inString = false
        var segmentStart = bytes.startIndex
        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, bytes[lower] == space { lower += 1 }
            while upper > lower, bytes[upper - 1] == space { upper -= 1 }
            return lower..<upper
        }
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == quoteByte { inString.toggle() }
            if !inString {
                switch byte {
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                case comma:
                    if depth == 0 {
                        parts.append(trimmed(segmentStart..<index))
                        segmentStart = index + 1
                    }
                default: break
                }
            }
        }
        let last = trimmed(segmentStart..<bytes.endIndex)
        if !last.isEmpty { parts.append(last) }
        return parts
    }

    /// `indent` spaces, then `body` (and a trailing comma): the bytes of a line to wrap.
    private static func line(indent: Int, _ body: ArraySlice<UInt8>, comma trailing: Bool = false) -> [UInt8] {
        var line = [UInt8](repeating: space, count: indent)
        line.reserveCapacity(indent + body.count + 1)
        line.append(contentsOf: body)
        if trailing { line.append(comma) }
        return line
    }

    /// `wrap` on the bytes of a line, appending the resulting lines to `out`.
    private static func wrap(_ bytes: [UInt8], lineLength: Int, into out: inout [String]) {
        let chars = bytes[...]
        guard chars.count > lineLength, width(chars) > lineLength else { return out.append(text(chars)) }
        var indentCount = 0
        while indentCount < chars.count, chars[indentCount] == space { indentCount += 1 }
        if indentCount < chars.count, chars[indentCount] == UInt8(ascii: "#") { return out.append(text(chars)) }
        // A trailing ":" (def/for/if lines) or "," (an item of an exploded call) stays after the
        // closing bracket.
        var end = chars.count
        var suffix = 0
        if let last = chars.last, last == UInt8(ascii: ":") || last == comma {
            end -= 1
            suffix = 1
        }
        if let eq = firstIndex(of: Array(" = ".utf8), in: chars), isAtom(chars[(eq + 3)...]) {
            let indent = String(repeating: " ", count: indentCount)
            let literal = text(chars[(eq + 3)...])
            // ruff parenthesises a long string or name only when that makes it fit.
            guard (indent + "    " + literal).count <= lineLength else { return out.append(text(chars)) }
            out.append(text(chars[..<eq]) + " = (")
            out.append(indent + "    " + literal)
            out.append(indent + ")")
            return
        }
        if wrapComparison(chars, indent: indentCount, end: end, lineLength: lineLength, into: &out) { return }
        if wrapForTarget(chars, indent: indentCount, lineLength: lineLength, into: &out) { return }
        if let close = annotationEnd(chars, indent: indentCount, end: end) {
            // `name: Annotated[...] = default,`: the annotation's brackets split, the default after them.
            suffix = chars.count - close - 1
            end = close + 1
        }
        guard end > 0, chars[end - 1] == UInt8(ascii: ")") || chars[end - 1] == UInt8(ascii: "]") || chars[end - 1] == UInt8(ascii: "}")
        else { return out.append(text(chars)) }
        if wrapChain(chars, indent: indentCount, end: end, lineLength: lineLength, into: &out) { return }
        // Find the bracket that the final character closes.
        var depth = 0
        var open: Int?
        var inString = false
        var i = end - 1
        while i >= 0 {
            let c = chars[i]
            if c == quoteByte { inString.toggle() }
            if !inString {
                if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { depth += 1 }
                if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                    depth -= 1
                    if depth == 0 {
                        open = i
                        break
                    }
                }
            }
            i -= 1
        }
        guard let open, open >= indentCount, open + 1 < end - 1 else { return out.append(text(chars)) }
        let innerIndent = indentCount + 4
        if width(chars[..<open]) + 1 > lineLength, let value = parenthesizableValue(chars, indent: indentCount), value < open,
            innerIndent + width(chars[value..<open]) + 1 <= lineLength
        {
            // Even the opening line is too long: ruff puts the right-hand side (or the value of
            // `await`/`return`) in parentheses when its opening line fits there; otherwise the long
            // line stays, it cannot be helped.
            out.append(text(chars[..<value]) + "(")
            wrap(line(indent: innerIndent, chars[value...]), lineLength: lineLength, into: &out)
            out.append(String(repeating: " ", count: indentCount) + ")")
            return
        }
        let inner = chars[(open + 1)..<(end - 1)]
        // The closing bracket, then the trailing ":" or "," (and nothing after them).
        let tail = String(repeating: " ", count: indentCount) + text(chars[(end - 1)..<(end + suffix)])
        let parts = topLevelParts(inner)
        // A collection literal (not a call or subscript) with several items goes one per line.
        let isCollection = open == 0 ? true : !isWordEnd(chars, before: open)
        out.append(text(chars[..<(open + 1)]))
        appendInner(chars, inner, parts: parts, isCollection: isCollection, indent: innerIndent, lineLength: lineLength, into: &out)
        out.append(tail)
    }

    /// The inside of a bracket pair that was opened at the end of a line: on one indented line when
    /// it fits (and is not a collection of several items), a comprehension one clause per line,
    /// otherwise one item per line with a trailing comma.
    private static func appendInner(
        _ chars: ArraySlice<UInt8>, _ inner: ArraySlice<UInt8>, parts: [Range<Int>], isCollection: Bool, indent: Int, lineLength: Int,
        into out: inout [String]
    ) {
        if indent + width(inner) <= lineLength, !inner.isEmpty, !(isCollection && parts.count > 1) {
            out.append(String(repeating: " ", count: indent) + text(inner))
        } else if parts.count <= 1 {
            let clauses = comprehensionClauses(inner)
            if clauses.count > 1 {
                for clause in clauses { wrap(line(indent: indent, chars[clause]), lineLength: lineLength, into: &out) }
            } else {
                wrap(line(indent: indent, inner), lineLength: lineLength, into: &out)
            }
        } else {
            for part in parts { wrap(line(indent: indent, chars[part], comma: true), lineLength: lineLength, into: &out) }
        }
    }

    private static let clauseKeywords = [" async for ", " for ", " if "].map { Array($0.utf8) }

    /// The element and the `for`/`async for`/`if` clauses of a comprehension (top level, outside
    /// strings); one range when `inner` is not a comprehension. An `if` before the first `for` is a
    /// conditional expression, not a clause.
    private static func comprehensionClauses(_ inner: ArraySlice<UInt8>) -> [Range<Int>] {
        var starts: [Int] = []
        var depth = 0
        var inString = false
        var i = inner.startIndex
        while i < inner.endIndex {
            let c = inner[i]
            if c == quoteByte { inString.toggle() }
            if !inString {
                if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
                if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { depth -= 1 }
                if depth == 0, c == space,
                    let keyword = clauseKeywords.first(where: { i + $0.count <= inner.endIndex && inner[i..<(i + $0.count)].elementsEqual($0) }),
                    keyword.count != 4 || !starts.isEmpty
                {
                    starts.append(i + 1)
                    i += keyword.count
                    continue
                }
            }
            i += 1
        }
        guard !starts.isEmpty else { return [inner.startIndex..<inner.endIndex] }
        let bounds = [inner.startIndex] + starts
        return bounds.indices.map { k in bounds[k]..<(k + 1 < bounds.count ? bounds[k + 1] - 1 : inner.endIndex) }
    }

    /// The position of the opening quote of a string literal that starts at `index` (after an
    /// optional prefix such as `f` or `rb`), or nil.
    private static func stringStart(_ chars: ArraySlice<UInt8>, at index: Int) -> Int? {
        var i = index
        while i < chars.endIndex, i < index + 2, "frbuFRBU".utf8.contains(chars[i]) { i += 1 }
        return i < chars.endIndex && chars[i] == quoteByte ? i : nil
    }

    /// Whether `value` is one string literal (with a prefix such as `f`) or a dotted name: what ruff
    /// cannot split, only put in parentheses.
    private static func isAtom(_ value: ArraySlice<UInt8>) -> Bool {
        guard let first = value.first else { return false }
        if let quote = stringStart(value, at: value.startIndex) {
            return value.last == quoteByte && value.endIndex - quote >= 2 && !value[(quote + 1)..<(value.endIndex - 1)].contains(quoteByte)
        }
        let isNameByte: (UInt8) -> Bool = { byte in
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte >= 0x80 || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) && value.allSatisfy(isNameByte)
    }

    /// Where the value starts that ruff may put in parentheses: after ` = `, or after a leading
    /// `await ` or `return `.
    private static func parenthesizableValue(_ chars: ArraySlice<UInt8>, indent: Int) -> Int? {
        for keyword in ["await ", "return "] {
            let bytes = Array(keyword.utf8)
            if chars.count > indent + bytes.count, chars[indent..<(indent + bytes.count)].elementsEqual(bytes) {
                return indent + bytes.count
            }
        }
        return firstIndex(of: Array(" = ".utf8), in: chars).map { $0 + 3 }
    }

    /// The bracket pairs at the top level of `chars[range]` (outside strings), in order, without
    /// the empty ones (ruff never splits `()`).
    private static func topLevelGroups(_ chars: ArraySlice<UInt8>, in range: Range<Int>) -> [(open: Int, close: Int)] {
        var groups: [(open: Int, close: Int)] = []
        var depth = 0
        var inString = false
        var open = range.lowerBound
        for i in range {
            let c = chars[i]
            if c == quoteByte { inString.toggle() }
            if inString { continue }
            if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                if depth == 0 { open = i }
                depth += 1
            } else if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0, i > open + 1 { groups.append((open, i)) }
                if depth < 0 { depth = 0 }
            }
        }
        return groups
    }

    /// Splits the top-level `groups` of a line left to right, as ruff's printer does when it may
    /// omit the optional parentheses: the first group whose flat text, up to the next place the
    /// line could break, does not fit opens onto an indented line; the rest of the line follows
    /// its closing bracket and is laid out again.
    private static func wrapLeftToRight(
        _ chars: ArraySlice<UInt8>, groups: [(open: Int, close: Int)], indent: Int, end: Int, lineLength: Int, into out: inout [String]
    ) -> Bool {
        guard let first = groups.first, width(chars[...first.open]) <= lineLength else { return false }
        for (k, group) in groups.enumerated() {
            let nextBreak = k + 1 < groups.count ? groups[k + 1].open + 1 : chars.count
            guard width(chars[..<nextBreak]) > lineLength else { continue }
            let innerIndent = indent + 4
            let inner = chars[(group.open + 1)..<group.close]
            let parts = topLevelParts(inner)
            let isCollection = group.open == chars.startIndex || !isWordEnd(chars, before: group.open)
            out.append(text(chars[...group.open]))
            appendInner(chars, inner, parts: parts, isCollection: isCollection, indent: innerIndent, lineLength: lineLength, into: &out)
            wrap(line(indent: indent, chars[group.close...]), lineLength: lineLength, into: &out)
            return true
        }
        return false
    }

    /// A call chain that is not fluent (`select(t).filter_by(**link)`: one attribute after a call)
    /// and whose last opening bracket is past the limit: split left to right.
    private static func wrapChain(_ chars: ArraySlice<UInt8>, indent: Int, end: Int, lineLength: Int, into out: inout [String]) -> Bool {
        let start = parenthesizableValue(chars, indent: indent) ?? indent
        guard start < end else { return false }
        let groups = topLevelGroups(chars, in: start..<end)
        guard groups.count >= 2, let last = groups.last, width(chars[...last.open]) > lineLength else { return false }
        // Between the groups only `.name` and empty brackets (a chain, no operator); ruff lays out
        // a chain with two or more attributes after calls in its fluent style, not handled here.
        var attributes = 0
        for (a, b) in zip(groups, groups.dropFirst()) {
            let between = chars[(a.close + 1)..<b.open]
            guard
                between.allSatisfy({
                    $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: ")")
                        || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                })
            else { return false }
            attributes += between.filter { $0 == UInt8(ascii: ".") }.count
        }
        guard attributes <= 1 else { return false }
        return wrapLeftToRight(chars, groups: groups, indent: indent, end: end, lineLength: lineLength, into: &out)
    }

    /// The comparison operators ruff splits at, with the spaces around them.
    private static let comparisons = [" == ", " != ", " is not ", " not in ", " is ", " in ", " <= ", " >= ", " < ", " > "].map { Array($0.utf8) }

    private static let booleans = [" and ", " or "].map { Array($0.utf8) }

    /// For `name: Type[...] = default` (a parameter or an annotated assignment, the default a name
    /// or literal), the position of the annotation's closing bracket; nil for any other line.
    private static func annotationEnd(_ chars: ArraySlice<UInt8>, indent: Int, end: Int) -> Int? {
        var i = indent
        while i < end,
            chars[i] == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(chars[i] | 0x20)
                || (i > indent && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(chars[i]))
        {
            i += 1
        }
        guard i > indent, i + 2 < end, chars[i] == UInt8(ascii: ":"), chars[i + 1] == space,
            let group = topLevelGroups(chars, in: (i + 2)..<end).last, group.close + 1 < end,
            let eq = firstIndex(of: Array(" = ".utf8), in: chars[(group.close + 1)..<end]), eq == group.close + 1,
            isAtom(chars[(eq + 3)..<end])
                || chars[(eq + 3)..<end].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        return group.close
    }

    /// `for target in iterable(...):` whose opening line is past the limit: ruff puts a long target
    /// in parentheses (when it then fits), and lays out the rest after `) in`.
    private static func wrapForTarget(_ chars: ArraySlice<UInt8>, indent: Int, lineLength: Int, into out: inout [String]) -> Bool {
        let keyword = Array("for ".utf8), separator = Array(" in ".utf8)
        guard chars.last == UInt8(ascii: ":"), chars.count > indent + keyword.count,
            chars[indent..<(indent + keyword.count)].elementsEqual(keyword),
            let inAt = firstIndex(of: separator, in: chars[(indent + keyword.count)...])
        else { return false }
        let target = chars[(indent + keyword.count)..<inAt]
        guard isAtom(target), indent + 4 + width(target) <= lineLength,
            let open = topLevelGroups(chars, in: (inAt + separator.count)..<(chars.count - 1)).last?.open,
            width(chars[...open]) > lineLength
        else { return false }
        out.append(String(repeating: " ", count: indent) + "for (")
        out.append(String(repeating: " ", count: indent + 4) + text(target))
        wrap(line(indent: indent, Array(")".utf8)[...] + chars[inAt...]), lineLength: lineLength, into: &out)
        return true
    }

    /// `assert a == b` or `if a is not None:` past the limit. When the first operand starts with a
    /// bracket or the last ends with a non-empty call or collection, ruff splits the brackets left
    /// to right; otherwise it puts the comparison in parentheses, one operand per line.
    private static func wrapComparison(_ chars: ArraySlice<UInt8>, indent: Int, end: Int, lineLength: Int, into out: inout [String]) -> Bool {
        var start: Int?
        for keyword in ["assert ", "if ", "elif ", "while "] {
            let bytes = Array(keyword.utf8)
            if chars.count > indent + bytes.count, chars[indent..<(indent + bytes.count)].elementsEqual(bytes) { start = indent + bytes.count }
        }
        // An item of an exploded call (`a == f(...),`): inside brackets ruff splits at the operator
        // first, with no parentheses of its own.
        let isItem = start == nil && chars.last == comma && end == chars.count - 1
        if isItem { start = indent }
        guard let start, start < end else { return false }
        // One comparison at the top level, outside strings and brackets, and no `, message`.
        var found: [(at: Int, length: Int)] = []
        var depth = 0
        var inString = false
        var i = start
        while i < end {
            let c = chars[i]
            if c == quoteByte { inString.toggle() }
            if !inString {
                if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
                if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { depth -= 1 }
                // `, message`, or `and`/`or` (ruff splits at those first): not this layout.
                if depth == 0, c == comma || (c == space && booleans.contains { i + $0.count <= end && chars[i..<(i + $0.count)].elementsEqual($0) })
                {
                    return false
                }
                if depth == 0, c == space, let op = comparisons.first(where: { i + $0.count <= end && chars[i..<(i + $0.count)].elementsEqual($0) }) {
                    found.append((i, op.count))
                    i += op.count
                    continue
                }
            }
            i += 1
        }
        guard found.count == 1, let op = found.first else { return false }
        if isItem {
            wrap(line(indent: indent, chars[start..<op.at]), lineLength: lineLength, into: &out)
            wrap(line(indent: indent, chars[(op.at + 1)...]), lineLength: lineLength, into: &out)
            return true
        }
        let groups = topLevelGroups(chars, in: start..<end)
        let lastGroup = groups.last.flatMap { $0.close == end - 1 && $0.open > op.at ? $0 : nil }
        let lastIsParenthesized = lastGroup.map { chars[$0.open] != UInt8(ascii: "[") || !isWordEnd(chars, before: $0.open) } ?? false
        let firstIsParenthesized = chars[start] == UInt8(ascii: "(") && groups.first?.open == start
        if firstIsParenthesized || lastIsParenthesized {
            return wrapLeftToRight(chars, groups: groups, indent: indent, end: end, lineLength: lineLength, into: &out)
        }
        let pad = String(repeating: " ", count: indent)
        let innerIndent = indent + 4
        out.append(text(chars[..<start]) + "(")
        if innerIndent + width(chars[start..<end]) <= lineLength {
            out.append(String(repeating: " ", count: innerIndent) + text(chars[start..<end]))
        } else {
            wrap(line(indent: innerIndent, chars[start..<op.at]), lineLength: lineLength, into: &out)
            wrap(line(indent: innerIndent, chars[(op.at + 1)..<end]), lineLength: lineLength, into: &out)
        }
        out.append(pad + ")" + text(chars[end...]))
        return true
    }

    /// The lines of `text` (split on "\n" by scanning UTF-8 bytes: much cheaper than a Character split).
    public static func lines(of text: String) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        // Newline offsets from the contiguous bytes, then O(1) index arithmetic on the native string.
        let offsets: [Int] =
            utf8.withContiguousStorageIfAvailable { bytes in
                var offsets: [Int] = []
                for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "\n") { offsets.append(i) }
                return offsets
            } ?? utf8.indices.filter { utf8[$0] == UInt8(ascii: "\n") }.map { utf8.distance(from: utf8.startIndex, to: $0) }
        result.reserveCapacity(offsets.count + 1)
        var start = utf8.startIndex
        for offset in offsets {
            let newline = utf8.index(utf8.startIndex, offsetBy: offset)
            result.append(text[start..<newline])
            start = utf8.index(after: newline)
        }
        result.append(text[start..<utf8.endIndex])
        return result
    }

    /// Whether `text` has more than `limit` characters (the UTF-8 length bounds it from above).
    @inline(__always)
    static func longer(_ text: String, than limit: Int) -> Bool { text.utf8.count > limit && text.count > limit }

    /// Full lines (with indentation) for `prefix + expr + suffix`, split the way ruff splits.
    public func lines(_ expr: PythonExpr, prefix: String, suffix: String, indent: Int) -> [String] {
        var out = ""
        writeLines(expr, prefix: prefix, suffix: suffix, indent: indent, into: &out)
        return out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// `lines(_:prefix:suffix:indent:)` appended to `out`, separated by newlines (no trailing one):
    /// the flat form is written first and taken back only when it does not fit.
    func writeLines(_ expr: PythonExpr, prefix: String, suffix: String, indent: Int, into out: inout String) {
        let p = pad(indent)
        let start = out.utf8.count
        out += p
        out += prefix
        Self.write(expr, into: &out)
        out += suffix
        let written = out.utf8.count - start
        guard written > lineLength, let (open, items, close) = brackets(expr) else { return }
        if !UTF8Bytes.isASCII(out.utf8.suffix(written)) {
            // Characters, not bytes, count against the limit.
            guard String(decoding: out.utf8.suffix(written), as: UTF8.self).count > lineLength else { return }
        }
        Self.truncate(&out, toUTF8Count: start)
        if (p + prefix + open).count > lineLength, prefix.hasSuffix(" = "), (pad(indent + 4) + open).count <= lineLength {
            // Even the opening line is too long: ruff puts the value in parentheses (when its
            // opening line fits there).
            out += p + prefix + "(\n"
            writeLines(expr, prefix: "", suffix: "", indent: indent + 4, into: &out)
            out += "\n" + p + ")" + suffix
            return
        }
        out += p
        out += prefix
        out += open
        out += "\n"
        let innerIndent = indent + 4
        let isCollection: Bool
        switch expr {
        case .list, .dict: isCollection = items.count > 1
        case .tuple: isCollection = true  // `(x,)` carries a magic trailing comma
        default: isCollection = false
        }
        if !isCollection {
            // The items hugged on one indented line, when that fits.
            let huggedStart = out.utf8.count
            out += pad(innerIndent)
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                out += item.prefix
                Self.write(item.expr, into: &out)
            }
            let hugged = out.utf8.count - huggedStart
            let fits =
                hugged <= lineLength
                || (!UTF8Bytes.isASCII(out.utf8.suffix(hugged)) && String(decoding: out.utf8.suffix(hugged), as: UTF8.self).count <= lineLength)
            if fits {
                out += "\n" + p + close + suffix
                return
            }
            Self.truncate(&out, toUTF8Count: huggedStart)
        }
        if items.count == 1, !isCollection {
            writeLines(items[0].expr, prefix: items[0].prefix, suffix: "", indent: innerIndent, into: &out)
        } else {
            for (i, item) in items.enumerated() {
                if i > 0 { out += "\n" }
                writeLines(item.expr, prefix: item.prefix, suffix: ",", indent: innerIndent, into: &out)
            }
        }
        out += "\n" + p + close + suffix
    }
}

/// Checks on UTF-8 bytes (the renderer measures and takes back text by bytes).
enum UTF8Bytes {
    @inline(__always)
    static func isASCII<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 { !bytes.contains { $0 >= 0x80 } }
}
