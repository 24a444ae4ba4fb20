import SchemaModel

/// Reads Prisma schema files (`schema.prisma`, or every `.prisma` file of a multi-file schema) into an
/// `ImportedCatalog`: the tables, columns, keys, indexes and foreign keys that `prisma migrate` would
/// create for them, named as Prisma names them (`@map`/`@@map`, `User_email_key`, `Post_authorId_fkey`),
/// typed as Prisma types them on the datasource's provider (`String` is `text` on PostgreSQL and
/// `varchar(191)` on MySQL; `@db.VarChar(255)` is `varchar(255)`), implicit many-to-many relations as
/// their `_AToB` tables. What Prisma Client does and the database does not (`@default(cuid())`,
/// `@updatedAt`) is a located warning.
public struct PrismaSchemaReader {
    public private(set) var diagnostics = DiagnosticBag()
    private var models: [Model] = []
    private var enums: [ImportedEnum] = []
    /// An enum's type name in the database (its `@@map`), by its Prisma name.
    private var enumTypeName: [String: String] = [:]
    private var composites: Set<String> = []
    private var provider: String?
    private var relationModePrisma: SourceLocation?

    public init() {}

    /// The datasource's dialect (PostgreSQL when it names none Schemaforge has, with a warning).
    public var dialect: Dialect {
        switch provider {
        case "mysql": return .mysql
        case "sqlite": return .sqlite
        default: return .postgresql
        }
    }

    // MARK: Syntax

    private struct Field {
        var name: String
        var type: String
        var optional = false
        var list = false
        var attributes: [Attribute] = []
        var comment: String?
        var line: Int
        var file: String

        func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
    }

    private struct Model {
        var name: String
        var fields: [Field] = []
        var attributes: [Attribute] = []
        var comment: String?
        var line: Int
        var file: String

        func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
        var table: String { attribute("map")?.first?.string ?? name }
    }

    struct Attribute {
        var name: String
        var arguments: [(label: String?, value: Value)] = []

        var first: Value? { arguments.first { $0.label == nil }?.value }
        func named(_ label: String) -> Value? { arguments.first { $0.label == label }?.value }
    }

    indirect enum Value {
        case string(String)
        case number(String)
        case identifier(String)
        case call(String, [(label: String?, value: Value)])
        case array([Value])

        var string: String? {
            if case let .string(s) = self { return s }
            return nil
        }

        /// `[a, b(sort: Desc)]` -> `["a", "b"]`.
        var names: [String] {
            // `@@index(userId)`, `@@index(lastChecked(sort: Asc))`
            if case let .identifier(name) = self { return [name] }
            if case let .call(name, _) = self { return [name] }
            guard case let .array(items) = self else { return [] }
            return items.compactMap {
                switch $0 {
                case let .identifier(n): return n
                case let .call(n, _): return n
                default: return nil
                }
            }
        }
    }

    /// Reads one `.prisma` file.
    public mutating func read(_ text: String, file: String) {
        var lines = Substring(text).split(separator: "\n", omittingEmptySubsequences: false).enumerated().makeIterator()
        var doc: [String] = []
        while let (number, raw) = lines.next() {
            let line = Self.strippingComment(raw)
            let trimmed = line.trimmingCharacters(in: " \t\r")
            if raw.trimmingCharacters(in: " \t").hasPrefix("///") {
                doc.append(String(raw.trimmingCharacters(in: " \t\r").dropFirst(3)).trimmingCharacters(in: " "))
                continue
            }
            guard !trimmed.isEmpty else { continue }
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2, trimmed.hasSuffix("{") else {
                doc = []
                continue
            }
            let kind = String(words[0]), name = String(words[1])
            var body: [(Int, String, [String])] = []
            var fieldDoc: [String] = []
            while let (n, raw) = lines.next() {
                let t = Self.strippingComment(raw).trimmingCharacters(in: " \t\r")
                if raw.trimmingCharacters(in: " \t").hasPrefix("///") {
                    fieldDoc.append(String(raw.trimmingCharacters(in: " \t\r").dropFirst(3)).trimmingCharacters(in: " "))
                    continue
                }
                if t == "}" { break }
                if !t.isEmpty { body.append((n + 1, t, fieldDoc)) }
                fieldDoc = []
            }
            let comment = doc.isEmpty ? nil : doc.joined(separator: "\n")
            doc = []
            switch kind {
            case "model": readModel(name, body: body, comment: comment, line: number + 1, file: file)
            case "enum": readEnum(name, body: body, line: number + 1)
            case "type": composites.insert(name)
            case "datasource":
                for (n, t, _) in body {
                    let parts = t.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " ") }
                    guard parts.count == 2 else { continue }
                    if parts[0] == "provider" { provider = Self.unquoted(parts[1]) }
                    if parts[0] == "relationMode", Self.unquoted(parts[1]) == "prisma" {
                        relationModePrisma = SourceLocation(file: file, line: n, column: 1)
                    }
                }
            case "generator": break
            default:
                diagnostics.warning(
                    "\(kind) '\(name)' is not imported: the schema language has no \(kind)s",
                    at: SourceLocation(file: file, line: number + 1, column: 1))
            }
        }
    }

    private static func unquoted(_ s: String) -> String {
        var t = s.trimmingCharacters(in: " ")
        if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
        return t
    }

    /// The line without its `//` comment (not inside a string).
    private static func strippingComment<S: StringProtocol>(_ line: S) -> String {
        var inString = false
        var previous: Character = " "
        var out = ""
        for ch in line {
            if ch == "\"", previous != "\\" { inString.toggle() }
            if !inString, ch == "/", previous == "/" {
                out.removeLast()
                return out
            }
            out.append(ch)
            previous = ch
        }
        return out
    }

    private mutating func readEnum(_ name: String, body: [(Int, String, [String])], line: Int) {
        var values: [String] = []
        var mapped: String?
        for (_, text, _) in body {
            var parser = AttributeParser(text)
            if text.hasPrefix("@@") {
                for attribute in parser.attributes() where attribute.name == "map" { mapped = attribute.first?.string }
                continue
            }
            guard let value = parser.identifier() else { continue }
            let attributes = parser.attributes()
            values.append(attributes.first { $0.name == "map" }?.first?.string ?? value)
        }
        enums.append(ImportedEnum(name: mapped ?? name, schema: nil, values: values, line: line))
        enumTypeName[name] = mapped ?? name
    }

    private mutating func readModel(_ name: String, body: [(Int, String, [String])], comment: String?, line: Int, file: String) {
        var model = Model(name: name, comment: comment, line: line, file: file)
        for (n, text, doc) in body {
            var parser = AttributeParser(text)
            if text.hasPrefix("@@") {
                model.attributes += parser.attributes()
                continue
            }
            guard let fieldName = parser.identifier(), var type = parser.typeName() else { continue }
            var field = Field(name: fieldName, type: type, line: n, file: file)
            if type.hasSuffix("?") {
                field.optional = true
                type.removeLast()
            }
            if type.hasSuffix("[]") {
                field.list = true
                type.removeLast(2)
            }
            field.type = type
            field.attributes = parser.attributes()
            field.comment = doc.isEmpty ? nil : doc.joined(separator: "\n")
            model.fields.append(field)
        }
        models.append(model)
    }

    // MARK: Semantics

    /// The catalog of everything read so far.
    public mutating func catalog() -> ImportedCatalog {
        var catalog = ImportedCatalog(dialect: dialect)
        if let provider, !["postgresql", "mysql", "sqlite", "cockroachdb"].contains(provider) {
            diagnostics.warning(
                "the datasource's provider is '\(provider)'; the models are imported as PostgreSQL tables",
                at: models.first.map { SourceLocation(file: $0.file, line: 1, column: 1) })
        }
        if let relationModePrisma {
            diagnostics.warning(
                "relationMode = \"prisma\": the database has no foreign keys, Prisma Client emulates them; the schema's relations are real foreign keys",
                at: relationModePrisma)
        }
        catalog.enums = enums
        let byName = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let enumByName = Set(enumTypeName.keys)
        for model in models {
            if model.attribute("ignore") != nil {
                diagnostics.warning(
                    "model '\(model.name)' is @@ignore'd; it is not imported", at: SourceLocation(file: model.file, line: model.line, column: 1))
                continue
            }
            var table = ImportedTable(name: model.table, schema: nil, line: model.line)
            table.comment = model.comment
            for field in model.fields {
                let location = SourceLocation(file: field.file, line: field.line, column: 1)
                if byName[field.type] != nil { continue }  // a relation field
                if field.attribute("ignore") != nil {
                    diagnostics.warning("field '\(model.name).\(field.name)' is @ignore'd; it is not imported", at: location)
                    continue
                }
                var column = ImportedColumn(name: column(field), type: type(field, enums: enumByName), line: field.line)
                column.nullable = field.optional
                column.comment = field.comment
                if let defaultValue = field.attribute("default")?.first {
                    applyDefault(defaultValue, to: &column, field: field, model: model)
                }
                if field.attribute("updatedAt") != nil {
                    diagnostics.warning(
                        "field '\(model.name).\(field.name)' is @updatedAt: Prisma Client sets it, the database does not; set it in a hook",
                        at: location)
                }
                if field.attribute("id") != nil {
                    table.primaryKey = [column.name]
                    table.primaryKeyName = field.attribute("id")?.named("map")?.string
                }
                if let unique = field.attribute("unique") {
                    table.uniques.append(
                        ImportedUnique(
                            name: unique.named("map")?.string ?? Self.truncated("\(table.name)_\(column.name)_key"), columns: [column.name],
                            line: field.line))
                }
                table.columns.append(column)
            }
            let columnOf = Dictionary(model.fields.map { ($0.name, column($0)) }, uniquingKeysWith: { a, _ in a })
            func columns(_ value: Value?) -> [String] { (value?.names ?? []).map { columnOf[$0] ?? $0 } }
            for attribute in model.attributes {
                switch attribute.name {
                case "id":
                    table.primaryKey = columns(attribute.first ?? attribute.named("fields"))
                    table.primaryKeyName = attribute.named("map")?.string
                case "unique":
                    let cols = columns(attribute.first ?? attribute.named("fields"))
                    table.uniques.append(
                        ImportedUnique(
                            name: attribute.named("map")?.string ?? Self.truncated("\(table.name)_\(cols.joined(separator: "_"))_key"), columns: cols,
                            line: model.line))
                case "index":
                    let cols = columns(attribute.first ?? attribute.named("fields"))
                    var method = attribute.named("type").flatMap { v -> String? in
                        if case let .identifier(t) = v { return t.lowercased() } else { return nil }
                    }
                    let location = SourceLocation(file: model.file, line: model.line, column: 1)
                    let options = Self.elementOptions(attribute.first ?? attribute.named("fields"))
                    if options.contains("length") {
                        // A MySQL prefix length: without it the key may be too long for the table.
                        diagnostics.warning(
                            "@@index(\(cols.joined(separator: ", "))) on '\(model.name)' has a prefix length, which the schema language cannot say; it is not imported",
                            at: location)
                        continue
                    }
                    if options.contains("ops"), method != nil {
                        diagnostics.warning(
                            "@@index(\(cols.joined(separator: ", "))) on '\(model.name)': its operator class is not imported, so neither is its type \(method!.uppercased()) (it is a default index)",
                            at: location)
                        method = nil
                    }
                    if options.contains("sort") {
                        diagnostics.warning(
                            "@@index(\(cols.joined(separator: ", "))) on '\(model.name)': the sort order is not imported", at: location)
                    }
                    table.indexes.append(
                        ImportedIndex(
                            name: attribute.named("map")?.string ?? Self.truncated("\(table.name)_\(cols.joined(separator: "_"))_idx"),
                            elements: cols.map { .column($0) },
                            method: method, line: model.line))
                case "fulltext":
                    diagnostics.warning(
                        "@@fulltext on '\(model.name)' is not imported; use `search:`",
                        at: SourceLocation(file: model.file, line: model.line, column: 1))
                default:
                    break
                }
            }
            // Foreign keys: relation fields that name their `fields`.
            for field in model.fields {
                guard let target = byName[field.type], let relation = field.attribute("relation"), let fields = relation.named("fields") else {
                    continue
                }
                let own = columns(fields)
                let targetColumns = Dictionary(target.fields.map { ($0.name, column($0)) }, uniquingKeysWith: { a, _ in a })
                let referenced = (relation.named("references")?.names ?? []).map { targetColumns[$0] ?? $0 }
                var fk = ImportedForeignKey(
                    name: relation.named("map")?.string ?? Self.truncated("\(table.name)_\(own.joined(separator: "_"))_fkey"), columns: own,
                    referencedTable: target.table, referencedColumns: referenced, line: field.line)
                fk.relationName = field.name
                let relationLabel = relation.first?.string ?? relation.named("name")?.string
                fk.backName =
                    target.fields.first { other in
                        other.type == model.name && other.attribute("relation")?.named("fields") == nil
                            && (other.attribute("relation")?.first?.string ?? other.attribute("relation")?.named("name")?.string) == relationLabel
                    }?.name
                fk.onDelete = Self.action(relation.named("onDelete")) ?? (field.optional ? "SET NULL" : "RESTRICT")
                fk.onUpdate = Self.action(relation.named("onUpdate")) ?? "CASCADE"
                table.foreignKeys.append(fk)
            }
            catalog.tables.append(table)
        }
        catalog.tables += implicitManyToMany(byName: byName)
        return catalog
    }

    /// The options the elements of an index list use (`sort`, `length`, `ops`).
    static func elementOptions(_ value: Value?) -> Set<String> {
        var items: [Value] = []
        if case let .array(list)? = value { items = list } else if let value { items = [value] }
        var options: Set<String> = []
        for case let .call(_, arguments) in items { options.formUnion(arguments.compactMap(\.label)) }
        return options
    }

    /// A default constraint name as the database stores it: PostgreSQL keeps the first 63 bytes
    /// (MySQL's limit is 64; Prisma's names stay under both that way).
    static func truncated(_ name: String) -> String {
        guard name.utf8.count > Identifiers.maxExplicitLength else { return name }
        var out = ""
        for ch in name {
            if out.utf8.count + String(ch).utf8.count > Identifiers.maxExplicitLength { break }
            out.append(ch)
        }
        return out
    }

    /// Prisma's referential action names -> SQL's.
    private static func action(_ value: Value?) -> ImportedAction? {
        guard case let .identifier(name)? = value else { return nil }
        switch name {
        case "Cascade": return "CASCADE"
        case "Restrict": return "RESTRICT"
        case "NoAction": return "NO ACTION"
        case "SetNull": return "SET NULL"
        case "SetDefault": return "SET DEFAULT"
        default: return nil
        }
    }

    /// `_CategoryToPost (A, B)`: the table Prisma creates for a many-to-many relation without a model.
    private mutating func implicitManyToMany(byName: [String: Model]) -> [ImportedTable] {
        var tables: [ImportedTable] = []
        var seen: Set<String> = []
        for model in models {
            for field in model.fields where field.list {
                guard let other = byName[field.type], field.attribute("relation")?.named("fields") == nil else { continue }
                let relationName = field.attribute("relation")?.first?.string
                // The other side: a list back to this model with the same relation name.
                guard
                    other.fields.contains(where: {
                        $0.list && $0.type == model.name && $0.attribute("relation")?.first?.string == relationName
                            && ($0.name != field.name || other.name != model.name)
                    })
                else { continue }
                let (a, b) = model.name < other.name ? (model, other) : (other, model)
                let name = "_" + (relationName ?? "\(a.name)To\(b.name)")
                guard seen.insert(name).inserted else { continue }
                guard let aKey = primaryKey(of: a), let bKey = primaryKey(of: b) else { continue }
                var table = ImportedTable(name: name, schema: nil, line: field.line)
                var columnA = ImportedColumn(name: "A", type: aKey.type, line: field.line)
                columnA.nullable = false
                var columnB = ImportedColumn(name: "B", type: bKey.type, line: field.line)
                columnB.nullable = false
                table.columns = [columnA, columnB]
                table.primaryKey = ["A", "B"]
                table.primaryKeyName = "\(name)_AB_pkey"
                table.indexes = [ImportedIndex(name: "\(name)_B_index", elements: [.column("B")], line: field.line)]
                table.foreignKeys = [
                    ImportedForeignKey(
                        name: "\(name)_A_fkey", columns: ["A"], referencedTable: a.table, referencedColumns: [aKey.name], onDelete: "CASCADE",
                        onUpdate: "CASCADE", line: field.line),
                    ImportedForeignKey(
                        name: "\(name)_B_fkey", columns: ["B"], referencedTable: b.table, referencedColumns: [bKey.name], onDelete: "CASCADE",
                        onUpdate: "CASCADE", line: field.line),
                ]
                tables.append(table)
            }
        }
        return tables
    }

    private func primaryKey(of model: Model) -> ImportedColumn? {
        guard let field = model.fields.first(where: { $0.attribute("id") != nil }) else { return nil }
        return ImportedColumn(name: column(field), type: type(field, enums: Set(enums.map(\.name))), line: field.line)
    }

    private func column(_ field: Field) -> String { field.attribute("map")?.first?.string ?? field.name }

    /// The column type Prisma creates for a field on the provider, spelled as that database spells it.
    private func type(_ field: Field, enums _: Set<String>) -> ImportedType {
        var spelling: String
        // `@db.*` names a SQL type only on SQL providers (MongoDB's `@db.ObjectId` is not one).
        let isSQL = provider.map { ["postgresql", "mysql", "sqlite", "cockroachdb"].contains($0) } ?? true
        if isSQL, let native = field.attributes.first(where: { $0.name.hasPrefix("db.") }) {
            spelling = Self.nativeSpelling(String(native.name.dropFirst(3)), native.arguments.map(\.value))
        } else if let e = enumTypeName[field.type] {
            spelling = e
        } else if composites.contains(field.type) {
            spelling = dialect == .postgresql ? "jsonb" : "json"
        } else if field.type.hasPrefix("Unsupported(") {
            spelling = Self.unquoted(String(field.type.dropFirst("Unsupported(".count).dropLast()))
        } else {
            spelling = Self.defaultSpelling(field.type, dialect: dialect)
        }
        // A list of scalars: a PostgreSQL array.
        if field.list, dialect == .postgresql, !composites.contains(field.type) { spelling += "[]" }
        // An enum type keeps its exact name (the SQL reader would fold an unquoted one).
        if let e = enumTypeName[field.type] {
            var type = ImportedType(name: e, spelling: e)
            type.isArray = field.list
            return type
        }
        var reader = SQLCatalogReader(dialect: dialect, file: field.file)
        reader.read("CREATE TABLE t (c \(spelling));")
        return reader.catalog.tables.first?.columns.first?.type ?? ImportedType(name: spelling.lowercased(), spelling: spelling)
    }

    /// `nativeSpelling` for numeric arguments (`@db.Decimal(10, 2)`).
    public static func nativeSpelling(_ name: String, numbers: [String]) -> String { nativeSpelling(name, numbers.map { .number($0) }) }

    /// `@db.VarChar(255)` -> `varchar(255)`, `@db.UnsignedInt` -> `int unsigned`, `@db.DoublePrecision` -> `double precision`.
    static func nativeSpelling(_ name: String, _ arguments: [Value]) -> String {
        var words: [String] = []
        var current = ""
        for ch in name {
            if ch.isUppercase, !current.isEmpty, !(current.last?.isUppercase ?? false) {
                words.append(current)
                current = ""
            }
            current.append(ch)
        }
        if !current.isEmpty { words.append(current) }
        var lower = words.map { $0.lowercased() }
        let joined = lower.joined()
        let known: [String: String] = [
            "varchar": "varchar", "timestamptz": "timestamptz", "jsonb": "jsonb", "bytea": "bytea", "varbit": "varbit", "citext": "citext",
            "smallint": "smallint", "bigint": "bigint", "tinyint": "tinyint", "mediumint": "mediumint", "tinytext": "tinytext",
            "mediumtext": "mediumtext", "longtext": "longtext", "tinyblob": "tinyblob", "mediumblob": "mediumblob", "longblob": "longblob",
            "varbinary": "varbinary", "datetime": "datetime", "doubleprecision": "double precision", "uuid": "uuid",
        ]
        var base: String
        if lower.first == "unsigned" {
            lower.removeFirst()
            base = (known[lower.joined()] ?? lower.joined()) + " unsigned"
        } else {
            base = known[joined] ?? lower.joined(separator: " ")
        }
        let args = arguments.compactMap { v -> String? in
            switch v {
            case let .number(n): return n
            case let .string(s): return "'\(s)'"
            default: return nil
            }
        }
        if !args.isEmpty {
            if base.hasSuffix(" unsigned") {
                base = base.dropLast(" unsigned".count) + "(\(args.joined(separator: ", "))) unsigned"
            } else {
                base += "(\(args.joined(separator: ", ")))"
            }
        }
        return base
    }

    /// The type `prisma migrate` gives a scalar without `@db.`.
    static func defaultSpelling(_ type: String, dialect: Dialect) -> String {
        switch (type, dialect) {
        case ("String", .postgresql): return "text"
        case ("String", .mysql): return "varchar(191)"
        case ("String", .sqlite): return "TEXT"
        case ("Int", .postgresql): return "integer"
        case ("Int", .mysql): return "int"
        case ("Int", .sqlite): return "INTEGER"
        case ("BigInt", _): return "bigint"
        case ("Float", .postgresql): return "double precision"
        case ("Float", .mysql): return "double"
        case ("Float", .sqlite): return "REAL"
        case ("Decimal", .sqlite): return "DECIMAL"
        case ("Decimal", _): return "decimal(65,30)"
        case ("Boolean", .mysql): return "tinyint(1)"
        case ("Boolean", _): return "boolean"
        case ("DateTime", .postgresql): return "timestamp(3)"
        case ("DateTime", .mysql): return "datetime(3)"
        case ("DateTime", .sqlite): return "DATETIME"
        case ("Json", .postgresql): return "jsonb"
        case ("Json", _): return "json"
        case ("Bytes", .postgresql): return "bytea"
        case ("Bytes", .mysql): return "longblob"
        case ("Bytes", .sqlite): return "BLOB"
        default: return "text"
        }
    }

    private mutating func applyDefault(_ value: Value, to column: inout ImportedColumn, field: Field, model: Model) {
        let location = SourceLocation(file: field.file, line: field.line, column: 1)
        switch value {
        case let .call(name, arguments):
            switch name {
            case "autoincrement", "sequence": column.autoincrement = true
            case "now": column.defaultSQL = "CURRENT_TIMESTAMP"
            case "dbgenerated": column.defaultSQL = arguments.first?.value.string
            case "auto": break  // MongoDB's ObjectId
            default:
                diagnostics.warning(
                    "field '\(model.name).\(field.name)': @default(\(name)()) is generated by Prisma Client, not the database; no default is imported",
                    at: location)
            }
        case let .string(s): column.defaultSQL = "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case let .number(n): column.defaultSQL = n
        case let .identifier(id):
            if id == "true" || id == "false" {
                column.defaultSQL = id
            } else {
                // An enum value (its @map, if any, is the stored value).
                column.defaultSQL = "'\(id)'"
            }
        case .array:
            diagnostics.warning("field '\(model.name).\(field.name)': a list default is not imported", at: location)
        }
    }
}

/// Reads the attributes of one line of a Prisma block: `@id @default(now()) @map("x")`.
struct AttributeParser {
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text) }

    private mutating func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }

    mutating func identifier() -> String? {
        skipSpaces()
        let start = i
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." { i += 1 }
        return i > start ? String(chars[start..<i]) : nil
    }

    /// A field's type: `String`, `Post[]`, `Int?`, `Unsupported("tsvector")?`.
    mutating func typeName() -> String? {
        guard var name = identifier() else { return nil }
        if i < chars.count, chars[i] == "(" {
            let start = i
            var depth = 0
            while i < chars.count {
                if chars[i] == "(" { depth += 1 }
                if chars[i] == ")" {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        break
                    }
                }
                i += 1
            }
            name += String(chars[start..<i])
        }
        while i < chars.count, "[]?".contains(chars[i]) {
            name.append(chars[i])
            i += 1
        }
        return name
    }

    mutating func attributes() -> [PrismaSchemaReader.Attribute] {
        var out: [PrismaSchemaReader.Attribute] = []
        while true {
            skipSpaces()
            guard i < chars.count, chars[i] == "@" else { return out }
            i += 1
            if i < chars.count, chars[i] == "@" { i += 1 }
            guard let name = identifier() else { return out }
            var attribute = PrismaSchemaReader.Attribute(name: name)
            if i < chars.count, chars[i] == "(" {
                i += 1
                attribute.arguments = arguments(until: ")")
            }
            out.append(attribute)
        }
    }

    private mutating func arguments(until close: Character) -> [(label: String?, value: PrismaSchemaReader.Value)] {
        var out: [(label: String?, value: PrismaSchemaReader.Value)] = []
        while true {
            skipSpaces()
            guard i < chars.count else { return out }
            if chars[i] == close {
                i += 1
                return out
            }
            if chars[i] == "," {
                i += 1
                continue
            }
            // `label: value` or `value`
            let save = i
            var label: String?
            if let word = identifier() {
                skipSpaces()
                if i < chars.count, chars[i] == ":" {
                    i += 1
                    label = word
                } else {
                    i = save
                }
            }
            guard let v = value() else {
                i += 1
                continue
            }
            out.append((label, v))
        }
    }

    private mutating func value() -> PrismaSchemaReader.Value? {
        skipSpaces()
        guard i < chars.count else { return nil }
        let c = chars[i]
        if c == "\"" {
            i += 1
            var s = ""
            while i < chars.count, chars[i] != "\"" {
                if chars[i] == "\\", i + 1 < chars.count {
                    i += 1
                }
                s.append(chars[i])
                i += 1
            }
            i += 1
            return .string(s)
        }
        if c == "[" {
            i += 1
            return .array(arguments(until: "]").map(\.value))
        }
        if c.isNumber || c == "-" {
            let start = i
            i += 1
            while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
            return .number(String(chars[start..<i]))
        }
        guard let name = identifier() else { return nil }
        if i < chars.count, chars[i] == "(" {
            i += 1
            return .call(name, arguments(until: ")"))
        }
        return .identifier(name)
    }
}
