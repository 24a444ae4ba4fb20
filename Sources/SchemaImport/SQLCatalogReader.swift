import SQLGenerator
import SchemaModel

/// Reads the statements of a SQL script into an `ImportedCatalog`: `CREATE TABLE`, `ALTER TABLE`
/// (constraints, defaults, identities, MySQL's `MODIFY`), `CREATE INDEX`, `CREATE TYPE ... AS ENUM`,
/// `CREATE DOMAIN`, `COMMENT ON`. Everything else that defines something (views, functions,
/// triggers, policies, ...) becomes a located warning; session settings, data and ownership are
/// skipped without one.
public struct SQLCatalogReader {
    public let dialect: Dialect
    public let file: String
    public private(set) var catalog: ImportedCatalog
    public private(set) var diagnostics = DiagnosticBag()
    private var tableIndex: [String: Int] = [:]
    /// Tables attached to a partitioned table (`ALTER TABLE ... ATTACH PARTITION`).
    private var partitions: Set<String> = []
    private var warnedSchemas: Set<String> = []

    public init(dialect: Dialect, file: String) {
        self.dialect = dialect
        self.file = file
        catalog = ImportedCatalog(dialect: dialect)
    }

    /// Reads every statement of `text`.
    public mutating func read(_ text: String) {
        for statement in SQLScanner.statements(of: text) { read(statement) }
        // A partition holds the rows of its parent, which is the table the schema describes.
        for (i, table) in catalog.tables.enumerated().reversed() where partitions.contains(key(table.name)) {
            warn("table '\(table.name)' is a partition of another table; only the partitioned table is imported", line: table.line)
            catalog.tables.remove(at: i)
        }
        tableIndex = Dictionary(catalog.tables.enumerated().map { (key($0.element.name), $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    private mutating func warn(_ message: String, line: Int, column: Int = 1) {
        diagnostics.warning(message, at: SourceLocation(file: file, line: line, column: column))
    }

    /// A name as the database stores it: PostgreSQL folds unquoted names to lower case.
    func stored(_ token: SQLToken) -> String {
        token.kind == .word && dialect == .postgresql ? token.text.lowercased() : token.text
    }

    private func key(_ name: String) -> String { SQLNames.key(name, dialect: dialect) }

    // MARK: Statements

    private static let skipped: Set<String> = [
        "set", "select", "begin", "commit", "start", "end", "rollback", "use", "lock", "unlock", "insert", "copy", "pragma",
        "drop", "grant", "revoke", "savepoint", "release", "analyze", "vacuum", "reset", "delete", "update", "truncate",
        "source", "values", "with", "reindex", "refresh", "cluster", "checkpoint", "discard", "show", "call", "do",
    ]

    private mutating func read(_ statement: SQLStatementText) {
        var cursor = TokenCursor(statement: statement)
        guard let first = cursor.peek() else { return }
        let verb = first.text.lowercased()
        if first.kind != .word || Self.skipped.contains(verb) { return }
        switch verb {
        case "create": readCreate(&cursor)
        case "alter": readAlter(&cursor)
        case "comment": readComment(&cursor)
        default: warn("statement '\(verb.uppercased())' is not imported", line: first.line, column: first.column)
        }
    }

    private mutating func readCreate(_ c: inout TokenCursor) {
        let start = c.next()!
        // Modifiers between CREATE and the object kind.
        while c.skipWord("or") || c.skipWord("replace") || c.skipWord("temporary") || c.skipWord("temp") || c.skipWord("unlogged")
            || c.skipWord("trusted") || c.skipWord("procedural")
            || c.skipWord("global") || c.skipWord("local") || c.skipWord("definer") || c.skipWord("algorithm")
            || (c.peek()?.isWord("sql") ?? false && c.peek(1)?.isWord("security") ?? false)
        {
            if c.skipSymbol("=") {
                c.skipValue()
                // DEFINER=`user`@`host`
                while c.skipSymbol("@") { c.skipValue() }
            }
            // MySQL's SQL SECURITY {DEFINER | INVOKER}
            if c.peek()?.isWord("sql") ?? false, c.peek(1)?.isWord("security") ?? false { c.skip(3) }
        }
        guard let kind = c.peek() else { return }
        switch kind.text.lowercased() {
        case "table": readCreateTable(&c)
        case "unique", "index", "fulltext", "spatial": readCreateIndex(&c)
        case "type": readCreateType(&c, start: start)
        case "domain": readCreateDomain(&c)
        case "schema":
            // `CREATE SCHEMA s CREATE TABLE ... CREATE INDEX ...`: the elements are statements of their own.
            var depth = 0
            var starts: [Int] = []
            for i in c.position..<c.tokens.endIndex {
                let t = c.tokens[i]
                if t.isSymbol("(") { depth += 1 }
                if t.isSymbol(")") { depth -= 1 }
                if depth == 0, t.isWord("create") { starts.append(i) }
            }
            for (n, s) in starts.enumerated() {
                var element = TokenCursor(statement: c.statement, range: s..<(n + 1 < starts.count ? starts[n + 1] : c.tokens.endIndex))
                readCreate(&element)
            }
        case "database", "sequence": return
        case "virtual":
            c.skip()
            c.skipWord("table")
            let name = c.peek().map(stored) ?? "?"
            warn(
                "virtual table '\(name)' (a full-text or other module table) is not imported; use `search:` on the table it indexes", line: start.line
            )
        default:
            var words = [kind.text.uppercased()]
            c.skip()
            if let next = c.peek(), next.kind == .word,
                ["view", "search", "table", "function", "class", "wrapper", "method"].contains(next.text.lowercased())
            {
                words.append(next.text.uppercased())
                c.skip()
            }
            while c.skipWord("if") || c.skipWord("not") || c.skipWord("exists") {}
            let name = qualifiedName(&c)?.name ?? ""
            warn(
                "\(words.joined(separator: " ").lowercased()) \(name.isEmpty ? "" : "'\(name)' ")is not imported: the schema language has no \(words.joined(separator: " ").lowercased())s",
                line: start.line, column: start.column)
        }
    }

    /// A possibly qualified name (`public.film`, `` `db`.`t` ``): the last part and its qualifier.
    private func qualifiedName(_ c: inout TokenCursor) -> (name: String, schema: String?)? {
        guard let first = c.peek(), first.isName else { return nil }
        c.skip()
        var parts = [stored(first)]
        while c.peek()?.isSymbol(".") ?? false, let next = c.peek(1), next.isName {
            c.skip(2)
            parts.append(stored(next))
        }
        return (parts.last!, parts.count > 1 ? parts[parts.count - 2] : nil)
    }

    private mutating func tableNumber(_ name: String) -> Int? { tableIndex[key(name)] }

    private mutating func readCreateTable(_ c: inout TokenCursor) {
        let start = c.next()!
        while c.skipWord("if") || c.skipWord("not") || c.skipWord("exists") {}
        guard let (name, schema) = qualifiedName(&c) else { return }
        // SQLite's own tables (`sqlite_sequence`, `sqlite_stat1`), which `.schema` prints too.
        if dialect == .sqlite, name.lowercased().hasPrefix("sqlite_") { return }
        if c.peek()?.isWord("partition") ?? false {
            warn("table '\(name)' is a partition (PARTITION OF); only its parent table is imported", line: start.line)
            return
        }
        if c.peek()?.isWord("as") ?? false || c.peek()?.isWord("like") ?? false {
            warn("table '\(name)' is created from a query or another table; it is not imported", line: start.line)
            return
        }
        if c.peek()?.isWord("of") ?? false {
            warn("typed table '\(name)' (OF type) is not imported", line: start.line)
            return
        }
        if tableNumber(name) != nil {
            warn(
                "table '\(name)' is created twice\(schema.map { " (again in schema '\($0)')" } ?? ""); the second definition is not imported",
                line: start.line)
            return
        }
        var table = ImportedTable(name: name, schema: schema, line: start.line)
        if let schema, !["public", "main", "temp", "dbo"].contains(schema.lowercased()), warnedSchemas.insert(schema).inserted {
            warn(
                "table '\(name)' is in schema '\(schema)': the schema language has one namespace, so the tables of '\(schema)' are imported into the default schema (check for clashing names and for expressions that name '\(schema)')",
                line: start.line)
        }
        guard c.skipSymbol("(") else { return }
        for element in c.commaSeparatedUntilClose() {
            var e = element
            readTableElement(&e, into: &table)
        }
        // Options after the closing parenthesis: MySQL's `ENGINE=... COMMENT='...'`, PARTITION BY.
        while let option = c.next() {
            if option.isWord("comment") {
                _ = c.skipSymbol("=")
                if let text = c.peek(), text.kind == .string {
                    table.comment = text.text
                    c.skip()
                }
            } else if option.isWord("partition") && (c.peek()?.isWord("by") ?? false) {
                warn("table '\(name)' is partitioned (PARTITION BY); it is imported as one plain table", line: option.line, column: option.column)
                break
            } else if option.isWord("inherits") {
                // A child table (the old form of partitions): its columns and rows are its parent's.
                warn(
                    "table '\(name)' inherits \(c.parenthesizedText()) (INHERITS); only the parent table is imported",
                    line: option.line, column: option.column)
                return
            } else if option.isWord("without") && (c.peek()?.isWord("rowid") ?? false) {
                warn("table '\(name)' is WITHOUT ROWID; it is imported as an ordinary table", line: option.line, column: option.column)
            }
        }
        tableIndex[key(name)] = catalog.tables.count
        catalog.tables.append(table)
    }

    /// One element of a table's definition: a column or a table constraint.
    private mutating func readTableElement(_ c: inout TokenCursor, into table: inout ImportedTable) {
        guard let first = c.peek() else { return }
        var constraintName: String?
        if first.isWord("constraint") {
            c.skip()
            constraintName = c.peek().map(stored)
            c.skip()
        }
        guard let head = c.peek() else { return }
        let word = constraintKeyword(c)
        switch word {
        case "primary":
            c.skip(2)
            table.primaryKey = columnList(&c)
            table.primaryKeyName = constraintName
        case "unique":
            c.skip()
            if c.skipWord("key") || c.skipWord("index") {}
            if constraintName == nil, let name = c.peek(), name.isName, !(c.peek(1)?.isWord("using") ?? false) || true, name.kind != .symbol,
                !(name.isSymbol("("))
            {
                constraintName = stored(name)
                c.skip()
            }
            _ = c.skipWord("using") ? c.skip() : ()
            table.uniques.append(ImportedUnique(name: constraintName, columns: columnList(&c), line: head.line))
        case "foreign":
            c.skip(2)
            if constraintName == nil, let name = c.peek(), name.isName {
                constraintName = stored(name)
                c.skip()
            }
            let columns = columnList(&c)
            if var fk = references(&c, columns: columns, line: head.line) {
                fk.name = constraintName
                table.foreignKeys.append(fk)
            }
        case "check":
            c.skip()
            let expression = c.parenthesizedText()
            table.checks.append(ImportedCheck(name: constraintName, expression: expression, line: head.line))
        case "key", "index":
            c.skip()
            readInlineIndex(&c, unique: false, line: head.line, into: &table)
        case "fulltext", "spatial":
            warn(
                "\(word.uppercased()) index in table '\(table.name)' is not imported; use `search:` for full-text search", line: head.line,
                column: head.column)
        case "exclude":
            warn("exclusion constraint in table '\(table.name)' is not imported", line: head.line, column: head.column)
        case "like":
            warn("LIKE in table '\(table.name)' is not imported", line: head.line, column: head.column)
        case "period":
            return
        default:
            guard head.isName else { return }
            readColumn(&c, into: &table)
        }
    }

    /// The keyword that starts a table constraint at the cursor, or "" for a column (which may be
    /// called `key`, `check` or `fulltext`: the word after it decides).
    private func constraintKeyword(_ c: TokenCursor) -> String {
        guard let head = c.peek(), head.kind == .word else { return "" }
        let word = head.text.lowercased()
        let next = c.peek(1)
        let nextWord = next?.kind == .word ? next!.text.lowercased() : ""
        let opensList = next?.isSymbol("(") ?? false
        let namedList = (next?.isName ?? false) && (c.peek(2)?.isSymbol("(") ?? false || c.peek(2)?.isWord("using") ?? false)
        switch word {
        case "primary", "foreign": return nextWord == "key" ? word : ""
        case "unique": return opensList || nextWord == "key" || nextWord == "index" || namedList || next == nil ? word : ""
        case "check": return opensList ? word : ""
        case "key", "index": return opensList || namedList ? word : ""
        case "fulltext", "spatial": return nextWord == "key" || nextWord == "index" || opensList || namedList ? word : ""
        case "exclude": return nextWord == "using" || opensList ? word : ""
        case "like": return next?.isName ?? false ? word : ""
        case "period": return nextWord == "for" ? word : ""
        default: return ""
        }
    }

    private mutating func readInlineIndex(_ c: inout TokenCursor, unique: Bool, line: Int, into table: inout ImportedTable) {
        var name: String?
        if let token = c.peek(), token.isName, !token.isWord("using") {
            name = stored(token)
            c.skip()
        }
        var method: String?
        if c.skipWord("using") { method = c.next()?.text.lowercased() }
        guard c.skipSymbol("(") else { return }
        let elements = indexElements(c.commaSeparatedUntilClose(), index: name, table: table.name, line: line)
        if c.skipWord("using") { method = c.next()?.text.lowercased() }
        table.indexes.append(ImportedIndex(name: name, elements: elements, unique: unique, method: method, whereClause: nil, line: line))
    }

    /// `(a, b)` as stored names (a MySQL prefix length `a(10)` or an order `a DESC` is dropped).
    private func columnList(_ c: inout TokenCursor) -> [String] {
        guard c.skipSymbol("(") else { return [] }
        return c.commaSeparatedUntilClose().compactMap { element in element.tokens.first.map(stored) }
    }

    private func references(_ c: inout TokenCursor, columns: [String], line: Int) -> ImportedForeignKey? {
        guard c.skipWord("references"), let (table, _) = qualifiedName(&c) else { return nil }
        var fk = ImportedForeignKey(name: nil, columns: columns, referencedTable: table, referencedColumns: [], line: line)
        if c.peek()?.isSymbol("(") ?? false { fk.referencedColumns = columnList(&c) }
        while let token = c.peek(), token.kind == .word {
            switch token.text.lowercased() {
            case "on":
                c.skip()
                let which = c.next()?.text.lowercased()
                var action = c.next()?.text.uppercased() ?? ""
                if action == "SET" || action == "NO" { action += " " + (c.next()?.text.uppercased() ?? "") }
                if which == "delete" { fk.onDelete = action } else { fk.onUpdate = action }
            case "match":
                c.skip(2)
            case "deferrable":
                c.skip()
                fk.deferrable = true
            case "not":
                c.skip(2)
            case "initially":
                c.skip(2)
            default:
                return fk
            }
        }
        return fk
    }

    /// Words that end a column's type (and a default's expression).
    private static let columnConstraintWords: Set<String> = [
        "constraint", "not", "null", "default", "primary", "unique", "references", "check", "collate", "generated", "auto_increment",
        "autoincrement", "comment", "on", "character", "charset", "as", "identity", "key", "invisible", "visible", "storage",
        "compression", "virtual", "stored", "persistent", "column_format",
    ]

    private mutating func readColumn(_ c: inout TokenCursor, into table: inout ImportedTable) {
        guard let nameToken = c.next(), nameToken.isName else { return }
        let type = readType(&c)
        var column = ImportedColumn(name: stored(nameToken), type: type, line: nameToken.line)
        var constraintName: String?
        while let token = c.peek() {
            let word = token.kind == .word ? token.text.lowercased() : ""
            c.skip()
            switch word {
            case "constraint":
                constraintName = c.next().map(stored)
                continue
            case "not":
                if c.skipWord("null") { column.nullable = false } else { c.skip() }
            case "null": column.nullable = true
            case "default":
                if c.peek()?.isWord("null") ?? false, !(c.peek(1)?.isSymbol("::") ?? false) {
                    c.skip()
                } else {
                    column.defaultSQL = c.expressionText(until: Self.columnConstraintWords)
                }
            case "primary":
                c.skipWord("key")
                while c.skipWord("asc") || c.skipWord("desc") {}
                table.primaryKey = [column.name]
                table.primaryKeyName = constraintName
                column.nullable = false
            case "unique":
                c.skipWord("key")
                table.uniques.append(ImportedUnique(name: constraintName, columns: [column.name], line: token.line))
            case "references":
                c.back()
                if var fk = references(&c, columns: [column.name], line: token.line) {
                    fk.name = constraintName
                    table.foreignKeys.append(fk)
                }
            case "check":
                table.checks.append(ImportedCheck(name: constraintName, expression: c.parenthesizedText(), line: token.line))
            case "collate":
                column.collation = c.next().map { $0.text }
            case "generated":
                // GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(...)] | GENERATED ALWAYS AS (expr) [STORED|VIRTUAL]
                while c.skipWord("always") || c.skipWord("by") || c.skipWord("default") {}
                c.skipWord("as")
                if c.skipWord("identity") {
                    column.autoincrement = true
                    if c.peek()?.isSymbol("(") ?? false { _ = c.parenthesizedText() }
                } else {
                    column.generated = c.parenthesizedText()
                }
            case "as":
                column.generated = c.parenthesizedText()
            case "auto_increment", "autoincrement", "identity":
                column.autoincrement = true
                if c.peek()?.isSymbol("(") ?? false { _ = c.parenthesizedText() }
            case "comment":
                if let text = c.next(), text.kind == .string { column.comment = text.text }
            case "on":
                // MySQL: ON UPDATE CURRENT_TIMESTAMP[(n)]
                c.skipWord("update")
                let expression = c.expressionText(until: Self.columnConstraintWords)
                warn(
                    "column '\(table.name).\(column.name)': ON UPDATE \(expression) is not imported (the schema language has no update default); set the value in a hook",
                    line: token.line, column: token.column)
            case "character", "charset":
                c.skipWord("set")
                c.skip()
            default:
                break
            }
            constraintName = nil
        }
        table.columns.append(column)
    }

    /// A column type: words (`double precision`, `timestamp without time zone`, `int unsigned`),
    /// arguments in parentheses, `[]` for arrays.
    private func readType(_ c: inout TokenCursor) -> ImportedType {
        let startIndex = c.position
        var words: [String] = []
        var qualifier: String?
        var type = ImportedType(name: "", spelling: "")
        while let token = c.peek() {
            if token.kind == .word || token.kind == .quoted {
                let lower = token.text.lowercased()
                if token.kind == .word, Self.columnConstraintWords.contains(lower), !words.isEmpty || lower == "null" || lower == "not" {
                    // `character varying`: `character` continues a type that it starts.
                    if !(lower == "character" && words.isEmpty) { break }
                }
                if lower == "unsigned" && token.kind == .word {
                    type.isUnsigned = true
                } else if lower == "array" && token.kind == .word && !words.isEmpty {
                    // `text ARRAY`, `integer ARRAY[3]`: the standard spelling of `text[]`.
                    type.isArray = true
                    if c.peek(1)?.isSymbol("[") ?? false {
                        c.skip()
                        while let t = c.peek(1), !t.isSymbol("]") { c.skip() }
                        c.skip()
                    }
                } else if lower == "zerofill" && token.kind == .word {
                } else if c.peek(1)?.isSymbol(".") ?? false {
                    qualifier = stored(token)
                    c.skip()
                } else {
                    words.append(token.kind == .quoted ? token.text : lower)
                }
                c.skip()
            } else if token.isSymbol("(") {
                c.skip()
                type.arguments = c.commaSeparatedUntilClose().map { $0.text }
            } else if token.isSymbol("[") {
                c.skip()
                while let t = c.next(), !t.isSymbol("]") {}
                type.isArray = true
            } else if token.isSymbol(".") {
                c.skip()
            } else {
                break
            }
        }
        type.name = words.joined(separator: " ")
        type.qualifier = qualifier
        type.spelling = c.text(from: startIndex, to: c.position)
        if words.isEmpty {
            type.name = ""
        }
        return type
    }

    /// One element of an index: a column, or an expression. What the schema's index cannot say
    /// about a column (an order, an operator class, a prefix length) is the second value.
    private func indexElement(_ element: TokenCursor) -> (ImportedIndex.Element, String?) {
        let tokens = element.tokens
        guard let first = tokens.first else { return (.expression(""), nil) }
        if first.isName {
            var rest = tokens.dropFirst()
            var dropped: [String] = []
            if rest.first?.isSymbol("(") ?? false, rest.count >= 3, rest.dropFirst().first?.kind == .number {
                dropped.append("prefix length \(rest.dropFirst().first!.text)")
                rest = rest.dropFirst(3)
            }
            if rest.allSatisfy({ $0.kind == .word || $0.kind == .quoted || $0.isSymbol(".") }) {
                let words = rest.map { $0.text.lowercased() }
                if words.contains("desc") { dropped.append("DESC") }
                if words.contains("nulls") { dropped.append("NULLS \(words.last!.uppercased())") }
                let opclass = words.filter { !["asc", "desc", "nulls", "first", "last", "collate"].contains($0) }
                if !opclass.isEmpty, !words.contains("collate") { dropped.append("operator class \(opclass.joined(separator: "."))") }
                if words.contains("collate") { dropped.append("collation") }
                return (.column(stored(first)), dropped.isEmpty ? nil : dropped.joined(separator: ", "))
            }
        }
        return (.expression(Self.unwrapped(element.text)), nil)
    }

    /// The elements of an index, with a located warning for what they lose.
    private mutating func indexElements(_ items: [TokenCursor], index name: String?, table: String, line: Int) -> [ImportedIndex.Element] {
        items.map { item in
            let (element, dropped) = indexElement(item)
            if let dropped, case let .column(column) = element {
                warn("index '\(name ?? "?")' on '\(table)': \(dropped) of column '\(column)' is not imported", line: line)
            }
            return element
        }
    }

    /// `(expr)` -> `expr`.
    static func unwrapped(_ text: String) -> String {
        var t = text
        while SQLTypeMapper.isWrappedInParentheses(t) { t = String(t.dropFirst().dropLast()) }
        return t
    }

    // MARK: CREATE INDEX

    private mutating func readCreateIndex(_ c: inout TokenCursor) {
        let start = c.peek()!
        let unique = c.skipWord("unique")
        if c.skipWord("fulltext") || c.skipWord("spatial") {
            warn("\(start.text.uppercased()) index is not imported; use `search:` for full-text search", line: start.line)
            return
        }
        c.skipWord("index")
        while c.skipWord("concurrently") || c.skipWord("if") || c.skipWord("not") || c.skipWord("exists") {}
        var name: String?
        if let token = c.peek(), token.isName, !token.isWord("on") {
            name = qualifiedName(&c)?.name
        }
        var method: String?
        if c.skipWord("using") { method = c.next()?.text.lowercased() }
        guard c.skipWord("on") else { return }
        c.skipWord("only")
        guard let (tableName, _) = qualifiedName(&c) else { return }
        if c.skipWord("using") { method = c.next()?.text.lowercased() }
        guard c.skipSymbol("(") else { return }
        let elements = indexElements(c.commaSeparatedUntilClose(), index: name, table: tableName, line: start.line)
        var whereClause: String?
        while let token = c.next() {
            if token.isWord("include") {
                warn("index '\(name ?? "?")': INCLUDE columns are not imported", line: token.line, column: token.column)
                _ = c.parenthesizedText()
            } else if token.isWord("where") {
                whereClause = Self.unwrapped(c.restText())
                break
            } else if token.isWord("with") {
                _ = c.parenthesizedText()
            }
        }
        guard let number = tableNumber(tableName) else {
            warn("index '\(name ?? "?")' is on '\(tableName)', which is not a table of this script; it is not imported", line: start.line)
            return
        }
        catalog.tables[number].indexes.append(
            ImportedIndex(name: name, elements: elements, unique: unique, method: method, whereClause: whereClause, line: start.line))
    }

    // MARK: Types and domains

    private mutating func readCreateType(_ c: inout TokenCursor, start: SQLToken) {
        c.skip()
        guard let (name, schema) = qualifiedName(&c) else { return }
        guard c.skipWord("as"), c.skipWord("enum"), c.skipSymbol("(") else {
            warn("type '\(name)' is not imported: only enum types are (composite and range types have no equivalent)", line: start.line)
            return
        }
        let values = c.commaSeparatedUntilClose().compactMap { $0.tokens.first?.kind == .string ? $0.tokens.first!.text : nil }
        catalog.enums.append(ImportedEnum(name: name, schema: schema, values: values, line: start.line))
    }

    private mutating func readCreateDomain(_ c: inout TokenCursor) {
        let start = c.next()!
        guard let (name, _) = qualifiedName(&c) else { return }
        c.skipWord("as")
        let type = readType(&c)
        catalog.domains[key(name)] = type
        if !c.atEnd {
            warn("domain '\(name)' is imported as its type \(type.spelling); its constraints and default are not", line: start.line)
        }
    }

    // MARK: ALTER TABLE

    private mutating func readAlter(_ c: inout TokenCursor) {
        let start = c.next()!
        guard c.skipWord("table") else { return }
        while c.skipWord("only") || c.skipWord("if") || c.skipWord("exists") {}
        guard let (name, _) = qualifiedName(&c) else { return }
        guard let number = tableNumber(name) else {
            // Sequences and views are altered with ALTER TABLE too; their owners and defaults do not matter.
            return
        }
        var table = catalog.tables[number]
        for action in c.commaSeparated() {
            var a = action
            readAlterAction(&a, table: &table, line: start.line)
        }
        catalog.tables[number] = table
    }

    private mutating func readAlterAction(_ c: inout TokenCursor, table: inout ImportedTable, line: Int) {
        guard let verb = c.next() else { return }
        switch verb.text.lowercased() {
        case "add":
            if c.peek()?.isWord("column") ?? false {
                c.skip()
                while c.skipWord("if") || c.skipWord("not") || c.skipWord("exists") {}
                readColumn(&c, into: &table)
            } else if let next = c.peek(),
                next.isWord("constraint") || next.isWord("primary") || next.isWord("unique") || next.isWord("foreign")
                    || next.isWord("check") || next.isWord("key") || next.isWord("index") || next.isWord("fulltext") || next.isWord("spatial")
            {
                if next.isWord("unique"), c.peek(1)?.isWord("index") ?? false || c.peek(1)?.isWord("key") ?? false {
                    c.skip(2)
                    readInlineIndex(&c, unique: true, line: next.line, into: &table)
                } else {
                    readTableElement(&c, into: &table)
                }
            } else if c.peek()?.isName ?? false {
                readColumn(&c, into: &table)
            }
        case "attach":
            c.skipWord("partition")
            if let (partition, _) = qualifiedName(&c) { partitions.insert(key(partition)) }
        case "inherit":
            warn("table '\(table.name)' inherits another table (INHERIT); the inherited columns are not imported", line: line)
        case "modify", "change":
            c.skipWord("column")
            if verb.isWord("change") { c.skip() }  // the old name
            var replacement = ImportedTable(name: table.name, schema: table.schema, line: line)
            readColumn(&c, into: &replacement)
            if let column = replacement.columns.first, let i = table.column(named: column.name, dialect: dialect) {
                table.columns[i] = column
            }
            table.primaryKey = replacement.primaryKey.isEmpty ? table.primaryKey : replacement.primaryKey
        case "alter":
            c.skipWord("column")
            guard let nameToken = c.next(), let i = table.column(named: stored(nameToken), dialect: dialect) else { return }
            if c.skipWord("set") {
                if c.skipWord("default") {
                    table.columns[i].defaultSQL = c.restText()
                } else if c.skipWord("not") {
                    table.columns[i].nullable = false
                }
            } else if c.skipWord("drop") {
                if c.skipWord("default") { table.columns[i].defaultSQL = nil } else if c.skipWord("not") { table.columns[i].nullable = true }
            } else if c.skipWord("add") {
                // ADD GENERATED ... AS IDENTITY (...)
                if c.tokensRemaining.contains(where: { $0.isWord("identity") }) { table.columns[i].autoincrement = true }
            }
        default:
            return
        }
    }

    // MARK: COMMENT ON

    private mutating func readComment(_ c: inout TokenCursor) {
        c.skip()
        guard c.skipWord("on"), let kind = c.next() else { return }
        let target: [String]
        if kind.isWord("table") {
            guard let (name, _) = qualifiedName(&c) else { return }
            target = [name]
        } else if kind.isWord("column") {
            var parts: [String] = []
            while let t = c.peek(), t.isName {
                parts.append(stored(t))
                c.skip()
                if !c.skipSymbol(".") { break }
            }
            guard parts.count >= 2 else { return }
            target = Array(parts.suffix(2))
        } else {
            return
        }
        guard c.skipWord("is"), let text = c.next(), text.kind == .string, let number = tableNumber(target[0]) else { return }
        if target.count == 1 {
            catalog.tables[number].comment = text.text
        } else if let i = catalog.tables[number].column(named: target[1], dialect: dialect) {
            catalog.tables[number].columns[i].comment = text.text
        }
    }
}

/// A position in one statement's tokens, with the steps the reader needs.
struct TokenCursor {
    let statement: SQLStatementText
    let tokens: ArraySlice<SQLToken>
    var position: Int

    init(statement: SQLStatementText) {
        self.statement = statement
        tokens = statement.tokens[...]
        position = 0
    }

    init(statement: SQLStatementText, range: Range<Int>) {
        self.statement = statement
        tokens = statement.tokens[range]
        position = range.lowerBound
    }

    var atEnd: Bool { position >= tokens.endIndex }
    var tokensRemaining: ArraySlice<SQLToken> { atEnd ? [] : tokens[position...] }

    func peek(_ offset: Int = 0) -> SQLToken? { position + offset < tokens.endIndex ? tokens[position + offset] : nil }

    mutating func next() -> SQLToken? {
        defer { position += 1 }
        return peek()
    }

    mutating func skip(_ n: Int = 1) { position = min(tokens.endIndex, position + n) }
    mutating func back() { position -= 1 }

    @discardableResult
    mutating func skipWord(_ word: String) -> Bool {
        guard peek()?.isWord(word) ?? false else { return false }
        position += 1
        return true
    }

    mutating func skipSymbol(_ symbol: String) -> Bool {
        guard peek()?.isSymbol(symbol) ?? false else { return false }
        position += 1
        return true
    }

    /// Skips one value token, or a parenthesized group.
    mutating func skipValue() {
        if peek()?.isSymbol("(") ?? false { _ = parenthesizedText() } else { skip() }
    }

    /// The source text of the tokens in `first..<last`.
    func text(from first: Int, to last: Int) -> String {
        guard last > first else { return "" }
        return statement.text(from: first, through: last - 1)
    }

    /// The source text of these tokens.
    var text: String { text(from: tokens.startIndex, to: tokens.endIndex) }

    /// The rest of the statement's text.
    mutating func restText() -> String {
        let t = text(from: position, to: tokens.endIndex)
        position = tokens.endIndex
        return t
    }

    /// At `(`: the text inside the parentheses (the cursor moves past the `)`).
    mutating func parenthesizedText() -> String {
        guard skipSymbol("(") else { return "" }
        let start = position
        var depth = 1
        while let t = next() {
            if t.isSymbol("(") { depth += 1 }
            if t.isSymbol(")") {
                depth -= 1
                if depth == 0 { return SQLCatalogReader.unwrapped(text(from: start, to: position - 1)) }
            }
        }
        return text(from: start, to: position)
    }

    /// The tokens up to (not including) a word of `stops` at depth zero, or a `,`/`)` at depth zero.
    mutating func expressionText(until stops: Set<String>) -> String {
        let start = position
        var depth = 0
        while let t = peek() {
            if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
            if t.isSymbol(")") || t.isSymbol("]") {
                if depth == 0 { break }
                depth -= 1
            }
            if depth == 0 {
                if t.isSymbol(",") { break }
                if t.kind == .word, stops.contains(t.text.lowercased()), position > start {
                    // `'x'::character varying`: a cast's type words are part of the expression.
                    let previous = tokens[position - 1]
                    if !(previous.isSymbol("::") || (previous.kind == .word && t.isWord("varying"))) { break }
                }
            }
            position += 1
        }
        return text(from: start, to: position)
    }

    /// After an opening `(`: the comma-separated items up to its `)` (the cursor moves past it).
    mutating func commaSeparatedUntilClose() -> [TokenCursor] {
        var items: [TokenCursor] = []
        var depth = 0
        var itemStart = position
        while let t = peek() {
            if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
            if t.isSymbol(")") || t.isSymbol("]") {
                if depth == 0 {
                    if position > itemStart { items.append(TokenCursor(statement: statement, range: itemStart..<position)) }
                    position += 1
                    return items
                }
                depth -= 1
            }
            if depth == 0, t.isSymbol(",") {
                items.append(TokenCursor(statement: statement, range: itemStart..<position))
                itemStart = position + 1
            }
            position += 1
        }
        if position > itemStart { items.append(TokenCursor(statement: statement, range: itemStart..<position)) }
        return items
    }

    /// The comma-separated items from here to the end of the statement.
    mutating func commaSeparated() -> [TokenCursor] {
        var items: [TokenCursor] = []
        var depth = 0
        var itemStart = position
        while let t = peek() {
            if t.isSymbol("(") { depth += 1 }
            if t.isSymbol(")") { depth -= 1 }
            if depth == 0, t.isSymbol(",") {
                items.append(TokenCursor(statement: statement, range: itemStart..<position))
                itemStart = position + 1
            }
            position += 1
        }
        if position > itemStart { items.append(TokenCursor(statement: statement, range: itemStart..<position)) }
        return items
    }
}
