import SchemaModel

/// One lexical token of a SQL script, with the line and column it starts at.
public struct SQLToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A bare word: a keyword or an unquoted identifier, as written.
        case word
        /// A quoted identifier (`"x"`, `` `x` ``, `[x]`), unquoted (doubled quotes undone).
        case quoted
        /// A string literal's value (`'it''s'` is `it's`; `E'...'`, `$$...$$` included).
        case string
        /// A number as written.
        case number
        /// Punctuation or an operator: `(`, `)`, `,`, `.`, `::`, `=`, ...
        case symbol
    }

    public var kind: Kind
    public var text: String
    public var line: Int
    public var column: Int
    /// Byte offsets of the token in the statement's source text (for copying expressions verbatim).
    public var start: Int
    public var end: Int

    /// Whether the token is the bare word `word` (ASCII, case-insensitive).
    public func isWord(_ word: String) -> Bool { kind == .word && text.count == word.count && text.lowercased() == word }

    public func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

    /// A name: a bare word or a quoted identifier.
    public var isName: Bool { kind == .word || kind == .quoted }
}

/// One statement of a SQL script: its tokens and its source text.
public struct SQLStatementText: Sendable {
    public var tokens: [SQLToken]
    /// The statement's source, which `SQLToken.start`/`end` index (UTF-8 bytes).
    public var source: [UInt8]
    public var line: Int

    /// The source text between two tokens (inclusive), as written.
    public func text(from first: Int, through last: Int) -> String {
        guard first <= last, first >= 0, last < tokens.count else { return "" }
        return String(decoding: source[tokens[first].start..<tokens[last].end], as: UTF8.self)
    }
}

/// Splits a SQL script (a `pg_dump`, a `mysqldump`, SQLite's `.schema`, hand-written DDL) into
/// statements of tokens. It knows the quoting of every dialect at once (the three never conflict in
/// DDL), skips comments, psql meta-commands (`\connect`, `\restrict`) and the data of
/// `COPY ... FROM stdin`, reads MySQL's versioned comments (`/*!40101 ... */`) as code, and honours
/// the `DELIMITER` command of MySQL scripts.
public struct SQLScanner {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    public init(_ text: String) { bytes = Array(text.utf8) }

    public static func statements(of text: String) -> [SQLStatementText] {
        var scanner = SQLScanner(text)
        return scanner.scanAll()
    }

    private var atLineStart: Bool {
        var i = index - 1
        while i >= 0, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i -= 1 }
        return i < 0 || bytes[i] == UInt8(ascii: "\n")
    }

    private mutating func skipLine() {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
    }

    private mutating func newline(at position: Int) {
        line += 1
        lineStart = position + 1
    }

    /// The text of the current line from `index` to its end.
    private func restOfLine() -> String {
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    mutating func scanAll() -> [SQLStatementText] {
        var statements: [SQLStatementText] = []
        var tokens: [SQLToken] = []
        var statementStart = 0
        var delimiter: [UInt8] = [UInt8(ascii: ";")]
        var versionedCommentDepth = 0

        func finish(_ end: Int, into statements: inout [SQLStatementText], tokens: inout [SQLToken], start: inout Int) {
            defer {
                tokens = []
                start = end
            }
            guard let first = tokens.first else { return }
            let base = first.start
            let source = Array(bytes[base..<max(base, tokens.last!.end)])
            let shifted = tokens.map { token -> SQLToken in
                var t = token
                t.start -= base
                t.end -= base
                return t
            }
            statements.append(SQLStatementText(tokens: shifted, source: source, line: first.line))
        }

        while index < bytes.count {
            let byte = bytes[index]
            let column = index - lineStart + 1
            switch byte {
            case UInt8(ascii: "\n"):
                newline(at: index)
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                index += 1
            case UInt8(ascii: "\\") where atLineStart && tokens.isEmpty:
                // A psql meta-command (`\connect`, `\restrict`, `\set`): one line.
                skipLine()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                skipLine()
            case UInt8(ascii: "#") where atLineStart && tokens.isEmpty:
                // A MySQL comment line.
                skipLine()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                if peek(2) == UInt8(ascii: "!") {
                    // `/*!40101 SET ... */`: MySQL runs it; so is it code here.
                    index += 3
                    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                    versionedCommentDepth += 1
                } else {
                    index += 2
                    while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                        if bytes[index] == UInt8(ascii: "\n") { newline(at: index) }
                        index += 1
                    }
                    index = min(bytes.count, index + 2)
                }
            case UInt8(ascii: "*") where versionedCommentDepth > 0 && peek(1) == UInt8(ascii: "/"):
                versionedCommentDepth -= 1
                index += 2
            case _ where matches(delimiter):
                index += delimiter.count
                let statementEnd = index
                let isCopyFromStdin = Self.isCopyFromStdin(tokens)
                finish(statementEnd, into: &statements, tokens: &tokens, start: &statementStart)
                if isCopyFromStdin { skipCopyData() }
            case _ where (byte | 0x20) == UInt8(ascii: "d") && atLineStart && tokens.isEmpty && restOfLine().lowercased().hasPrefix("delimiter "):
                let rest = restOfLine()
                let value = rest.dropFirst("delimiter ".count).trimmingCharacters(in: " \t\r")
                if !value.isEmpty { delimiter = Array(value.utf8) }
                skipLine()
            case UInt8(ascii: "'"):
                tokens.append(stringToken(quote: byte, column: column, backslashEscapes: false))
            case _ where (byte | 0x20) == UInt8(ascii: "e") && peek(1) == UInt8(ascii: "'"):
                let start = index
                index += 1
                var token = stringToken(quote: UInt8(ascii: "'"), column: column, backslashEscapes: true)
                token.start = start
                tokens.append(token)
            case _ where (byte | 0x20) == UInt8(ascii: "n") && peek(1) == UInt8(ascii: "'"):
                let start = index
                index += 1
                var token = stringToken(quote: UInt8(ascii: "'"), column: column, backslashEscapes: false)
                token.start = start
                tokens.append(token)
            case UInt8(ascii: "\""), UInt8(ascii: "`"):
                var token = stringToken(quote: byte, column: column, backslashEscapes: false)
                token.kind = .quoted
                tokens.append(token)
            case UInt8(ascii: "["):
                // SQLite (and SQL Server) bracket quoting: only where a name can stand, not `int[]`.
                // `int[]` and `int[3]` are array types; anything else in brackets is a name.
                if let close = bytes[index...].firstIndex(of: UInt8(ascii: "]")), close > index + 1,
                    bytes[(index + 1)..<close].contains(where: { !Self.isDigit($0) })
                {
                    let text = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                    tokens.append(SQLToken(kind: .quoted, text: text, line: line, column: column, start: index, end: close + 1))
                    index = close + 1
                } else {
                    tokens.append(symbol(1, column: column))
                }
            case UInt8(ascii: "$") where dollarTag() != nil:
                tokens.append(dollarString(tag: dollarTag()!, column: column))
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < bytes.count,
                    Self.isNumberByte(bytes[index]) || (bytes[index] == UInt8(ascii: ".") && peek(1).map(Self.isDigit) ?? false)
                {
                    index += 1
                }
                tokens.append(token(.number, from: start, column: column))
            case _ where Self.isWordByte(byte):
                let start = index
                while index < bytes.count, Self.isWordByte(bytes[index]) || Self.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "$") {
                    index += 1
                }
                tokens.append(token(.word, from: start, column: column))
            case UInt8(ascii: ":") where peek(1) == UInt8(ascii: ":"):
                tokens.append(symbol(2, column: column))
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"), UInt8(ascii: "|"):
                let two = peek(1).map { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "|") } ?? false
                tokens.append(symbol(two ? 2 : 1, column: column))
            default:
                tokens.append(symbol(1, column: column))
            }
        }
        finish(bytes.count, into: &statements, tokens: &tokens, start: &statementStart)
        return statements
    }

    private func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    private func matches(_ delimiter: [UInt8]) -> Bool {
        guard index + delimiter.count <= bytes.count else { return false }
        for (i, b) in delimiter.enumerated() where bytes[index + i] != b { return false }
        return true
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        isDigit(b) || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "x") || b == UInt8(ascii: "X")
            || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
            || b >= 0x80
    }

    private func token(_ kind: SQLToken.Kind, from start: Int, column: Int) -> SQLToken {
        SQLToken(kind: kind, text: String(decoding: bytes[start..<index], as: UTF8.self), line: line, column: column, start: start, end: index)
    }

    private mutating func symbol(_ length: Int, column: Int) -> SQLToken {
        let start = index
        index += length
        return token(.symbol, from: start, column: column)
    }

    /// A quoted string or identifier starting at `index` (the opening quote); a doubled quote is one
    /// quote, and with `backslashEscapes` (and always inside MySQL's single-quoted strings, which
    /// `'\''` would otherwise end) a backslash escapes the next byte.
    private mutating func stringToken(quote: UInt8, column: Int, backslashEscapes: Bool) -> SQLToken {
        let start = index
        let startLine = line
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == quote {
                if peek(1) == quote {
                    value.append(quote)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            if b == UInt8(ascii: "\\"), backslashEscapes || quote == UInt8(ascii: "'"), let next = peek(1),
                backslashEscapes || next == quote || next == UInt8(ascii: "\\")
            {
                // `\'` and `\\` in a plain string are MySQL's escapes; PostgreSQL's standard strings
                // never contain `\'` next to a quote that would end them in a DDL dump.
                value.append(Self.unescaped(next))
                index += 2
                continue
            }
            if b == UInt8(ascii: "\n") { newline(at: index) }
            value.append(b)
            index += 1
        }
        return SQLToken(kind: .string, text: String(decoding: value, as: UTF8.self), line: startLine, column: column, start: start, end: index)
    }

    private static func unescaped(_ b: UInt8) -> UInt8 {
        switch b {
        case UInt8(ascii: "n"): return UInt8(ascii: "\n")
        case UInt8(ascii: "t"): return UInt8(ascii: "\t")
        case UInt8(ascii: "r"): return UInt8(ascii: "\r")
        case UInt8(ascii: "0"): return 0
        default: return b
        }
    }

    /// The tag of a PostgreSQL dollar quote at `index` (`$$` -> "", `$body$` -> "body").
    private func dollarTag() -> String? {
        var i = index + 1
        while i < bytes.count, Self.isWordByte(bytes[i]) || Self.isDigit(bytes[i]) { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "$") else { return nil }
        if i > index + 1, Self.isDigit(bytes[index + 1]) { return nil }  // `$1`: a parameter
        return String(decoding: bytes[(index + 1)..<i], as: UTF8.self)
    }

    private mutating func dollarString(tag: String, column: Int) -> SQLToken {
        let start = index
        let startLine = line
        let marker = Array("$\(tag)$".utf8)
        index += marker.count
        let bodyStart = index
        while index < bytes.count, !matches(marker) {
            if bytes[index] == UInt8(ascii: "\n") { newline(at: index) }
            index += 1
        }
        let body = String(decoding: bytes[bodyStart..<min(index, bytes.count)], as: UTF8.self)
        index = min(bytes.count, index + marker.count)
        return SQLToken(kind: .string, text: body, line: startLine, column: column, start: start, end: index)
    }

    private static func isCopyFromStdin(_ tokens: [SQLToken]) -> Bool {
        guard tokens.first?.isWord("copy") ?? false, tokens.count >= 2 else { return false }
        return tokens.suffix(6).contains { $0.isWord("stdin") }
    }

    /// The rows of `COPY ... FROM stdin`, up to the `\.` line.
    private mutating func skipCopyData() {
        // The rest of the COPY statement's line.
        skipLine()
        while index < bytes.count {
            newline(at: index)
            index += 1
            if restOfLine().hasPrefix("\\.") {
                skipLine()
                return
            }
            skipLine()
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
