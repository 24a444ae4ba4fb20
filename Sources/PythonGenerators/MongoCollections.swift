import Foundation
import SchemaModel

/// JSON with ordered keys, for the `$jsonSchema` validators (stable, reviewable output).
public indirect enum OrderedJSON: Equatable, Sendable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([Pair])

    public struct Pair: Equatable, Sendable {
        public var key: String
        public var value: OrderedJSON
        public init(_ key: String, _ value: OrderedJSON) {
            self.key = key
            self.value = value
        }
    }

    public func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case let .string(s): return Self.quote(s)
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        case let .array(items):
            if items.isEmpty { return "[]" }
            let inline = "[" + items.map { $0.render() }.joined(separator: ", ") + "]"
            // Short lists of scalars on one line; the line stays well under 88 characters, so the
            // JSON can sit in a Python string that the line wrapper never touches.
            if inline.count + 2 * indent <= 56,
                items.allSatisfy({ if case .object = $0 { return false } else if case .array = $0 { return false } else { return true } })
            {
                return inline
            }
            return "[\n" + items.map { pad + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n" + end + "]"
        case let .object(pairs):
            if pairs.isEmpty { return "{}" }
            return "{\n" + pairs.map { pad + Self.quote($0.key) + ": " + $0.value.render(indent: indent + 1) }.joined(separator: ",\n") + "\n" + end
                + "}"
        }
    }

    static func quote(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(s)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
    }

    static func number(_ value: Double) -> OrderedJSON {
        value == value.rounded() && abs(value) < 1e15 ? .number(String(Int64(value))) : .number(String(value))
    }
}

/// One index of a collection, as `mongo/indexes.py` creates it.
public struct MongoIndexSpec: Equatable, Sendable {
    public var name: String
    public var keys: [String]
    public var unique: Bool
    /// `partialFilterExpression`, translated from a simple SQL predicate.
    public var partialFilter: OrderedJSON?
    /// A TTL index: documents expire this many seconds after the key's time.
    public var expireAfterSeconds: Int?
    /// A text index (every key is `"text"`).
    public var text = false

    /// Expressible as an ODMantic `Index` in `model_config` (no options beyond `unique`).
    public var isPlain: Bool { partialFilter == nil && expireAfterSeconds == nil && !text }
}

/// What a collection stores: its name, its `$jsonSchema` validator, its indexes, and the schema
/// features MongoDB cannot express (reported as warnings, never dropped silently).
public struct MongoCollectionBuilder {
    /// The reshaped schema (`MongoShape.reshape`).
    public let schema: Schema

    public init(reshaped schema: Schema) { self.schema = schema }

    public func collectionName(_ table: Table) -> String { Self.collectionName(table) }

    /// `mongo: {collection: ...}`, else the table name.
    public static func collectionName(_ table: Table) -> String { table.mongo?.collection ?? table.name }

    func key(_ column: Column, in table: Table) -> String {
        column.name == "id" && MongoShape.isObjectId(column) ? "_id" : EntityView(schema: schema, table: table).attribute(column)
    }

    /// The stored many-to-many arrays of a table: field name and target entity.
    func arrays(_ table: Table) -> [(field: String, relation: Relation)] {
        table.relations.filter { $0.kind == .manyToMany && $0.throughEntity == nil }.map { (PythonNames.idsField($0.name), $0) }
    }

    // MARK: Validator

    public func validator(_ table: Table) -> OrderedJSON {
        let additionalProperties = table.mongo?.additionalProperties ?? false
        var required: [OrderedJSON] = []
        var properties: [OrderedJSON.Pair] = []
        for column in table.columns {
            let k = key(column, in: table)
            required.append(.string(k))
            properties.append(.init(k, property(column)))
        }
        for (field, relation) in arrays(table) {
            required.append(.string(field))
            properties.append(
                .init(
                    field,
                    .object([
                        .init("bsonType", .string("array")), .init("items", .object([.init("bsonType", .string("objectId"))])),
                        .init("description", .string("ObjectIds of \(relation.targetEntity) (\(relation.name))")),
                    ])))
        }
        var schemaPairs: [OrderedJSON.Pair] = [.init("bsonType", .string("object")), .init("title", .string(table.entity ?? table.name))]
        if let comment = table.comment { schemaPairs.append(.init("description", .string(comment))) }
        schemaPairs.append(.init("required", .array(required)))
        schemaPairs.append(.init("properties", .object(properties)))
        schemaPairs.append(.init("additionalProperties", .bool(additionalProperties)))
        return .object([.init("$jsonSchema", .object(schemaPairs))])
    }

    /// An embedded copy of `target`: its fields without `_id` (and without its many-to-many arrays).
    func embeddedSchema(_ target: Table, comment: String?) -> OrderedJSON {
        var required: [OrderedJSON] = [], properties: [OrderedJSON.Pair] = []
        for column in target.columns where column.name != "id" {
            let k = key(column, in: target)
            required.append(.string(k))
            properties.append(.init(k, property(column)))
        }
        var pairs: [OrderedJSON.Pair] = [.init("bsonType", .string("object")), .init("title", .string(target.entity ?? target.name))]
        if let comment { pairs.append(.init("description", .string(comment))) }
        pairs += [
            .init("required", .array(required)), .init("properties", .object(properties)),
            .init("additionalProperties", .bool(target.mongo?.additionalProperties ?? false)),
        ]
        return .object(pairs)
    }

    /// The BSON types of a value, as the validator lists them: one, except for `json`, which holds
    /// any JSON value (an object, an array, a string, a number or a bool).
    func bsonTypes(_ type: ColumnType, column: Column?) -> [String] {
        if case .json = type, column.map(MongoShape.isObjectId) != true, column.flatMap(MongoShape.embeddedEntity) == nil {
            return ["object", "array", "string", "double", "int", "long", "decimal", "bool"]
        }
        // pymongo stores a Python int as int32 when it fits, int64 otherwise.
        let base = bsonType(type, column: column)
        return base == "long" ? ["int", "long"] : [base]
    }

    /// The partial filter that makes a unique index on nullable fields unique the SQL way: a
    /// document whose value is null (or missing) is not indexed, so any number of them may exist
    /// (MongoDB would otherwise index null as a value and allow one). Nil without nullable fields.
    func nonNull(_ columns: [String], in table: Table) -> OrderedJSON? {
        let pairs: [OrderedJSON.Pair] = columns.compactMap { name in
            guard let column = table.column(named: name), column.nullable else { return nil }
            let types = bsonTypes(column.type, column: column)
            // `number` matches int and long alike. A JSON value may be of any type, and a partial
            // filter cannot say "not null" (`$ne` is not allowed there): such a field keeps null indexed.
            guard let type = types.count == 1 ? types[0] : types == ["int", "long"] ? "number" : nil else { return nil }
            return .init(key(column, in: table), .object([.init("$type", .string(type))]))
        }
        return pairs.isEmpty ? nil : .object(pairs)
    }

    func bsonType(_ type: ColumnType, column: Column?) -> String {
        if let column, MongoShape.isObjectId(column) { return "objectId" }
        switch type {
        case .int, .smallint: return "int"
        case .bigint: return "long"
        case .float: return "double"
        case .decimal: return "decimal"
        case .string, .text, .uuid, .time, .enumeration: return "string"
        case .bool: return "bool"
        case .date, .datetime: return "date"
        case .json: return "object"
        case .bytes: return "binData"
        case .array: return "array"
        }
    }

    func property(_ column: Column) -> OrderedJSON {
        if let entity = MongoShape.embeddedEntity(column), let target = schema.table(forEntity: entity) {
            return embeddedSchema(target, comment: column.comment)
        }
        var pairs = property(type: column.type, validation: column.validation, column: column, nullable: column.nullable)
        if let comment = column.comment { pairs.append(.init("description", .string(comment))) }
        return .object(pairs)
    }

    func property(type: ColumnType, validation v: Validation?, column: Column?, nullable: Bool) -> [OrderedJSON.Pair] {
        var types: [OrderedJSON] = bsonTypes(type, column: column).map(OrderedJSON.string)
        if nullable { types.append(.string("null")) }
        var pairs: [OrderedJSON.Pair] = [.init("bsonType", types.count == 1 ? types[0] : .array(types))]
        if case let .enumeration(name) = type, let e = schema.enumType(named: name) {
            pairs.append(.init("enum", .array(e.values.map(OrderedJSON.string) + (nullable ? [.null] : []))))
        }
        if let n = v?.minLength { pairs.append(.init("minLength", .number(String(n)))) }
        var maxLength = v?.maxLength
        if maxLength == nil, case let .string(n) = type { maxLength = n }
        if let n = maxLength, column.map(MongoShape.isObjectId) != true { pairs.append(.init("maxLength", .number(String(n)))) }
        if let p = v?.pattern, column.map(MongoShape.isObjectId) != true { pairs.append(.init("pattern", .string(p))) }
        if let lo = v?.minimum { pairs.append(.init("minimum", OrderedJSON.number(lo))) }
        if let hi = v?.maximum { pairs.append(.init("maximum", OrderedJSON.number(hi))) }
        if case let .array(element) = type {
            pairs.append(.init("items", .object(property(type: element, validation: nil, column: nil, nullable: false))))
        }
        return pairs
    }

    // MARK: Indexes

    public func indexes(_ table: Table, warnings: inout [MongoWarning]) -> [MongoIndexSpec] {
        func keys(_ columns: [String]) -> [String] {
            columns.map { name in table.column(named: name).map { key($0, in: table) } ?? name }
        }
        var specs = table.uniques.map {
            MongoIndexSpec(name: $0.name, keys: keys($0.columns), unique: true, partialFilter: nonNull($0.columns, in: table))
        }
        for index in table.indexes {
            if !index.expressions.isEmpty {
                warnings.append(
                    MongoWarning(
                        table, index.name,
                        "index '\(index.name)' indexes SQL expressions (\(index.expressions.joined(separator: ", "))), which MongoDB cannot index; it is not created"
                    )
                )
                continue
            }
            if let method = index.method, method != .btree {
                warnings.append(
                    MongoWarning(
                        table, index.name,
                        "index '\(index.name)' uses method '\(method.rawValue)', which has no MongoDB equivalent; a regular index is created"))
            }
            var spec = MongoIndexSpec(
                name: index.name, keys: keys(index.columns), unique: index.unique,
                partialFilter: index.unique ? nonNull(index.columns, in: table) : nil)
            if let predicate = index.predicate {
                guard let filter = partialFilter(predicate, table: table) else {
                    warnings.append(
                        MongoWarning(
                            table, index.name,
                            "the condition of partial index '\(index.name)' (\(predicate)) has no MongoDB translation; the index is not created")
                    )
                    continue
                }
                spec.partialFilter = filter
            }
            specs.append(spec)
        }
        func field(_ name: String) -> Column? { table.columns.first { $0.field == name || $0.name == name } }
        if let ttl = table.mongo?.ttlField, let seconds = table.mongo?.ttlSeconds {
            if let c = field(ttl), c.type == .datetime || c.type == .date {
                specs.append(
                    MongoIndexSpec(
                        name: "ttl_\(table.name)_\(c.name)", keys: [key(c, in: table)], unique: false, partialFilter: nil, expireAfterSeconds: seconds
                    ))
            } else {
                warnings.append(MongoWarning(table, nil, "the ttl field '\(ttl)' is not a datetime field of the entity; no TTL index is created"))
            }
        }
        if let names = table.mongo?.textFields {
            let columns = names.compactMap(field)
            if columns.count == names.count,
                columns.allSatisfy({
                    [.text].contains($0.type)
                        || {
                            if case .string = $0.type { return true }; return false
                        }($0)
                })
            {
                specs.append(
                    MongoIndexSpec(name: "tx_\(table.name)", keys: columns.map { key($0, in: table) }, unique: false, partialFilter: nil, text: true))
            } else {
                warnings.append(
                    MongoWarning(
                        table, nil, "the text index needs string or text fields of the entity (\(names.joined(separator: ", "))); it is not created"))
            }
        }
        return specs
    }

    /// `flag`, `not flag`, `column = 'text'`, `column = 12`, `column IS NOT NULL`.
    func partialFilter(_ predicate: String, table: Table) -> OrderedJSON? {
        let words = predicate.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        func column(_ name: String) -> Column? { table.column(named: name.trimmingCharacters(in: CharacterSet(charactersIn: "\"`"))) }
        if words.count == 1, let c = column(words[0]), c.type == .bool { return .object([.init(key(c, in: table), .bool(true))]) }
        if words.count == 2, words[0].lowercased() == "not", let c = column(words[1]), c.type == .bool {
            return .object([.init(key(c, in: table), .bool(false))])
        }
        if words.count == 4, words[1].uppercased() == "IS", words[2].uppercased() == "NOT", words[3].uppercased() == "NULL", let c = column(words[0])
        {
            return .object([.init(key(c, in: table), .object([.init("$exists", .bool(true))]))])
        }
        if let eq = predicate.firstIndex(of: "="), let c = column(predicate[..<eq].trimmingCharacters(in: .whitespaces)) {
            let value = predicate[predicate.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
                return .object([.init(key(c, in: table), .string(String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")))])
            }
            if Double(value) != nil { return .object([.init(key(c, in: table), .number(value))]) }
        }
        return nil
    }

    // MARK: Warnings

    /// The CHECK the resolver derives from a field's `min`/`max`: the validator's minimum/maximum enforce it.
    func isRangeCheck(_ check: CheckConstraint, in table: Table) -> Bool {
        table.columns.contains { column in
            check.name.hasSuffix("_\(column.name)_range") && (column.validation?.minimum != nil || column.validation?.maximum != nil)
        }
    }

    /// Schema features with no MongoDB meaning, and what the generated code does instead.
    public func warnings() -> [MongoWarning] {
        var out: [MongoWarning] = []
        for table in schema.tables {
            if let search = table.search {
                out.append(
                    MongoWarning(
                        table, search.name,
                        "'search' is not served by the MongoDB target yet: its list has no 'q' (a 'mongo: text' index can be queried with $text in a hook)"
                    ))
            }
            for check in table.checks where !isRangeCheck(check, in: table) {
                out.append(
                    MongoWarning(
                        table, check.name,
                        "CHECK '\(check.name)' (\(check.expression)) has no MongoDB equivalent; neither the validator nor the model enforces it")
                )
            }
            for relation in table.relations where relation.embed == true && !MongoShape.isEmbedded(relation, in: table) {
                out.append(
                    MongoWarning(
                        table, relation.foreignKey,
                        "'embed: true' on '\(relation.name)' needs a required many-to-one to another entity; it is stored as an ObjectId reference")
                )
            }
            for fk in table.foreignKeys {
                if let action = fk.onUpdate, action != .noAction, action != .restrict {
                    out.append(
                        MongoWarning(table, fk.name, "on_update \(action.rawValue) of '\(fk.columns[0])' is ignored: an ObjectId never changes"))
                }
                if fk.onDelete == .setDefault {
                    out.append(
                        MongoWarning(
                            table, fk.name, "on_delete set_default of '\(fk.columns[0])' is applied as set_null by the generated delete code"))
                }
            }
        }
        return out
    }
}

/// A schema feature the MongoDB target cannot express, and what the generated code does instead; on
/// the table and object (constraint, index, foreign key) it comes from, so `generate` can locate it.
public struct MongoWarning: Equatable, Sendable, CustomStringConvertible {
    public var entity: String
    public var table: String
    public var object: String?
    public var message: String

    init(_ table: Table, _ object: String?, _ message: String) {
        self.entity = table.entity ?? table.name
        self.table = table.name
        self.object = object
        self.message = message
    }

    /// `Entity: message`, as the README lists it.
    public var description: String { "\(entity): \(message)" }

    /// A located warning: at the object, or else at the entity.
    public func diagnostic(_ sourceMap: SourceMap) -> Diagnostic {
        Diagnostic(.warning, description, at: sourceMap[table: table, object: object] ?? sourceMap[table: table, object: nil])
    }
}
