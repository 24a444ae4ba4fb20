import Foundation
import SQLGenerator
import SchemaModel

/// Reads a DBML file (dbdiagram.io's language) into an `ImportedCatalog`, as `dbml2sql` would turn
/// it into DDL: `Table` blocks (columns with `[pk, increment, not null, unique, default: ..., ref:
/// ..., note: ...]`, `Indexes { ... }`, `Note`), `Enum` blocks, and `Ref`s in all three spellings
/// (`Ref: a.x > b.y`, `Ref name { ... }`, inline `ref:`). Column types are SQL types of the
/// `Project`'s `database_type` (PostgreSQL when it names none), read by the SQL reader. A `<>`
/// (many-to-many) ref becomes the join table dbml2sql creates; `TableGroup`s and notes on refs are
/// left out with a warning.
public struct DBMLReader {
    public let file: String
    public private(set) var diagnostics = DiagnosticBag()
    private var tokens: [Token] = []
    private var index = 0
    private var databaseType: String?
    private var tables: [ImportedTable] = []
    private var enums: [ImportedEnum] = []
    private var aliases: [String: String] = [:]
    private var refs: [Ref] = []

    public init(file: String) { self.file = file }

    struct Token {
        enum Kind { case word, quoted, string, expression, number, symbol }
        var kind: Kind
        var text: String
        var line: Int
    }

    private struct Ref {
        var name: String?
        var left: (table: String, columns: [String])
        var kind: String
        var right: (table: String, columns: [String])
        var settings: [(String, String)]
        var line: Int
    }

    public var dialect: Dialect {
        switch databaseType?.lowercased() {
        case "mysql", "mariadb": return .mysql
        case "sqlite": return .sqlite
        default: return .postgresql
        }
    }

    // MARK: Tokens

    static func tokenize(_ text: String) -> [Token] {
        let chars = Array(text)
        var out: [Token] = []
        var i = 0
        var line = 1
        func take(until end: Character, escapes: Bool) -> String {
            var s = ""
            while i < chars.count, chars[i] != end {
                if chars[i] == "\n" { line += 1 }
                if escapes, chars[i] == "\\", i + 1 < chars.count {
                    i += 1
                }
                s.append(chars[i])
                i += 1
            }
            i += 1
            return s
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                line += 1
                i += 1
            } else if c == " " || c == "\t" || c == "\r" {
                i += 1
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") {
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                }
                i += 2
            } else if c == "'" {
                let start = line
                if i + 2 < chars.count, chars[i + 1] == "'", chars[i + 2] == "'" {
                    i += 3
                    var s = ""
                    while i + 2 < chars.count, !(chars[i] == "'" && chars[i + 1] == "'" && chars[i + 2] == "'") {
                        if chars[i] == "\n" { line += 1 }
                        s.append(chars[i])
                        i += 1
                    }
                    i += 3
                    out.append(Token(kind: .string, text: s.trimmingCharacters(in: " \n\t"), line: start))
                } else {
                    i += 1
                    out.append(Token(kind: .string, text: take(until: "'", escapes: true), line: start))
                }
            } else if c == "\"" {
                i += 1
                out.append(Token(kind: .quoted, text: take(until: "\"", escapes: true), line: line))
            } else if c == "`" {
                i += 1
                out.append(Token(kind: .expression, text: take(until: "`", escapes: false), line: line))
            } else if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber && !(out.last?.kind == .word)) {
                let start = i
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
                out.append(Token(kind: .number, text: String(chars[start..<i]), line: line))
            } else if c.isLetter || c == "_" {
                let start = i
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                out.append(Token(kind: .word, text: String(chars[start..<i]), line: line))
            } else if c == "<", i + 1 < chars.count, chars[i + 1] == ">" {
                out.append(Token(kind: .symbol, text: "<>", line: line))
                i += 2
            } else {
                out.append(Token(kind: .symbol, text: String(c), line: line))
                i += 1
            }
        }
        return out
    }

    private func peek(_ offset: Int = 0) -> Token? { index + offset < tokens.count ? tokens[index + offset] : nil }

    private mutating func next() -> Token? {
        defer { index += 1 }
        return peek()
    }

    private mutating func skip(_ symbol: String) -> Bool {
        guard let t = peek(), t.kind == .symbol, t.text == symbol else { return false }
        index += 1
        return true
    }

    private func isSymbol(_ symbol: String, _ offset: Int = 0) -> Bool { peek(offset).map { $0.kind == .symbol && $0.text == symbol } ?? false }

    private func isWord(_ word: String, _ offset: Int = 0) -> Bool {
        peek(offset).map { $0.kind == .word && $0.text.lowercased() == word } ?? false
    }

    private mutating func warn(_ message: String, line: Int) {
        diagnostics.warning(message, at: SourceLocation(file: file, line: line, column: 1))
    }

    /// Skips a `{ ... }` block (the cursor at `{`).
    private mutating func skipBlock() {
        guard skip("{") else { return }
        var depth = 1
        while let t = next() {
            if t.kind == .symbol, t.text == "{" { depth += 1 }
            if t.kind == .symbol, t.text == "}" {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    /// A possibly schema-qualified name: its last part.
    private mutating func name() -> String? {
        guard let t = peek(), t.kind == .word || t.kind == .quoted else { return nil }
        index += 1
        var last = t.text
        while isSymbol("."), let n = peek(1), n.kind == .word || n.kind == .quoted {
            index += 2
            last = n.text
        }
        return last
    }

    // MARK: Blocks

    public mutating func read(_ text: String) {
        tokens = Self.tokenize(text)
        index = 0
        while let t = peek() {
            guard t.kind == .word else {
                index += 1
                continue
            }
            switch t.text.lowercased() {
            case "project":
                index += 1
                _ = name()
                readProject()
            case "table":
                index += 1
                readTable(line: t.line)
            case "enum":
                index += 1
                readEnum(line: t.line)
            case "ref":
                index += 1
                readRef(line: t.line)
            case "tablegroup", "note", "tablepartial", "records":
                index += 1
                while let n = peek(), !(n.kind == .symbol && n.text == "{") { index += 1 }
                skipBlock()
                if t.text.lowercased() != "note" {
                    warn("\(t.text) is not imported: the schema language has no \(t.text.lowercased())s", line: t.line)
                }
            default:
                index += 1
            }
        }
    }

    private mutating func readProject() {
        guard skip("{") else { return }
        while let t = peek(), !(t.kind == .symbol && t.text == "}") {
            index += 1
            if t.kind == .word, t.text.lowercased() == "database_type", skip(":"), let v = next() { databaseType = v.text }
            if t.kind == .symbol, t.text == "{" { index -= 1; skipBlock() }
        }
        _ = skip("}")
    }

    private mutating func readEnum(line: Int) {
        guard let enumName = name(), skip("{") else { return }
        var values: [String] = []
        while let t = peek(), !(t.kind == .symbol && t.text == "}") {
            index += 1
            if t.kind == .word || t.kind == .quoted {
                values.append(t.text)
                if isSymbol("[") { _ = settings() }
            }
        }
        _ = skip("}")
        enums.append(ImportedEnum(name: enumName, schema: nil, values: values, line: line))
    }

    /// `[pk, not null, default: 'x', ref: > a.b]` -> (key, value) pairs, keys lower-cased.
    private mutating func settings() -> [(String, String)] {
        guard skip("[") else { return [] }
        var out: [(String, String)] = []
        while let t = peek(), !(t.kind == .symbol && t.text == "]") {
            if t.kind == .symbol, t.text == "," {
                index += 1
                continue
            }
            // A key: one or more words (`not null`, `primary key`), or a quoted one.
            var words: [String] = []
            while let w = peek(), w.kind == .word { words.append(w.text.lowercased()); index += 1 }
            if words.isEmpty { index += 1; continue }
            var value = ""
            if skip(":") {
                // The value: up to `,` or `]` at this level (a ref spans several tokens).
                var parts: [String] = []
                while let v = peek(), !(v.kind == .symbol && (v.text == "," || v.text == "]")) {
                    parts.append(
                        v.kind == .string ? "'\(v.text)'" : v.kind == .expression ? "`\(v.text)`" : v.kind == .quoted ? "\"\(v.text)\"" : v.text)
                    index += 1
                }
                value = parts.joined(separator: " ")
            }
            out.append((words.joined(separator: " "), value))
        }
        _ = skip("]")
        return out
    }

    private mutating func readTable(line: Int) {
        guard let tableName = name() else { return }
        if isWord("as") {
            index += 1
            if let alias = name() { aliases[alias] = tableName }
        }
        if isSymbol("[") { _ = settings() }
        guard skip("{") else { return }
        var table = ImportedTable(name: tableName, schema: nil, line: line)
        while let t = peek(), !(t.kind == .symbol && t.text == "}") {
            if t.kind == .word, t.text.lowercased() == "indexes", isSymbol("{", 1) {
                index += 1
                readIndexes(into: &table)
                continue
            }
            if t.kind == .word, t.text.lowercased() == "note", isSymbol(":", 1) || isSymbol("{", 1) {
                index += 1
                if skip(":"), let v = next() {
                    table.comment = v.text
                } else if isSymbol("{") {
                    _ = skip("{")
                    if let v = next() { table.comment = v.text }
                    _ = skip("}")
                }
                continue
            }
            guard t.kind == .word || t.kind == .quoted else {
                index += 1
                continue
            }
            index += 1
            readColumn(named: t.text, line: t.line, into: &table)
        }
        _ = skip("}")
        tables.append(table)
    }

    private mutating func readColumn(named columnName: String, line: Int, into table: inout ImportedTable) {
        // The type: a name (maybe quoted or qualified), arguments, `[]`, up to `[` or the line's end.
        var spelling = ""
        while let t = peek(), t.line == line {
            if t.kind == .symbol, t.text == "}" { break }
            // `text[]` is an array type; any other `[` opens the settings.
            if t.kind == .symbol, t.text == "[" {
                guard isSymbol("]", 1) else { break }
                spelling += "[]"
                index += 2
                continue
            }
            switch t.kind {
            case .quoted: spelling += t.text  // `"character varying"`: a type name with a space
            case .string: spelling += "'\(t.text)'"
            default:
                let joins = t.kind == .symbol || spelling.hasSuffix("(") || spelling.hasSuffix(".") || spelling.isEmpty
                spelling += (joins ? "" : " ") + t.text
            }
            index += 1
        }
        // Spellings that DBML generators write without the space SQL needs.
        let compact = ["doubleprecision": "double precision", "charactervarying": "character varying", "timestamptz": "timestamptz"]
        if let spaced = compact[spelling.lowercased()] { spelling = spaced }
        var column = ImportedColumn(name: columnName, type: ImportedType(name: "", spelling: spelling), line: line)
        var reader = SQLCatalogReader(dialect: dialect, file: file)
        let typeText = enums.contains(where: { $0.name == spelling }) ? "\"\(spelling)\"" : spelling
        reader.read("CREATE TABLE t (c \(typeText));")
        if let parsed = reader.catalog.tables.first?.columns.first {
            column.type = Self.understood(parsed.type, dialect: dialect, enums: enums)
            column.autoincrement = parsed.autoincrement
        }
        if isSymbol("["), peek()?.line == line {
            for (key, value) in settings() {
                switch key {
                case "pk", "primary key":
                    table.primaryKey.append(columnName)
                    column.nullable = false
                case "not null": column.nullable = false
                case "null": column.nullable = true
                case "unique": table.uniques.append(ImportedUnique(name: nil, columns: [columnName], line: line))
                case "increment": column.autoincrement = true
                case "note": column.comment = Self.unquoted(value)
                case "default": column.defaultSQL = Self.defaultSQL(value)
                case "ref": parseRef(value, from: (table.name, [columnName]), line: line)
                case "check": table.checks.append(ImportedCheck(name: nil, expression: Self.unquoted(value), line: line))
                default: break
                }
            }
        }
        table.columns.append(column)
    }

    /// DBML's types are what its author wrote (`DateTime`, `int`): one another dialect knows
    /// (and this one does not) is spelled as this dialect spells that portable type.
    static func understood(_ type: ImportedType, dialect: Dialect, enums: [ImportedEnum]) -> ImportedType {
        if enums.contains(where: { $0.name.lowercased() == type.name.lowercased() }) { return type }
        let own = ImportedTypeMapper(dialect: dialect, enumNames: [:], domains: [:]).fieldType(type)
        guard own.approximation != nil else { return type }
        for other in Dialect.allCases where other != dialect {
            var foreign = type
            foreign.spelling = type.spelling
            let mapped = ImportedTypeMapper(dialect: other, enumNames: [:], domains: [:]).fieldType(foreign)
            guard mapped.approximation == nil, let portable = mapped.portable else { continue }
            var spelled = SQLTypeMapper(dialect: dialect).sqlType(portable, schema: Schema(name: "dbml", enums: [], tables: []))
            if type.isArray { spelled += "[]" }
            var result = ImportedType(name: spelled.lowercased(), spelling: spelled)
            result.isArray = type.isArray
            if case let .string(length) = portable { result = ImportedType(name: "varchar", spelling: spelled); result.arguments = ["\(length)"] }
            if case let .decimal(p, s) = portable { result = ImportedType(name: "numeric", spelling: spelled); result.arguments = ["\(p)", "\(s)"] }
            return result
        }
        return type
    }

    /// A DBML default as SQL: `'text'` and numbers as they are, `` `expr` `` unwrapped, `true`/`false`/`null`.
    static func defaultSQL(_ value: String) -> String? {
        if value.hasPrefix("`"), value.hasSuffix("`") {
            let expression = String(value.dropFirst().dropLast())
            // Generators write a JSON default as an expression (`{"a":1}`): it is a JSON literal.
            if expression.hasPrefix("{") || expression.hasPrefix("["), let data = expression.data(using: .utf8),
                (try? JSONSerialization.jsonObject(with: data)) != nil
            {
                return "'" + expression.replacingOccurrences(of: "'", with: "''") + "'"
            }
            return expression
        }
        if value.lowercased() == "null" { return nil }
        if value.hasPrefix("'") { return "'" + unquoted(value).replacingOccurrences(of: "'", with: "''") + "'" }
        return value
    }

    static func unquoted(_ value: String) -> String {
        if value.count >= 2, (value.hasPrefix("'") && value.hasSuffix("'")) || (value.hasPrefix("\"") && value.hasSuffix("\"")) {
            return String(value.dropFirst().dropLast())
        }
        return value
    }

    private mutating func readIndexes(into table: inout ImportedTable) {
        guard skip("{") else { return }
        while let t = peek(), !(t.kind == .symbol && t.text == "}") {
            let line = t.line
            var elements: [ImportedIndex.Element] = []
            if skip("(") {
                while let e = peek(), !(e.kind == .symbol && e.text == ")") {
                    index += 1
                    if e.kind == .word || e.kind == .quoted { elements.append(.column(e.text)) }
                    if e.kind == .expression { elements.append(.expression(e.text)) }
                }
                _ = skip(")")
            } else if t.kind == .expression {
                index += 1
                elements = [.expression(t.text)]
            } else if t.kind == .word || t.kind == .quoted {
                index += 1
                elements = [.column(t.text)]
            } else {
                index += 1
                continue
            }
            var indexName: String?
            var unique = false
            var primary = false
            var method: String?
            if isSymbol("["), peek()?.line == line {
                for (key, value) in settings() {
                    switch key {
                    case "pk": primary = true
                    case "unique": unique = true
                    case "name": indexName = Self.unquoted(value)
                    case "type": method = Self.unquoted(value).lowercased()
                    default: break
                    }
                }
            }
            if primary {
                table.primaryKey = elements.compactMap { if case let .column(c) = $0 { return c } else { return nil } }
            } else {
                table.indexes.append(ImportedIndex(name: indexName, elements: elements, unique: unique, method: method, line: line))
            }
        }
        _ = skip("}")
    }

    // MARK: Refs

    private mutating func readRef(line: Int) {
        var refName: String?
        if let t = peek(), t.kind == .word || t.kind == .quoted, !isSymbol(":", 0) {
            refName = t.text
            index += 1
        }
        if skip("{") {
            var parts: [String] = []
            var refLine = line
            while let t = peek(), !(t.kind == .symbol && t.text == "}") {
                if parts.isEmpty { refLine = t.line }
                parts.append(t.kind == .quoted ? "\"\(t.text)\"" : t.text)
                index += 1
            }
            _ = skip("}")
            parseRefLine(parts, name: refName, line: refLine)
        } else if skip(":") {
            var parts: [String] = []
            let refLine = peek()?.line ?? line
            while let t = peek(), t.line == refLine {
                parts.append(t.kind == .quoted ? "\"\(t.text)\"" : t.kind == .string ? "'\(t.text)'" : t.text)
                index += 1
            }
            parseRefLine(parts, name: refName, line: refLine)
        }
    }

    /// `a.b > c.d [delete: cascade]` as tokens' texts.
    private mutating func parseRefLine(_ parts: [String], name: String?, line: Int) {
        guard let op = parts.firstIndex(where: { [">", "<", "-", "<>"].contains($0) }) else { return }
        var rightEnd = parts.count
        var settingsList: [(String, String)] = []
        if let open = parts[(op + 1)...].firstIndex(of: "[") {
            rightEnd = open
            let inner = parts[(open + 1)...].prefix { $0 != "]" }
            var key: [String] = []
            var value: [String] = []
            var inValue = false
            for p in inner + [","] {
                if p == "," {
                    if !key.isEmpty { settingsList.append((key.joined(separator: " ").lowercased(), value.joined(separator: " "))) }
                    key = []
                    value = []
                    inValue = false
                } else if p == ":" {
                    inValue = true
                } else if inValue {
                    value.append(p)
                } else {
                    key.append(p)
                }
            }
        }
        guard let left = Self.endpoint(Array(parts[..<op])), let right = Self.endpoint(Array(parts[(op + 1)..<rightEnd])) else { return }
        refs.append(Ref(name: name, left: left, kind: parts[op], right: right, settings: settingsList, line: line))
    }

    /// An inline `ref: > users.id` on a column.
    private mutating func parseRef(_ value: String, from column: (String, [String]), line: Int) {
        let parts = value.split(separator: " ").map(String.init)
        guard let op = parts.first, [">", "<", "-", "<>"].contains(op), let target = Self.endpoint(Array(parts.dropFirst())) else { return }
        refs.append(Ref(name: nil, left: (column.0, column.1), kind: op, right: target, settings: [], line: line))
    }

    /// `schema.table.column`, `table.(a, b)`, quoted parts: the table and its columns.
    static func endpoint(_ parts: [String]) -> (table: String, columns: [String])? {
        let cleaned = parts.map { $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.count >= 2 ? String($0.dropFirst().dropLast()) : $0 }
        if let open = cleaned.firstIndex(of: "(") {
            let columns = cleaned[(open + 1)...].prefix { $0 != ")" }.filter { $0 != "," }
            let names = cleaned[..<open].filter { $0 != "." }
            guard let table = names.last else { return nil }
            return (table, Array(columns))
        }
        let names = cleaned.filter { $0 != "." }
        guard names.count >= 2 else { return nil }
        return (names[names.count - 2], [names[names.count - 1]])
    }

    // MARK: Catalog

    public mutating func catalog() -> ImportedCatalog {
        var catalog = ImportedCatalog(dialect: dialect)
        catalog.enums = enums
        catalog.tables = tables
        func number(_ table: String) -> Int? {
            let real = aliases[table] ?? table
            return catalog.tables.firstIndex { $0.name == real }
        }
        for ref in refs {
            guard let l = number(ref.left.table), let r = number(ref.right.table) else {
                warn("ref between '\(ref.left.table)' and '\(ref.right.table)' names a table that is not defined; it is not imported", line: ref.line)
                continue
            }
            var fk = ImportedForeignKey(name: ref.name, columns: [], referencedTable: "", referencedColumns: [], line: ref.line)
            for (key, value) in ref.settings {
                let action = value.uppercased()
                if key == "delete" { fk.onDelete = action }
                if key == "update" { fk.onUpdate = action }
            }
            switch ref.kind {
            case ">", "-":
                fk.columns = ref.left.columns
                fk.referencedTable = catalog.tables[r].name
                fk.referencedColumns = ref.right.columns
                catalog.tables[l].foreignKeys.append(fk)
            case "<":
                fk.columns = ref.right.columns
                fk.referencedTable = catalog.tables[l].name
                fk.referencedColumns = ref.left.columns
                catalog.tables[r].foreignKeys.append(fk)
            default:
                // `<>`: the join table dbml2sql creates, `<left>_<right>` with one column per side.
                let a = catalog.tables[l], b = catalog.tables[r]
                var join = ImportedTable(name: "\(a.name)_\(b.name)", schema: nil, line: ref.line)
                for (side, columns) in [(a, ref.left.columns), (b, ref.right.columns)] {
                    var own: [String] = []
                    for name in columns {
                        guard let c = side.column(named: name, dialect: dialect) else { continue }
                        var column = ImportedColumn(name: "\(side.name)_\(name)", type: side.columns[c].type, line: ref.line)
                        column.type.isArray = false
                        column.nullable = false
                        join.columns.append(column)
                        own.append(column.name)
                    }
                    join.foreignKeys.append(
                        ImportedForeignKey(name: nil, columns: own, referencedTable: side.name, referencedColumns: columns, line: ref.line))
                }
                join.primaryKey = join.columns.map(\.name)
                catalog.tables.append(join)
            }
        }
        return catalog
    }
}
