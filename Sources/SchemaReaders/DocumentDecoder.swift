import Foundation
import SchemaModel

/// Decodes the located YAML/JSON tree into a `SchemaDocument`, reporting every shape problem at once
/// (unknown keys with "did you mean", wrong node kinds, bad numbers) instead of stopping at the first.
struct DocumentDecoder {
    private(set) var diagnostics = DiagnosticBag()
    let file: String

    init(file: String) { self.file = file }

    // MARK: Keys each mapping accepts

    static let topKeys: KeySpec = ["schema", "name", "enums", "entities", "comment", "$schema", "auth"]
    static let entityKeys: KeySpec = [
        "table", "timestamps", "comment", "renamed_from", "primary_key", "fields", "relations", "indexes",
        "unique", "checks", "mongo", "owner", "access", "search",
    ]
    static let fieldKeys: KeySpec = [
        "type", "nullable", "optional", "primary_key", "unique", "index", "autoincrement", "default", "length",
        "max_length", "precision", "scale", "min", "max", "min_length", "pattern", "sensitive", "comment",
        "renamed_from", "column", "native", "items", "backfill", "encrypted", "filterable",
    ]
    static let relationKeys: KeySpec = [
        "to", "kind", "back", "nullable", "optional", "on_delete", "on_update", "column", "columns", "references",
        "through", "join_table", "index", "comment", "embed", "renamed_from", "read",
    ]
    static let indexKeys: KeySpec = ["fields", "expressions", "expression", "unique", "where", "method", "name"]
    static let uniqueKeys: KeySpec = ["fields", "name"]
    static let checkKeys: KeySpec = ["name", "expr", "expression", "postgresql", "mysql", "sqlite"]
    static let enumKeys: KeySpec = ["values", "comment", "renamed_from", "type"]
    static let mongoKeys: KeySpec = ["collection", "additional_properties", "ttl", "text"]
    static let ttlKeys: KeySpec = ["field", "seconds"]
    static let searchKeys: KeySpec = ["fields", "language"]
    static let authKeys: KeySpec = ["user", "login", "password", "role", "registration"]
    /// The operations of `access:` (`AccessOperation`).
    static let accessKeys: KeySpec = ["read", "create", "update", "delete"]
    /// Keys that say the same thing: giving both is an error, not a silent choice.
    static let synonyms = [
        ("nullable", "optional"), ("length", "max_length"), ("column", "columns"), ("expressions", "expression"),
        ("expr", "expression"),
    ]

    /// The keys a mapping accepts, with a set for lookups and the synonym pairs that apply to it.
    struct KeySpec: ExpressibleByArrayLiteral {
        let keys: [String]
        let set: Set<String>
        let synonyms: [(String, String)]
        /// `SyntaxScalar.fingerprint(of:)` of each key.
        let fingerprints: [UInt32]

        init(_ keys: [String]) {
            self.keys = keys
            set = Set(keys)
            synonyms = DocumentDecoder.synonyms.filter { keys.contains($0.0) && keys.contains($0.1) }
            fingerprints = keys.map(SyntaxScalar.fingerprint(of:))
        }

        init(arrayLiteral keys: String...) { self.init(keys) }

        /// `keys.firstIndex(of: key.value)`: an ASCII key can only equal a key with its fingerprint.
        func index(of key: SyntaxScalar) -> Int? {
            for n in fingerprints.indices where key.fingerprint == 0 || fingerprints[n] == key.fingerprint || fingerprints[n] == 0 {
                if keys[n] == key.value { return n }
            }
            return nil
        }

        /// `set.contains(key.value)`: an ASCII key can only equal a key with its fingerprint.
        func contains(_ key: SyntaxScalar) -> Bool {
            guard key.fingerprint != 0 else { return set.contains(key.value) }
            for n in fingerprints.indices where fingerprints[n] == key.fingerprint || fingerprints[n] == 0 {
                if keys[n] == key.value { return true }
            }
            return false
        }
    }

    // MARK: Entry point

    mutating func decode(_ root: SyntaxNode) -> SchemaDocument {
        var document = SchemaDocument(file: file, location: root.location)
        guard let top = mapping(root, what: "the schema") else { return document }
        checkKeys(top, allowed: Self.topKeys, in: "the schema")
        if let node = top.value(forASCII: "schema") {
            if let v = int(node, what: "'schema'") {
                if v.value != 1 {
                    diagnostics.error("unsupported schema format version \(v.value); this schemaforge reads version 1", at: v.location)
                }
                document.formatVersion = v
            }
        }
        if let node = top.value(forASCII: "name") { document.name = string(node, what: "'name'") }
        if let node = top.value(forASCII: "enums"), let enums = mapping(node, what: "'enums'") {
            for entry in enums.entries { if let e = enumDecl(entry.key, entry.value) { document.enums.append(e) } }
        }
        // A missing or empty 'entities' is reported by the resolver ("declares no entities").
        if let node = top.value(forASCII: "entities"), let entities = mapping(node, what: "'entities'") {
            document.entities.reserveCapacity(entities.entries.count)
            for entry in entities.entries { document.entities.append(entity(entry.key, entry.value)) }
        }
        if let node = top.value(forASCII: "auth") { document.auth = auth(node) }
        return document
    }

    // MARK: Declarations

    /// `mongo: {collection, additional_properties, ttl: {field, seconds}, text: [fields]}`.
    private mutating func mongoOptions(_ node: SyntaxNode, entity: String) -> MongoOptions? {
        guard let m = mapping(node, what: "'mongo'") else { return nil }
        checkKeys(m, allowed: Self.mongoKeys, in: "the mongo options of '\(entity)'")
        var options = MongoOptions()
        options.collection = m.value(forASCII: "collection").flatMap { string($0, what: "'collection'")?.value }
        options.additionalProperties = m.value(forASCII: "additional_properties").flatMap { bool($0, what: "'additional_properties'")?.value }
        if let ttl = m.value(forASCII: "ttl"), let t = mapping(ttl, what: "'ttl'") {
            checkKeys(t, allowed: Self.ttlKeys, in: "the ttl of '\(entity)'")
            options.ttlField = t.value(forASCII: "field").flatMap { string($0, what: "'field'")?.value }
            if case let .scalar(seconds)? = t.value(forASCII: "seconds"), let n = Int(seconds.value), n >= 0 {
                options.ttlSeconds = n
            } else {
                diagnostics.error("'ttl' needs 'seconds': a whole number of seconds", at: t.location)
            }
            if options.ttlField == nil { diagnostics.error("'ttl' needs 'field': a datetime field", at: t.location) }
        }
        if let text = m.value(forASCII: "text") { options.textFields = names(text, what: "'text'")?.map(\.value) }
        return options
    }

    /// `search: [fields]` or `search: {fields: [...], language: ...}` (the resolver checks what they name).
    private mutating func search(_ node: SyntaxNode, entity: String) -> SearchDecl? {
        var decl = SearchDecl(location: node.location)
        if case .mapping(let m) = node {
            checkKeys(m, allowed: Self.searchKeys, in: "the search of '\(entity)'")
            decl.language = m.value(forASCII: "language").flatMap { string($0, what: "'language'") }
            guard let fields = m.value(forASCII: "fields") else {
                diagnostics.error("'search' needs 'fields': the text fields to search", at: node.location)
                return nil
            }
            guard let names = names(fields, what: "'fields'") else { return nil }
            decl.fields = names
        } else {
            guard let names = names(node, what: "'search' (a list of text fields, or {fields, language})") else { return nil }
            decl.fields = names
        }
        return decl
    }

    /// `auth: {user, login, password, role, registration}` (the resolver checks what they name).
    private mutating func auth(_ node: SyntaxNode) -> AuthDecl? {
        guard let m = mapping(node, what: "'auth'") else { return nil }
        checkKeys(m, allowed: Self.authKeys, in: "'auth'")
        var decl = AuthDecl(location: node.location)
        decl.user = m.value(forASCII: "user").flatMap { string($0, what: "'user'") }
        decl.login = m.value(forASCII: "login").flatMap { string($0, what: "'login'") }
        decl.password = m.value(forASCII: "password").flatMap { string($0, what: "'password'") }
        decl.role = m.value(forASCII: "role").flatMap { string($0, what: "'role'") }
        decl.registration = m.value(forASCII: "registration").flatMap { bool($0, what: "'registration'") }
        return decl
    }

    /// `access: {read: [owner, librarian], create: librarian, ...}`.
    private mutating func access(_ node: SyntaxNode, into entity: inout EntityDecl) {
        guard let m = mapping(node, what: "'access'") else { return }
        checkKeys(m, allowed: Self.accessKeys, in: "the access of '\(entity.name.value)'")
        entity.accessLocation = node.location
        for entry in m.entries {
            guard let operation = AccessOperation(rawValue: entry.key.value),
                let rule = names(entry.value, what: "the access rule '\(entry.key.value)'")
            else { continue }
            entity.access.append((Located(operation, at: entry.key.location), rule))
        }
    }

    private mutating func enumDecl(_ key: SyntaxScalar, _ value: SyntaxNode) -> EnumDecl? {
        let name = Located(key.value, at: key.location)
        var comment: String?
        var valuesNode: SyntaxNode? = value
        var renamedValues: [(new: Located<String>, old: Located<String>)] = []
        var typeName: Located<String>?
        if case let .mapping(m) = value {
            checkKeys(m, allowed: Self.enumKeys, in: "enum '\(key.value)'")
            valuesNode = m.value(forASCII: "values")
            typeName = m.value(forASCII: "type").flatMap { string($0, what: "'type' (the enum type's name in the database)") }
            comment = m.value(forASCII: "comment").flatMap { string($0, what: "'comment'")?.value }
            if valuesNode == nil {
                diagnostics.error("enum '\(key.value)' has no 'values'", at: m.location)
                return nil
            }
            if let renames = m.value(forASCII: "renamed_from"),
                let pairs = mapping(renames, what: "'renamed_from' (a mapping of new value: old value)")
            {
                for entry in pairs.entries {
                    guard let old = string(entry.value, what: "the old value of '\(entry.key.value)'") else { continue }
                    renamedValues.append((Located(entry.key.value, at: entry.key.location), old))
                }
            }
        }
        guard let valuesNode, let list = sequence(valuesNode, what: "the values of enum '\(key.value)'") else { return nil }
        let values = list.items.compactMap { string($0, what: "an enum value") }
        var decl = EnumDecl(name: name, values: values, comment: comment)
        decl.renamedValues = renamedValues
        decl.typeName = typeName
        return decl
    }

    /// An entity whose body is unusable is still returned (empty) so that relations to it do not
    /// add "unknown entity" errors on top of the real one.
    private mutating func entity(_ key: SyntaxScalar, _ value: SyntaxNode) -> EntityDecl {
        var entity = EntityDecl(name: Located(key.value, at: key.location), location: key.location)
        guard let m = mapping(value, what: "entity '\(key.value)'") else { return entity }
        checkKeys(m, allowed: Self.entityKeys, in: "entity '\(key.value)'")
        let keyed = Keyed<EntityKey>(m)
        if let mongo = keyed[.mongo] { entity.mongo = mongoOptions(mongo, entity: key.value) }
        entity.owner = keyed[.owner].flatMap { string($0, what: "'owner'") }
        if let node = keyed[.access] { access(node, into: &entity) }
        if let node = keyed[.search] { entity.search = search(node, entity: key.value) }
        entity.table = keyed[.table].flatMap { string($0, what: "'table'") }
        entity.timestamps = keyed[.timestamps].flatMap { bool($0, what: "'timestamps'")?.value } ?? false
        entity.comment = keyed[.comment].flatMap { string($0, what: "'comment'")?.value }
        entity.renamedFrom = keyed[.renamed_from].flatMap { string($0, what: "'renamed_from'") }
        if let pk = keyed[.primary_key] {
            if case let .scalar(s) = pk, let b = s.boolValue {
                if b {
                    diagnostics.error(
                        "'primary_key' on an entity is a list of fields or false; mark key fields with 'primary_key: true' instead", at: s.location)
                } else {
                    entity.keyless = Located(true, at: s.location)
                }
            } else {
                entity.primaryKey = names(pk, what: "'primary_key'")
            }
        }
        if let node = keyed[.fields], let fields = mapping(node, what: "'fields'") {
            entity.fields.reserveCapacity(fields.entries.count)
            for entry in fields.entries { if let f = field(entry.key, entry.value) { entity.fields.append(f) } }
        }
        if let node = keyed[.relations], let relations = mapping(node, what: "'relations'") {
            for entry in relations.entries { if let r = relation(entry.key, entry.value) { entity.relations.append(r) } }
        }
        if let node = keyed[.indexes], let list = sequence(node, what: "'indexes'") {
            for item in list.items { if let i = index(item) { entity.indexes.append(i) } }
        }
        if let node = keyed[.unique], let list = sequence(node, what: "'unique' (a list of field lists)", expected: "a list of field lists") {
            for item in list.items { if let u = unique(item) { entity.uniques.append(u) } }
        }
        if let node = keyed[.checks], let list = sequence(node, what: "'checks'") {
            for item in list.items { if let c = check(item) { entity.checks.append(c) } }
        }
        return entity
    }

    private mutating func field(_ key: SyntaxScalar, _ value: SyntaxNode) -> FieldDecl? {
        let name = Located(key.value, at: key.location)
        if case let .scalar(s) = value {
            guard let type = typeRef(s, field: key.value) else { return nil }
            return FieldDecl(name: name, type: type, location: key.location)
        }
        guard case let .mapping(m) = value else {
            diagnostics.error("field '\(key.value)' must be a type name or a mapping with 'type', found \(Self.describe(value))", at: value.location)
            return nil
        }
        checkKeys(m, allowed: Self.fieldKeys, in: "field '\(key.value)'")
        let keyed = Keyed<FieldKey>(m)
        guard let typeNode = keyed[.type] else {
            diagnostics.error("field '\(key.value)' has no 'type'", at: key.location)
            return nil
        }
        guard case let .scalar(typeScalar) = typeNode else {
            diagnostics.error("'type' must be a type name, found \(Self.describe(typeNode))", at: typeNode.location)
            return nil
        }
        guard var type = typeRef(typeScalar, field: key.value) else { return nil }
        if let items = keyed[.items] {
            if case let .scalar(s) = items {
                if let element = typeRef(s, field: key.value) {
                    if type.value.name == "array" {
                        type.value.element = [element.value]
                    } else {
                        diagnostics.error("'items' applies to array fields only, not '\(typeScalar.value)'", at: items.location)
                    }
                }
            } else {
                diagnostics.error("'items' must be a type name such as int or string(50), found \(Self.describe(items))", at: items.location)
            }
        }
        var f = FieldDecl(name: name, type: type, location: key.location)
        f.nullable = keyed[.nullable].flatMap { bool($0, what: "'nullable'") } ?? keyed[.optional].flatMap { bool($0, what: "'optional'") }
        f.primaryKey = keyed[.primary_key].flatMap { bool($0, what: "'primary_key'") }
        f.unique = keyed[.unique].flatMap { bool($0, what: "'unique'") }
        f.index = keyed[.index].flatMap { bool($0, what: "'index'") }
        f.autoincrement = keyed[.autoincrement].flatMap { bool($0, what: "'autoincrement'") }
        if let d = keyed[.default] { f.defaultValue = defaultDecl(d) }
        f.length = (keyed[.length] ?? keyed[.max_length]).flatMap { int($0, what: "'length'") }
        f.precision = keyed[.precision].flatMap { int($0, what: "'precision'") }
        f.scale = keyed[.scale].flatMap { int($0, what: "'scale'") }
        f.minimum = keyed[.min].flatMap { number($0, what: "'min'") }
        f.maximum = keyed[.max].flatMap { number($0, what: "'max'") }
        f.minLength = keyed[.min_length].flatMap { int($0, what: "'min_length'") }
        f.pattern = keyed[.pattern].flatMap { string($0, what: "'pattern'") }
        f.sensitive = keyed[.sensitive].flatMap { bool($0, what: "'sensitive'")?.value } ?? false
        f.encrypted = keyed[.encrypted].flatMap { bool($0, what: "'encrypted'") }
        f.filterable = keyed[.filterable].flatMap { bool($0, what: "'filterable'") }
        f.comment = keyed[.comment].flatMap { string($0, what: "'comment'")?.value }
        f.renamedFrom = keyed[.renamed_from].flatMap { string($0, what: "'renamed_from'") }
        f.backfill = keyed[.backfill].flatMap { string($0, what: "'backfill'") }
        f.column = keyed[.column].flatMap { string($0, what: "'column'") }
        if let node = keyed[.native], let nm = mapping(node, what: "'native' (dialect: type)") {
            checkKeys(nm, allowed: KeySpec(nm.entries.map(\.key.value)), in: "'native'")
            for (k, v) in nm.entries.map({ ($0.key, $0.value) }) {
                guard let dialect = Dialect(name: k.value) else {
                    diagnostics.error(
                        "unknown dialect '\(k.value)' in 'native'\(Suggestions.hint(for: k.value, in: Dialect.allCases.map(\.rawValue)))",
                        at: k.location)
                    continue
                }
                if let s = string(v, what: "a native type") { f.native[dialect] = s }
            }
        }
        return f
    }

    private mutating func relation(_ key: SyntaxScalar, _ value: SyntaxNode) -> RelationDecl? {
        let name = Located(key.value, at: key.location)
        if case let .scalar(s) = value {
            // Shorthand: `author: User` is a required many-to-one.
            guard !s.isNull else {
                diagnostics.error("relation '\(key.value)' needs a target entity", at: s.location)
                return nil
            }
            return RelationDecl(
                name: name, target: Located(s.value, at: s.location), kind: Located(.manyToOne, at: s.location),
                location: key.location)
        }
        guard case let .mapping(m) = value else {
            diagnostics.error(
                "relation '\(key.value)' must be an entity name or a mapping with 'to', found \(Self.describe(value))", at: value.location)
            return nil
        }
        checkKeys(m, allowed: Self.relationKeys, in: "relation '\(key.value)'")
        let keyed = Keyed<RelationKey>(m)
        guard let toNode = keyed[.to], let target = string(toNode, what: "'to'") else {
            if keyed[.to] == nil { diagnostics.error("relation '\(key.value)' has no 'to' (the target entity)", at: key.location) }
            return nil
        }
        var kind = Located(RelationKind.manyToOne, at: key.location)
        if let kindNode = keyed[.kind], let k = string(kindNode, what: "'kind'") {
            if let parsed = RelationKind(rawValue: k.value) {
                kind = Located(parsed, at: k.location)
            } else {
                diagnostics.error(
                    "unknown relation kind '\(k.value)'\(Suggestions.hint(for: k.value, in: RelationKind.allCases.map(\.rawValue))) (expected one of \(RelationKind.allCases.map(\.rawValue).joined(separator: ", ")))",
                    at: k.location)
                return nil
            }
        }
        var r = RelationDecl(name: name, target: target, kind: kind, location: key.location)
        if let embed = keyed[.embed], let b = bool(embed, what: "'embed'") { r.embed = b.value }
        r.back = keyed[.back].flatMap { string($0, what: "'back'") }
        r.nullable = keyed[.nullable].flatMap { bool($0, what: "'nullable'") } ?? keyed[.optional].flatMap { bool($0, what: "'optional'") }
        r.onDelete = keyed[.on_delete].flatMap { action($0, what: "on_delete") }
        r.onUpdate = keyed[.on_update].flatMap { action($0, what: "on_update") }
        if let c = keyed[.column] { r.columns = string(c, what: "'column'").map { [$0] } }
        if let c = keyed[.columns] { r.columns = names(c, what: "'columns'") }
        if let c = keyed[.references] { r.references = names(c, what: "'references'") }
        r.through = keyed[.through].flatMap { string($0, what: "'through'") }
        r.joinTable = keyed[.join_table].flatMap { string($0, what: "'join_table'") }
        r.index = keyed[.index].flatMap { bool($0, what: "'index'") }
        r.comment = keyed[.comment].flatMap { string($0, what: "'comment'")?.value }
        r.renamedFrom = keyed[.renamed_from].flatMap { string($0, what: "'renamed_from'") }
        r.read = keyed[.read].flatMap { string($0, what: "'read'") }
        return r
    }

    private mutating func index(_ node: SyntaxNode) -> IndexDecl? {
        var decl = IndexDecl(location: node.location)
        switch node {
        case .scalar, .sequence:
            guard let fields = names(node, what: "an index") else { return nil }
            decl.fields = fields
            return decl
        case let .mapping(m):
            checkKeys(m, allowed: Self.indexKeys, in: "an index")
            if let f = m.value(forASCII: "fields") { decl.fields = names(f, what: "'fields'") ?? [] }
            if let e = m.value(forASCII: "expressions") ?? m.value(forASCII: "expression") {
                decl.expressions = names(e, what: "'expressions'") ?? []
            }
            decl.unique = m.value(forASCII: "unique").flatMap { bool($0, what: "'unique'")?.value } ?? false
            decl.predicate = m.value(forASCII: "where").flatMap { string($0, what: "'where'") }
            decl.method = m.value(forASCII: "method").flatMap { string($0, what: "'method'") }
            decl.name = m.value(forASCII: "name").flatMap { string($0, what: "'name'") }
            if decl.fields.isEmpty, decl.expressions.isEmpty {
                diagnostics.error("an index needs 'fields' or 'expressions'", at: m.location)
                return nil
            }
            return decl
        }
    }

    private mutating func unique(_ node: SyntaxNode) -> UniqueDecl? {
        if case let .mapping(m) = node {
            checkKeys(m, allowed: Self.uniqueKeys, in: "a unique constraint")
            guard let f = m.value(forASCII: "fields") else {
                diagnostics.error("a unique constraint needs 'fields'", at: m.location)
                return nil
            }
            guard let fields = names(f, what: "'fields'") else { return nil }
            return UniqueDecl(fields: fields, name: m.value(forASCII: "name").flatMap { string($0, what: "'name'") }, location: m.location)
        }
        guard let fields = names(node, what: "a unique constraint") else { return nil }
        return UniqueDecl(fields: fields, location: node.location)
    }

    private mutating func check(_ node: SyntaxNode) -> CheckDecl? {
        if case let .scalar(s) = node {
            guard let expr = string(node, what: "a check expression") else { return nil }
            return CheckDecl(name: nil, expression: expr, location: s.location)
        }
        guard let m = mapping(node, what: "a check (an expression or {name, expr})") else { return nil }
        checkKeys(m, allowed: Self.checkKeys, in: "a check")
        guard let e = m.value(forASCII: "expr") ?? m.value(forASCII: "expression") else {
            diagnostics.error("a check needs 'expr'", at: m.location)
            return nil
        }
        guard let expr = string(e, what: "'expr'") else { return nil }
        var decl = CheckDecl(name: m.value(forASCII: "name").flatMap { string($0, what: "'name'") }, expression: expr, location: m.location)
        for dialect in Dialect.allCases {
            if let v = m.value(forASCII: dialect.rawValue).flatMap({ string($0, what: "'\(dialect.rawValue)'") }) {
                decl.dialectExpressions[dialect] = v.value
            }
        }
        return decl
    }

    private mutating func defaultDecl(_ node: SyntaxNode) -> Located<DefaultDecl>? {
        switch node {
        case let .scalar(s):
            if s.isNull {
                diagnostics.error("a default of null is the same as no default; remove it", at: s.location)
                return nil
            }
            return Located(.scalar(s.value, quoted: s.isQuoted), at: s.location)
        case let .mapping(m):
            guard m.entries.count == 1, let sql = m.value(forASCII: "sql") else {
                diagnostics.error("a default is a value, 'now', 'uuid', 'autoincrement' or {sql: \"...\"}", at: m.location)
                return nil
            }
            return string(sql, what: "'sql'").map { Located(.sql($0.value), at: $0.location) }
        case .sequence:
            diagnostics.error("a default is a value, 'now', 'uuid', 'autoincrement' or {sql: \"...\"}", at: node.location)
            return nil
        }
    }

    private mutating func action(_ node: SyntaxNode, what: String) -> Located<ReferentialAction>? {
        guard let s = string(node, what: "'\(what)'") else { return nil }
        let normalized = FastText.replacing(" ", with: "_", in: s.value.lowercased())
        if let a = ReferentialAction(rawValue: normalized) { return Located(a, at: s.location) }
        let names = ReferentialAction.allCases.map(\.rawValue)
        diagnostics.error(
            "unknown referential action '\(s.value)' for \(what)\(Suggestions.hint(for: s.value, in: names)) (expected one of \(names.joined(separator: ", ")))",
            at: s.location)
        return nil
    }

    // MARK: Types

    /// Parses `string`, `string(200)`, `decimal(12, 2)`, `array<int>`, `int[]`, `Role`, `text?`.
    private mutating func typeRef(_ s: SyntaxScalar, field: String) -> Located<TypeRef>? {
        var text = FastText.trimmingWhitespace(s.value)
        guard !text.isEmpty, !s.isNull else {
            diagnostics.error("field '\(field)' has no type (write e.g. '\(field): string' or '\(field): {type: int}')", at: s.location)
            return nil
        }
        var optional = false
        if text.hasSuffix("?") {
            optional = true
            text.removeLast()
        }
        guard var ref = Self.parseType(text, depth: 0) else {
            let shown = s.value.count > 60 ? s.value.prefix(60) + "..." : Substring(s.value)
            diagnostics.error(
                "cannot read the type '\(shown)' (expected a name such as string, string(200), decimal(12,2), array<int> or an enum)", at: s.location)
            return nil
        }
        ref.optionalMark = optional
        return Located(ref, at: s.location)
    }

    /// `depth` bounds the nesting of `array<...>` / `[]` so a pathological type cannot exhaust the
    /// stack (the resolver rejects arrays of arrays anyway).
    ///
    /// `byCharacters` forces the general, Character-based reading even for ASCII text (tests compare
    /// it with the byte-based `parseASCIIType` that ASCII text takes otherwise).
    static func parseType(_ text: String, depth: Int, byCharacters: Bool = false) -> TypeRef? {
        guard depth <= 8 else { return nil }
        let t = FastText.trimmingWhitespace(text)
        if !byCharacters, FastText.isASCII(t) { return parseASCIIType(t, depth: depth) }
        if t.hasSuffix("[]") {
            return parseType(String(t.dropLast(2)), depth: depth + 1, byCharacters: byCharacters).map { TypeRef(name: "array", element: $0) }
        }
        if let open = t.firstIndex(of: "<") {
            guard t.hasSuffix(">") else { return nil }
            let head = FastText.trimmingWhitespace(t[..<open])
            let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            guard let element = parseType(inner, depth: depth + 1, byCharacters: byCharacters) else { return nil }
            return TypeRef(name: head, element: element)
        }
        if let open = t.firstIndex(of: "(") {
            guard t.hasSuffix(")") else { return nil }
            let head = FastText.trimmingWhitespace(t[..<open])
            let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
            let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { Int(FastText.trimmingWhitespace($0)) }
            guard !head.isEmpty, !parts.isEmpty, !parts.contains(where: { $0 == nil }) else { return nil }
            return TypeRef(name: head, arguments: parts.map { $0! })
        }
        guard !t.isEmpty, !Self.containsTypeDelimiter(t) else { return nil }
        return TypeRef(name: t)
    }

    /// `parseType` for trimmed ASCII text, by UTF-8 positions. In ASCII text every Character is one
    /// byte, or CR LF, which contains none of the bytes looked for here, so the byte searches, suffixes
    /// and splits below find exactly the Characters the general version finds.
    private static func parseASCIIType(_ t: String, depth: Int) -> TypeRef? {
        let u = t.utf8
        func isSuffix(_ byte: UInt8) -> Bool { u.last == byte }
        if u.count >= 2, isSuffix(UInt8(ascii: "]")), u[u.index(u.endIndex, offsetBy: -2)] == UInt8(ascii: "[") {
            return parseType(String(t[..<u.index(u.endIndex, offsetBy: -2)]), depth: depth + 1).map { TypeRef(name: "array", element: $0) }
        }
        if let open = u.firstIndex(of: UInt8(ascii: "<")) {
            guard isSuffix(UInt8(ascii: ">")) else { return nil }
            let head = FastText.trimmingWhitespace(t[..<open])
            let inner = String(t[u.index(after: open)..<u.index(before: u.endIndex)])
            guard let element = parseType(inner, depth: depth + 1) else { return nil }
            return TypeRef(name: head, element: element)
        }
        if let open = u.firstIndex(of: UInt8(ascii: "(")) {
            guard isSuffix(UInt8(ascii: ")")) else { return nil }
            let head = FastText.trimmingWhitespace(t[..<open])
            let inner = t[u.index(after: open)..<u.index(before: u.endIndex)]
            let parts = inner.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
                Int(FastText.trimmingWhitespace(Substring($0)))
            }
            guard !head.isEmpty, !parts.isEmpty, !parts.contains(where: { $0 == nil }) else { return nil }
            return TypeRef(name: head, arguments: parts.map { $0! })
        }
        guard !t.isEmpty, !Self.containsTypeDelimiter(t) else { return nil }
        return TypeRef(name: t)
    }

    /// `t.contains(where: { " ,()<>[]".contains($0) })`, by bytes when `t` is ASCII (then every
    /// character is one byte, or CR LF, which is not in the set either).
    private static func containsTypeDelimiter(_ t: String) -> Bool {
        guard FastText.isASCII(t) else { return t.contains(where: { " ,()<>[]".contains($0) }) }
        return t.utf8.contains { b in
            b == 0x20 || b == 0x2C || b == 0x28 || b == 0x29 || b == 0x3C || b == 0x3E || b == 0x5B || b == 0x5D
        }
    }

    // MARK: Node helpers

    /// What was found instead: `'maybe'`, `the string '5'`, `null`, `a list`, `a mapping`.
    static func describe(_ node: SyntaxNode) -> String {
        switch node {
        case let .scalar(s):
            if s.isNull { return "null" }
            let text = s.value.count > 40 ? s.value.prefix(40) + "..." : Substring(s.value)
            return s.isQuoted ? "the string '\(text)'" : "'\(text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    private mutating func checkKeys(_ m: SyntaxMapping, allowed: KeySpec, in context: @autoclosure () -> String) {
        // Each key against the keys before it (a dictionary for long mappings): the first earlier
        // equal key is where the key was first defined.
        var seen: [String: SourceLocation]? = m.entries.count > 16 ? [:] : nil
        for (n, entry) in m.entries.enumerated() {
            let key = entry.key
            var first: SourceLocation?
            if seen != nil {
                first = seen![key.value]
                if first == nil { seen![key.value] = key.location }
            } else {
                for j in 0..<n
                where (m.entries[j].key.fingerprint == key.fingerprint || m.entries[j].key.fingerprint == 0 || key.fingerprint == 0)
                    && m.entries[j].key.value == key.value
                {
                    first = m.entries[j].key.location
                    break
                }
            }
            if let first {
                diagnostics.error("duplicate key '\(key.value)' in \(context())", at: key.location, notes: [.init("first defined here", at: first)])
                continue
            }
            if !allowed.contains(key) {
                diagnostics.error("unknown key '\(key.value)' in \(context())\(Suggestions.hint(for: key.value, in: allowed.keys))", at: key.location)
            }
        }
        for (a, b) in allowed.synonyms {
            guard let first = m.entries.first(where: { $0.key.value == a || $0.key.value == b }),
                let second = m.entries.first(where: { $0.key.value == (first.key.value == a ? b : a) })
            else { continue }
            diagnostics.error(
                "'\(second.key.value)' and '\(first.key.value)' say the same thing in \(context()); give only one of them", at: second.key.location,
                notes: [.init("'\(first.key.value)' is given here", at: first.key.location)])
        }
    }

    private mutating func mapping(_ node: SyntaxNode, what: @autoclosure () -> String) -> SyntaxMapping? {
        if case let .mapping(m) = node { return m }
        diagnostics.error("\(what()) must be a mapping, found \(Self.describe(node))", at: node.location)
        return nil
    }

    private mutating func sequence(_ node: SyntaxNode, what: @autoclosure () -> String, expected: String = "a list") -> SyntaxSequence? {
        if case let .sequence(s) = node { return s }
        diagnostics.error("\(what()) must be \(expected), found \(Self.describe(node))", at: node.location)
        return nil
    }

    private mutating func string(_ node: SyntaxNode, what: @autoclosure () -> String) -> Located<String>? {
        if case let .scalar(s) = node, !s.isNull { return Located(s.value, at: s.location) }
        diagnostics.error("\(what()) must be a string, found \(Self.describe(node))", at: node.location)
        return nil
    }

    private mutating func bool(_ node: SyntaxNode, what: @autoclosure () -> String) -> Located<Bool>? {
        if case let .scalar(s) = node, let b = s.boolValue { return Located(b, at: s.location) }
        diagnostics.error("\(what()) must be true or false, found \(Self.describe(node))", at: node.location)
        return nil
    }

    private mutating func int(_ node: SyntaxNode, what: @autoclosure () -> String) -> Located<Int>? {
        if case let .scalar(s) = node, !s.isQuoted, let i = Int(s.value) { return Located(i, at: s.location) }
        diagnostics.error("\(what()) must be a whole number, found \(Self.describe(node))", at: node.location)
        return nil
    }

    private mutating func number(_ node: SyntaxNode, what: @autoclosure () -> String) -> Located<Double>? {
        if case let .scalar(s) = node, !s.isQuoted, let d = Double(s.value), d.isFinite { return Located(d, at: s.location) }
        diagnostics.error("\(what()) must be a number, found \(Self.describe(node))", at: node.location)
        return nil
    }

    /// A single name or a list of names.
    private mutating func names(_ node: SyntaxNode, what: @autoclosure () -> String) -> [Located<String>]? {
        switch node {
        case let .scalar(s) where !s.isNull:
            return [Located(s.value, at: s.location)]
        case let .sequence(s):
            if s.items.isEmpty {
                diagnostics.error("\(what()) must not be empty", at: s.location)
                return nil
            }
            let items = s.items.compactMap { string($0, what: "an entry of \(what())") }
            return items.count == s.items.count ? items : nil
        case .scalar, .mapping:
            diagnostics.error("\(what()) must be a name or a list of names, found \(Self.describe(node))", at: node.location)
            return nil
        }
    }
}

/// A set of mapping keys as an enum whose raw values are positions in the mapping's `KeySpec`.
protocol DecoderKeys: CaseIterable, RawRepresentable where RawValue == Int {
    static var spec: DocumentDecoder.KeySpec { get }
}

/// A mapping whose known keys were located in one pass: `keyed[.name]` is `mapping.value(for: "name")`
/// (the value of the first entry with that key) without comparing against every entry again.
struct Keyed<Key: DecoderKeys> {
    let mapping: SyntaxMapping
    private var first: [Int]

    init(_ mapping: SyntaxMapping) {
        self.mapping = mapping
        let spec = Key.spec
        first = [Int](repeating: -1, count: spec.keys.count)
        for n in mapping.entries.indices {
            if let k = spec.index(of: mapping.entries[n].key), first[k] < 0 { first[k] = n }
        }
    }

    subscript(_ key: Key) -> SyntaxNode? {
        let n = first[key.rawValue]
        return n < 0 ? nil : mapping.entries[n].value
    }
}

/// The keys of an entity mapping, in the order of `DocumentDecoder.entityKeys`.
enum EntityKey: Int, CaseIterable, DecoderKeys {
    case table, timestamps, comment, renamed_from, primary_key, fields, relations, indexes, unique, checks, mongo, owner, access, search

    static var spec: DocumentDecoder.KeySpec { DocumentDecoder.entityKeys }
}

/// The keys of a field mapping, in the order of `DocumentDecoder.fieldKeys`.
enum FieldKey: Int, CaseIterable, DecoderKeys {
    case type, nullable, optional, primary_key, unique, index, autoincrement, `default`, length, max_length, precision, scale, min
    case max, min_length, pattern, sensitive, comment, renamed_from, column, native, items, backfill, encrypted, filterable

    static var spec: DocumentDecoder.KeySpec { DocumentDecoder.fieldKeys }
}

/// The keys of a relation mapping, in the order of `DocumentDecoder.relationKeys`.
enum RelationKey: Int, CaseIterable, DecoderKeys {
    case to, kind, back, nullable, optional, on_delete, on_update, column, columns, references, through, join_table, index, comment, embed
    case renamed_from, read

    static var spec: DocumentDecoder.KeySpec { DocumentDecoder.relationKeys }
}
