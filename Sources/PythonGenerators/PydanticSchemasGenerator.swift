import CodeRendering
import Foundation
import SchemaModel

/// `app/schemas/`: per entity `XCreate`, `XUpdate` (every field optional), `XRead` (no sensitive
/// fields; many-to-many targets as `{id}` references) and the list envelope `XList {data, count}`,
/// with the schema's validation (lengths, patterns, bounds, decimal digits, enums).
struct PydanticSchemasGenerator {
    let schema: Schema
    let types: SQLAlchemyTypeMapping
    /// Entities that some column embeds (MongoDB `embed: true`): they get an `XEmbedded` schema.
    let embeddedEntities: Set<String>

    /// The persistence layer the schemas serve (SQLAlchemy when no database is given).
    var backend: PersistenceBackend { database.map(PersistenceBackend.init) ?? .sqlalchemy }
    /// The SQL targets (not MongoDB): their database fills `{sql: ...}` defaults.
    var isSQL: Bool { backend == .sqlalchemy }
    /// The database the project targets: a SQL database fills `{sql: ...}` defaults, so such a field
    /// may be left out (MongoDB: required on create). Every target pages by cursor and counts only
    /// when asked; inputs are strict (`app/fields.py`) on every target.
    let database: TargetDatabase?

    /// The database's exact decimal digits (`Dialect.significantDecimalDigits`): the API accepts no
    /// more than it stores (SQLite: 15), whatever the declared precision.
    let decimalDigits: Int?

    init(schema: Schema, database: TargetDatabase? = nil) {
        self.decimalDigits = database.flatMap { Dialect(rawValue: $0.rawValue) }?.significantDecimalDigits
        self.database = database
        self.schema = schema
        self.types = SQLAlchemyTypeMapping(schema: schema)
        self.embeddedEntities = MongoShape.embeddedEntities(in: schema)
    }

    func generate() -> [GeneratedFile] { jobs().flatMap { $0() } }

    /// The shared modules (refs, package), then one job per entity module.
    func jobs() -> [FileJob] {
        let views = schema.entityTables.map { EntityView(schema: schema, table: $0) }
        var jobs: [FileJob] = [{ [refs(views), package(views)] }]
        for view in views {
            jobs.append { [entityModule(view)] }
        }
        return jobs
    }

    private func render(_ m: PythonModule) -> String { PythonRenderer().render(m) }

    /// `XRef {key}`: how a related object appears inside another entity's Read (`read: ids`), and
    /// `XSummary`: its own readable fields, without its relations (`read: nested`).
    func refs(_ views: [EntityView]) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "References to related objects in Read schemas.")
        m.imports.from("pydantic", import: "BaseModel", "ConfigDict")
        let referenced = Set(views.flatMap { $0.referencedManyToMany.map(\.targetEntity) })
        let nested = Set(views.flatMap { $0.nestedRelations.map(\.targetEntity) })
        for view in views where referenced.contains(view.entity) {
            var body: [PythonStatement] = [
                .assign(target: "model_config", annotation: nil, value: .name("ConfigDict").call(.keyword("from_attributes", .bool(true))))
            ]
            for key in view.keyColumns {
                body.append(.assign(target: view.attribute(key), annotation: types.pythonType(key.type, imports: &m.imports), value: nil))
            }
            m.body.append(
                .class(PythonClass(name: "\(view.entity)Ref", bases: [.name("BaseModel")], docstring: "A reference to a \(view.entity).", body: body))
            )
        }
        for view in views where nested.contains(view.entity) {
            let body = [readConfig(view)] + readFields(view, imports: &m.imports)
            m.body.append(
                .class(
                    PythonClass(
                        name: "\(view.entity)Summary", bases: [.name("BaseModel")],
                        docstring:
                            "\(EnglishPlural.withArticle(view.entity, capitalized: true)) inside another object: its fields, not its relations.",
                        body: body)))
        }
        if m.body.isEmpty {
            m.imports = PythonImports()
            m.body.append(.assign(target: "__all__", annotation: .subscripted(.name("list"), [.name("str")]), value: .list([])))
        }
        return GeneratedFile(path: "app/schemas/refs.py", contents: render(m))
    }

    func package(_ views: [EntityView]) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Request and response schemas.")
        var names: [String] = []
        for view in views {
            var classes = ["\(view.entity)Create", "\(view.entity)Update", "\(view.entity)Read", "\(view.entity)List"]
            if let auth = schema.auth, auth.user == view.entity, auth.registration { classes.append("\(view.entity)Register") }
            if view.hasKey { classes.append("\(view.entity)Query") }
            for c in classes { m.imports.from("app.schemas.\(view.module)", import: c) }
            names += classes
        }
        m.body.append(.assign(target: "__all__", annotation: nil, value: .list(PythonImports.sortDunderAll(names).map { .string($0) })))
        return GeneratedFile(path: "app/schemas/__init__.py", contents: render(m))
    }

    // MARK: One entity

    /// `model_config`: from attributes for Read schemas; bytes as base64 in JSON.
    func config(_ view: EntityView, fromAttributes: Bool) -> PythonStatement? {
        var args: [PythonArgument] = []
        if fromAttributes { args.append(.keyword("from_attributes", .bool(true))) }
        if !fromAttributes { args.append(.keyword("extra", .string("forbid"))) }
        if view.table.columns.contains(where: { $0.type == .bytes }) {
            args.append(.keyword("ser_json_bytes", .string("base64")))
            args.append(.keyword("val_json_bytes", .string("base64")))
        }
        return args.isEmpty ? nil : .assign(target: "model_config", annotation: nil, value: .name("ConfigDict").call(args))
    }

    func readConfig(_ view: EntityView) -> PythonStatement { config(view, fromAttributes: true)! }

    /// The readable (not `sensitive`) columns as Read fields.
    func readFields(_ view: EntityView, imports: inout PythonImports) -> [PythonStatement] {
        view.readableColumns.map { readField($0, view: view, imports: &imports) }
    }

    /// A `read: nested` relation's field: the target's summary, optional or a list as the kind says.
    func nestedField(_ relation: Relation, of view: EntityView, imports: inout PythonImports) -> PythonStatement {
        let summary = "\(relation.targetEntity)Summary"
        imports.from("app.schemas.refs", import: summary)
        let annotation: PythonExpr
        switch relation.kind {
        case .manyToOne, .oneToOne: annotation = relation.nullable ? .binary(.name(summary), "|", .none) : .name(summary)
        case .oneToOneInverse: annotation = .binary(.name(summary), "|", .none)
        case .oneToMany, .manyToMany: annotation = .subscripted(.name("list"), [.name(summary)])
        }
        return .assign(target: PythonNames.attribute(relation.name, in: view.table), annotation: annotation, value: nil)
    }

    func entityModule(_ view: EntityView) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Schemas of \(view.entity).")
        m.imports.from("pydantic", import: "BaseModel", "ConfigDict")
        func config(fromAttributes: Bool) -> PythonStatement? { self.config(view, fromAttributes: fromAttributes) }
        // Create
        let writable = view.writableColumns
        let keyNames = Set(view.keyColumns.map(\.name))
        let typed = writable.map { (view.attribute($0), $0.type) }
        // The integer and decimal fields (attribute, type), id lists included.
        let idLists: [(String, ColumnType)] = view.writableManyToMany.compactMap { relation in
            view.targetKey(relation).map { (PythonNames.idsField(relation.name), ColumnType.array($0.type)) }
        }
        m.body.append(
            .class(
                PythonClass(
                    name: "\(view.entity)Create", bases: [.name("BaseModel")], docstring: "Fields to create a \(view.entity).",
                    body: createBody(view, columns: writable, idLists: idLists, imports: &m.imports))))
        if let auth = schema.auth, auth.user == view.entity, auth.registration {
            // Registration: the Create fields but the role, which a client never chooses.
            let columns = writable.filter { $0.field != auth.role }
            m.body.append(
                .class(
                    PythonClass(
                        name: "\(view.entity)Register", bases: [.name("BaseModel")],
                        docstring: "Fields to register: those of \(view.entity)Create but the role.",
                        body: createBody(view, columns: columns, idLists: idLists, imports: &m.imports))))
        }
        // Update
        var update: [PythonStatement] = config(fromAttributes: false).map { [$0] } ?? []
        for column in writable where !keyNames.contains(column.name) {
            update.append(field(column, mode: .update, table: view.table, imports: &m.imports))
        }
        for relation in view.writableManyToMany {
            guard let key = view.targetKey(relation) else { continue }
            m.imports.from("pydantic", import: "Field")
            // Left out: unchanged; there is no null (`_not_null`).
            update.append(
                .assign(
                    target: PythonNames.idsField(relation.name), annotation: .binary(idsType(key, imports: &m.imports), "|", .none),
                    value: .name("Field").call(
                        .keyword("default", .none), .keyword("max_length", .int(Self.maxIds)),
                        .keyword("json_schema_extra", .dotted("fields.not_null")))))
        }
        let required = writable.filter { column in !column.nullable && !keyNames.contains(column.name) }
        if !required.isEmpty || !view.writableManyToMany.isEmpty {
            // Every field may be left out, but a NOT NULL column cannot be set to null: that is an
            // invalid body (422), not a database error.
            let ids = view.writableManyToMany.filter { view.targetKey($0) != nil }.map { PythonNames.idsField($0.name) }
            update.append(notNullValidator(required.map { view.attribute($0) } + ids, imports: &m.imports))
        }
        update += strictValidators(
            typed.filter { name, _ in !view.keyColumns.contains { view.attribute($0) == name } } + idLists, imports: &m.imports)
        if update.isEmpty { update = [.pass] }
        m.body.append(
            .class(
                PythonClass(
                    name: "\(view.entity)Update", bases: [.name("BaseModel")], docstring: "Fields to change; every one is optional.", body: update)))
        // Read
        var read: [PythonStatement] = [readConfig(view)] + readFields(view, imports: &m.imports)
        for relation in view.referencedManyToMany {
            m.imports.from("app.schemas.refs", import: "\(relation.targetEntity)Ref")
            read.append(
                .assign(
                    target: PythonNames.attribute(relation.name, in: view.table),
                    annotation: .subscripted(.name("list"), [.name("\(relation.targetEntity)Ref")]),
                    value: nil))
        }
        for relation in view.nestedRelations {
            read.append(nestedField(relation, of: view, imports: &m.imports))
        }
        m.body.append(
            .class(
                PythonClass(
                    name: "\(view.entity)Read", bases: [.name("BaseModel")],
                    docstring: "\(EnglishPlural.withArticle(view.entity, capitalized: true)) as the API returns it.", body: read)
            ))
        if embeddedEntities.contains(view.entity) {
            // MongoDB `embed: true`: how an embedded copy appears inside another entity's Read.
            var embedded: [PythonStatement] = [config(fromAttributes: true)!]
            for column in view.readableColumns where !view.keyColumns.contains(where: { $0.name == column.name }) {
                embedded.append(readField(column, view: view, imports: &m.imports))
            }
            m.body.append(
                .class(
                    PythonClass(
                        name: "\(view.entity)Embedded", bases: [.name("BaseModel")],
                        docstring: "\(EnglishPlural.withArticle(view.entity, capitalized: true)) embedded in another document.",
                        body: embedded)))
        }
        if view.hasKey { m.body.append(queryModel(view, imports: &m.imports)) }
        // List envelope
        let data = PythonStatement.assign(target: "data", annotation: .subscripted(.name("list"), [.name("\(view.entity)Read")]), value: nil)
        m.imports.from("pydantic", import: "Field")
        let optionalText = PythonExpr.binary(.name("str"), "|", .none)
        let optionalInt = PythonExpr.binary(.name("int"), "|", .none)
        m.body.append(
            .class(
                PythonClass(
                    name: "\(view.entity)List", bases: [.name("BaseModel")],
                    docstring: "A page of \(view.entity), the cursor of the next page and, if asked for, the total count.",
                    body: [
                        data,
                        .assign(
                            target: "next_cursor", annotation: optionalText,
                            value: .name("Field").call(
                                .keyword("default", .none),
                                .keyword("description", .string("Pass it back as `?cursor=` for the next page; null on the last page.")))),
                        .assign(
                            target: "count", annotation: optionalInt,
                            value: .name("Field").call(
                                .keyword("default", .none), .keyword("description", .string("The total, with `?count=true`.")))),
                    ])))
        return GeneratedFile(path: "app/schemas/\(view.module).py", contents: render(m))
    }

    /// The body of a Create schema over `columns` (and the entity's id lists).
    func createBody(
        _ view: EntityView, columns writable: [Column], idLists: [(String, ColumnType)], imports: inout PythonImports
    ) -> [PythonStatement] {
        let keyNames = Set(view.keyColumns.map(\.name))
        var create: [PythonStatement] = config(view, fromAttributes: false).map { [$0] } ?? []
        for column in writable {
            create.append(field(column, mode: .create, isKey: keyNames.contains(column.name), table: view.table, imports: &imports))
        }
        for relation in view.writableManyToMany {
            guard let key = view.targetKey(relation) else { continue }
            imports.from("pydantic", import: "Field")
            let type = idsType(key, imports: &imports)
            create.append(
                .assign(
                    target: PythonNames.idsField(relation.name), annotation: type,
                    value: .name("Field").call(
                        .keyword("default_factory", .name("list")), .keyword("max_length", .int(Self.maxIds)))))
        }
        let typed = writable.map { (view.attribute($0), $0.type) }
        let keyAttributes = Set(view.keyColumns.map { view.attribute($0) })
        create += strictValidators(typed + idLists, keys: keyAttributes, imports: &imports)
        let requiredJSON = writable.filter { $0.type == .json && !$0.nullable && MongoShape.embeddedEntity($0) == nil }.map { view.attribute($0) }
        if !requiredJSON.isEmpty { create.append(notNullValidator(requiredJSON, imports: &imports)) }
        if create.isEmpty { create = [.pass] }
        return create
    }

    /// The largest `offset` a list accepts: deeper pages are read by cursor, which costs the same
    /// on page 1 and page 10,000.
    static let maxOffset: Int64 = 10_000
    /// The longest `q` (full-text search) a list accepts.
    static let maxSearchLength = 200
    /// The longest `cursor` a list accepts (base64url of the sort and the last row's key values).
    static let maxCursorLength = 4096

    /// `XQuery`: the query parameters of the list route (page, sort, filters), unknown ones refused.
    func queryModel(_ view: EntityView, imports: inout PythonImports) -> PythonStatement {
        imports.from("pydantic", import: "Field")
        let sortPattern = "^-?(" + view.sortColumns.map(\.field).joined(separator: "|") + ")$"
        let defaultSort = view.keyColumns[0].field
        var body: [PythonStatement] = [
            .assign(target: "model_config", annotation: nil, value: .name("ConfigDict").call(.keyword("extra", .string("forbid")))),
            .assign(
                target: "limit", annotation: .name("int"),
                value: .name("Field").call(
                    .keyword("default", .int(50)), .keyword("ge", .int(1)), .keyword("le", .int(200)))),
            .assign(
                target: "offset", annotation: .name("int"),
                value: .name("Field").call(
                    .keyword("default", .int(0)), .keyword("ge", .int(0)), .keyword("le", .raw(String(Self.maxOffset))))),
            .assign(
                target: "sort", annotation: .name("str"),
                value: .name("Field").call(
                    .keyword("default", .string(defaultSort)), .keyword("pattern", pattern(sortPattern)))),
        ]
        body += [
            .assign(
                target: "cursor", annotation: .binary(.name("str"), "|", .none),
                value: .name("Field").call(
                    .keyword("default", .none), .keyword("max_length", .int(Self.maxCursorLength)),
                    .keyword("pattern", .string("^[A-Za-z0-9_-]+$")))),
            .assign(target: "count", annotation: .name("bool"), value: .name("False")),
        ]
        if backend.servesSearch, view.table.search != nil {
            imports.from("app", import: "fields")
            body.append(
                .assign(
                    target: "q", annotation: .binary(.dotted("fields.Text"), "|", .none),
                    value: .name("Field").call(
                        .keyword("default", .none), .keyword("min_length", .int(1)), .keyword("max_length", .int(Self.maxSearchLength)),
                        .keyword("pattern", .dotted("fields.NO_NUL")),
                        .keyword(
                            "description",
                            .string("Full-text search: the rows that match, best first unless `sort` is given (app/search.py)")))))
        }
        for filter in FastAPIAppGenerator.filters(view) {
            body.append(filterField(filter, imports: &imports))
        }
        // Query values are text: an integer is its digits and nothing else (no spaces, no `_`).
        let integers =
            ["limit", "offset"]
            + FastAPIAppGenerator.filters(view).filter { $0.operation != .isNull && Self.boundedInteger($0.column.type) != nil }.map(\.attribute)
        body.append(classValidator("_integers", calling: "query_integers", mode: "before", on: integers, imports: &imports))
        return .class(
            PythonClass(
                name: "\(view.entity)Query", bases: [.name("BaseModel")],
                docstring: "Query parameters of the list: a page, a sort order (`-field` descending) and filters.", body: body))
    }

    /// Most filters inside a list's `__in` (repeated parameter).
    static let maxFilterValues = 100

    /// One filter parameter of `XQuery`: the column's type (with its type's range, and no NUL in
    /// text), a list of them for `__in`, a boolean for `__is_null`; None when left out.
    func filterField(_ filter: FastAPIAppGenerator.Filter, imports: inout PythonImports) -> PythonStatement {
        let column = filter.column
        var type: PythonExpr
        switch column.type {
        case .string, .text: type = strictType(column.type, imports: &imports)
        default: type = types.pythonType(column.type, imports: &imports)
        }
        var constraints = constraints(for: column.type, validation: nil, imports: &imports)
        if MongoShape.isObjectId(column), filter.operation != .isNull {
            constraints.append(.keyword("pattern", pattern(MongoShape.objectIdPattern)))
        } else if Self.isText(column.type) {
            // No value a column can hold has a NUL (and PostgreSQL refuses to compare with one).
            imports.from("app", import: "fields")
            constraints.append(.keyword("pattern", .dotted("fields.NO_NUL")))
        }
        var args: [PythonArgument] = [.keyword("default", .none)]
        if filter.attribute != filter.parameter { args.append(.keyword("alias", .string(filter.parameter))) }
        switch filter.operation {
        case .isNull:
            type = .name("bool")
        case .isIn:
            if !constraints.isEmpty {
                imports.from("typing", import: "Annotated")
                type = .subscripted(.name("Annotated"), [type, .name("Field").call(constraints)])
            }
            type = .subscripted(.name("list"), [type])
            args.append(.keyword("max_length", .int(Self.maxFilterValues)))
        default:
            args += constraints
        }
        return .assign(
            target: filter.attribute, annotation: .binary(type, "|", .none), value: args.count == 1 ? PythonExpr.none : .name("Field").call(args))
    }

    func readField(_ column: Column, view: EntityView, imports: inout PythonImports) -> PythonStatement {
        var type: PythonExpr
        if let entity = MongoShape.embeddedEntity(column) {
            imports.from("app.schemas.\(PythonNames.module(forEntity: entity))", import: entity + "Embedded")
            type = .name(entity + "Embedded")
        } else if column.type == .time {
            imports.from("app", import: "fields")
            type = .dotted("fields.TimeOfDay")  // documented without an offset, as it is
        } else {
            type = types.pythonType(column.type, imports: &imports)
        }
        if column.nullable { type = .binary(type, "|", .none) }
        if view.attribute(column) != column.field {
            // The API keeps the schema's name; the attribute has a Python-safe one (`metadata_`).
            imports.from("pydantic", import: "Field")
            return .assign(
                target: view.attribute(column), annotation: type, value: .name("Field").call(.keyword("serialization_alias", .string(column.field))))
        }
        return .assign(target: view.attribute(column), annotation: type, value: nil)
    }

    enum Mode { case create, update }

    /// The constraints a table CHECK puts on one column, for the simple shapes a client can be told
    /// about: `col <> ''`, `length(col) > 0` (also `char_length`), `col > 0`, `col >= 1.5`, `col < 10`.
    /// Other expressions stay the database's to enforce (and answer 422).
    static func checkConstraints(_ column: Column, in table: Table) -> [PythonArgument] {
        var out: [PythonArgument] = []
        let name = NSRegularExpression.escapedPattern(for: column.name)
        let shapes: [(String, (String) -> PythonArgument?)] = [
            (#"^\s*"# + name + #"\s*(<>|!=)\s*''\s*$"#, { _ in .keyword("min_length", .int(1)) }),
            (#"^\s*(length|char_length)\(\s*"# + name + #"\s*\)\s*>\s*0\s*$"#, { _ in .keyword("min_length", .int(1)) }),
            (
                #"^\s*"# + name + #"\s*(>=|<=|>|<)\s*(-?\d+(\.\d+)?)\s*$"#,
                { match in
                    let parts = match.split(separator: " ")
                    guard parts.count == 2 else { return nil }
                    let keyword = ["<": "lt", "<=": "le", ">": "gt", ">=": "ge"][String(parts[0])]!
                    return .keyword(keyword, .number(String(parts[1])))
                }
            ),
        ]
        for check in table.checks {
            let expression = check.expression
            for (pattern, make) in shapes {
                guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
                    let match = regex.firstMatch(in: expression, range: NSRange(expression.startIndex..., in: expression))
                else { continue }
                var detail = ""
                if match.numberOfRanges >= 3, let op = Range(match.range(at: 1), in: expression),
                    let value = Range(match.range(at: 2), in: expression),
                    column.type != .text, !Self.isText(column.type)
                {
                    detail = "\(expression[op]) \(expression[value])"
                }
                if let argument = make(detail) { out.append(argument) }
            }
        }
        return out
    }

    /// One field with its constraints; optional where the database fills it in.
    func field(_ column: Column, mode: Mode, isKey: Bool = false, table: Table? = nil, imports: inout PythonImports) -> PythonStatement {
        var constraints = self.constraints(for: column.type, validation: column.validation, imports: &imports)
        if let table {
            // What the column's own validation says already (its min/max checks) is not repeated.
            for extra in Self.checkConstraints(column, in: table) where !constraints.contains(where: { $0.label == extra.label }) {
                constraints.append(extra)
            }
        }
        if case let .array(element) = column.type {
            constraints = []
            _ = element
        }
        let base: PythonExpr
        if let entity = MongoShape.embeddedEntity(column) {
            // MongoDB `embed: true`: the embedded document's fields, as its Create schema has them.
            imports.from("app.schemas.\(PythonNames.module(forEntity: entity))", import: entity + "Create")
            base = .name(entity + "Create")
        } else {
            base = pydanticType(column.type, imports: &imports)
        }
        let target = table.map { PythonNames.attribute(column.field, in: $0) } ?? PythonNames.attribute(column.field)
        if target != column.field {
            // The API keeps the schema's name; the attribute has a Python-safe one (`metadata_`).
            constraints.insert(.keyword("validation_alias", .string(column.field)), at: 0)
        }
        var defaultValue: PythonExpr?
        var optional = column.nullable
        var notNull = false
        if mode == .update {
            // Every field may be left out (None, never validated, and left out by
            // `model_dump(exclude_unset=True)`); the OpenAPI schema offers null only where the
            // column takes it, and `_not_null` refuses it elsewhere.
            optional = true
            defaultValue = PythonExpr.none
            notNull = !column.nullable
        } else if column.nullable {
            defaultValue = PythonExpr.none
        } else if let d = column.defaultValue, isSQL || d.kind != .sql {
            if let literal = pythonLiteral(d, type: column.type, imports: &imports) {
                defaultValue = literal
            } else {
                // Filled in by the database or the document model (now, uuid, SQL, JSON): leave it
                // out to get the default.
                optional = true
                defaultValue = PythonExpr.none
            }
        }
        if let extra = schemaExtra(column, notNull: notNull, isKey: isKey, imports: &imports) {
            constraints.append(extra)
        }
        let annotation: PythonExpr = optional ? .binary(base, "|", .none) : base
        if constraints.isEmpty {
            return .assign(target: target, annotation: annotation, value: defaultValue)
        }
        imports.from("pydantic", import: "Field")
        var args = constraints
        if let defaultValue { args.insert(.keyword("default", defaultValue), at: 0) }
        return .assign(target: target, annotation: annotation, value: .name("Field").call(args))
    }

    /// The range an integer column can hold: a body outside it is a 422, not a database error.
    static func integerRange(_ type: ColumnType) -> (Int64, Int64)? {
        switch type {
        case .smallint: return (-32768, 32767)
        case .int: return (-2_147_483_648, 2_147_483_647)
        // I-JSON (RFC 7493): integers within ±(2^53 - 1), which every JSON tool holds exactly (many
        // read numbers as doubles: beyond 2^53, 2^63 - 1 and 2^63 + 191 are the same number to them).
        case .bigint: return (-9_007_199_254_740_991, 9_007_199_254_740_991)
        default: return nil
        }
    }

    /// Field constraints: lengths (from the type too, so foreign-key columns get them), pattern,
    /// bounds (within the integer type's range), decimal digits.
    func constraints(for type: ColumnType, validation v: Validation?, imports: inout PythonImports, typeRange: Bool = true) -> [PythonArgument] {
        var constraints: [PythonArgument] = []
        if let n = v?.minLength { constraints.append(.keyword("min_length", .int(n))) }
        var maxLength = v?.maxLength
        if maxLength == nil, case let .string(n) = type { maxLength = n }
        if let n = maxLength { constraints.append(.keyword("max_length", .int(n))) }
        if let p = v?.pattern { constraints.append(.keyword("pattern", pattern(p))) }
        var lower = v?.minimum.map { number($0, type: type, imports: &imports) }
        var upper = v?.maximum.map { number($0, type: type, imports: &imports) }
        if let (lo, hi) = Self.integerRange(type) {
            // A strict integer type carries its column's range itself (`fields.Int32`).
            if v?.minimum == nil || v!.minimum! < Double(lo) { lower = typeRange ? .raw(String(lo)) : nil }
            if v?.maximum == nil || v!.maximum! > Double(hi) { upper = typeRange ? .raw(String(hi)) : nil }
        }
        if let lower { constraints.append(.keyword("ge", lower)) }
        if let upper { constraints.append(.keyword("le", upper)) }
        if case let .decimal(declared, s) = type {
            let p = min(declared, decimalDigits ?? declared)
            constraints.append(.keyword("max_digits", .int(p)))
            constraints.append(.keyword("decimal_places", .int(s)))
        }
        return constraints
    }

    /// The Pydantic type: arrays carry their element's constraints (`list[Annotated[str, Field(...)]]`).
    func pydanticType(_ type: ColumnType, imports: inout PythonImports) -> PythonExpr {
        guard case let .array(element) = type else { return strictType(type, imports: &imports) }
        if let bounded = Self.boundedInteger(element) {
            imports.from("app", import: "fields")
            return .subscripted(.name("list"), [.dotted("fields." + bounded)])
        }
        let inner = strictType(element, imports: &imports)
        var elementConstraints = constraints(for: element, validation: nil, imports: &imports)
        if Self.isText(element) {
            imports.from("app", import: "fields")
            elementConstraints.append(.keyword("pattern", .dotted("fields.NO_NUL")))
        }
        guard !elementConstraints.isEmpty else { return .subscripted(.name("list"), [inner]) }
        imports.from("typing", import: "Annotated")
        imports.from("pydantic", import: "Field")
        return .subscripted(.name("list"), [.subscripted(.name("Annotated"), [inner, .name("Field").call(elementConstraints)])])
    }

    /// The strict request type of a column type (`fields.Text`, `fields.DateTime`, ...): no
    /// coercion from other JSON types. Enums and JSON keep their own validation.
    func strictType(_ type: ColumnType, imports: inout PythonImports) -> PythonExpr {
        let name: String
        switch type {
        // Integers and decimals keep Pydantic's own types: constraints on them are lost around a
        // validator in the type, so `_integers` / `_decimals` validate them in the class.
        case .float: name = "Float"
        case .bytes: name = "Bytes"
        case .string, .text: name = "Text"
        case .bool: name = "Boolean"
        case .date: name = "Date"
        case .time: name = "Time"
        case .datetime: name = "DateTime"
        case .uuid: name = "UUID"
        case .json: name = "JSON"
        default: return types.pythonType(type, imports: &imports)
        }
        imports.from("app", import: "fields")
        return .dotted("fields." + name)
    }

    /// The id list of a many-to-many relation on create (`update`: optional): strict ids within
    /// the key's range, at most `maxIds`.
    func idsType(_ key: Column, imports: inout PythonImports) -> PythonExpr {
        if let bounded = Self.boundedInteger(key.type) {
            imports.from("app", import: "fields")
            return .subscripted(.name("list"), [.dotted("fields." + bounded)])
        }
        let element = pydanticType(key.type, imports: &imports)
        var bounds = constraints(for: key.type, validation: nil, imports: &imports)
        if MongoShape.isObjectId(key) {
            bounds.append(.keyword("pattern", pattern(MongoShape.objectIdPattern)))
        } else if Self.isText(key.type) {
            imports.from("app", import: "fields")
            bounds.append(.keyword("pattern", .dotted("fields.KEY_TEXT")))  // text keys are URL-safe
        }
        guard !bounds.isEmpty else { return .subscripted(.name("list"), [element]) }
        imports.from("typing", import: "Annotated")
        imports.from("pydantic", import: "Field")
        return .subscripted(.name("list"), [.subscripted(.name("Annotated"), [element, .name("Field").call(bounds)])])
    }

    static func isText(_ type: ColumnType) -> Bool {
        if case .string = type { return true }
        return type == .text
    }

    /// `_not_null`: these fields may be left out (or have a default) but may not be null.
    func notNullValidator(_ attributes: [String], imports: inout PythonImports) -> PythonStatement {
        imports.from("pydantic", import: "field_validator")
        let names = attributes.map(PythonRenderer.quote)
        return .raw(
            PythonRenderer().wrap("@field_validator(\(names.joined(separator: ", ")))", atIndent: 4).joined(separator: "\n") + """

                @classmethod
                def _not_null(cls, value: object) -> object:
                    # Left out is fine; an explicit null for a NOT NULL column is not.
                    if value is None:
                        raise ValueError("cannot be null")
                    return value
                """)
    }

    /// `fields.Int32` and its kin: an integer within a column type's range, as a list element.
    static func boundedInteger(_ type: ColumnType) -> String? {
        switch type {
        case .smallint: return "Int16"
        case .int: return "Int32"
        case .bigint: return "Int64"
        default: return nil
        }
    }

    /// The class validators that keep integers and decimals from being coerced from other JSON
    /// types (`fields.integers`, `fields.decimal_text`), for these fields (attribute, type).
    func strictValidators(_ fields: [(String, ColumnType)], keys: Set<String> = [], imports: inout PythonImports) -> [PythonStatement] {
        func isInteger(_ type: ColumnType) -> Bool {
            if Self.boundedInteger(type) != nil { return true }
            if case let .array(element) = type { return Self.boundedInteger(element) != nil }
            return false
        }
        func isDecimal(_ type: ColumnType) -> Bool {
            if case .decimal = type { return true }
            return false
        }
        func isText(_ type: ColumnType) -> Bool {
            if case let .array(element) = type { return Self.isText(element) }
            return Self.isText(type)
        }
        let kinds: [(name: String, function: String, mode: String, fields: [(String, ColumnType)])] = [
            ("_integers", "integers", "before", fields.filter { isInteger($0.1) }),
            ("_decimals", "decimal_text", "before", fields.filter { isDecimal($0.1) }),
            ("_texts", "storable", "after", fields.filter { isText($0.1) }),
            ("_keys", "key_text", "after", fields.filter { keys.contains($0.0) && Self.isText($0.1) }),
        ]
        return kinds.filter { !$0.fields.isEmpty }.map { kind in
            classValidator(kind.name, calling: kind.function, mode: kind.mode, on: kind.fields.map(\.0), imports: &imports)
        }
    }

    /// A class validator of these fields that calls `fields.<function>`.
    func classValidator(_ name: String, calling function: String, mode: String, on fields: [String], imports: inout PythonImports) -> PythonStatement
    {
        let names = fields.map(PythonRenderer.quote)
        imports.from("pydantic", import: "field_validator")
        imports.from("app", import: "fields")
        return .raw(
            PythonRenderer().wrap("@field_validator(\(names.joined(separator: ", ")), mode=\"\(mode)\")", atIndent: 4).joined(separator: "\n") + """

                @classmethod
                def \(name)(cls, value: object) -> object:
                    return fields.\(function)(value)
                """)
    }

    /// What the OpenAPI schema must say beyond Pydantic's own: a string's pattern (its own, or
    /// `fields.NO_NUL`, which `fields.Text` enforces); decimals are strings whose pattern holds their digits and
    /// sign; an update field of a NOT NULL column is not nullable.
    func schemaExtra(_ column: Column, notNull: Bool, isKey: Bool, imports: inout PythonImports) -> PythonArgument? {
        switch column.type {
        case _ where Self.isText(column.type):
            // Pydantic leaves a pattern out of the schema of an optional strict string: say it.
            imports.from("app", import: "fields")
            // A pattern of the schema's own is documented with the refusals in front of it: NUL,
            // and for keys "/" and the empty string.
            let refused = isKey ? #"^(?=[A-Za-z0-9\-._~!$&'()*+,;=:@]+$)(?:"# : #"^(?![\s\S]*\x00)(?:"#
            let documented =
                column.validation?.pattern.map { pattern(refused + $0 + ")") }
                ?? .dotted(isKey ? "fields.KEY_TEXT" : "fields.NO_NUL")
            var args: [PythonArgument] = [.keyword("pattern", documented)]
            if notNull { args.append(.keyword("nullable", .bool(false))) }
            return .keyword("json_schema_extra", .dotted("fields.json_schema").call(args))
        case let .decimal(declared, s):
            imports.from("app", import: "fields")
            let p = min(declared, decimalDigits ?? declared)
            let signed = (column.validation?.minimum ?? -1) < 0
            var args: [PythonArgument] = [
                .keyword(
                    "pattern", .rawString(PydanticPatterns.decimal(precision: p, scale: s, signed: signed, maximum: column.validation?.maximum))),
                .keyword("text", .bool(true)),
            ]
            if notNull { args.append(.keyword("nullable", .bool(false))) }
            return .keyword("json_schema_extra", .dotted("fields.json_schema").call(args))
        case .json where !column.nullable && MongoShape.embeddedEntity(column) == nil:
            // `Any` takes null; the column does not (an embedded document's schema takes no null).
            imports.from("app", import: "fields")
            return .keyword("json_schema_extra", .dotted("fields.not_null"))
        default:
            guard notNull else { return nil }
            imports.from("app", import: "fields")
            return .keyword("json_schema_extra", .dotted("fields.not_null"))
        }
    }

    /// The most ids one request may send for one relation.
    static let maxIds = 1000

    func pattern(_ p: String) -> PythonExpr {
        if !p.contains("\"") && !p.hasSuffix("\\") && !p.contains("\n") { return .rawString(p) }
        return .string(p)
    }

    func number(_ value: Double, type: ColumnType, imports: inout PythonImports) -> PythonExpr {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        switch type {
        case .float: return .number(value == value.rounded() ? text + ".0" : text)
        default: return .number(text)
        }
    }

    /// The Python value of a literal default, or nil when the database computes it.
    func pythonLiteral(_ d: ColumnDefault, type: ColumnType, imports: inout PythonImports) -> PythonExpr? {
        guard d.kind == .literal, let text = d.value else { return nil }
        switch type {
        case .bool: return .bool(text == "true")
        case .int, .bigint, .smallint: return Int(text).map { .int($0) }
        case .float: return .number(text.contains(".") || text.contains("e") ? text : text + ".0")
        case .decimal:
            imports.module("decimal")
            // ruff (FURB157) wants integers unquoted: Decimal(0), Decimal("12.50").
            if let whole = Int(text) { return .dotted("decimal.Decimal").call(.positional(.int(whole))) }
            return .dotted("decimal.Decimal").call(.positional(.string(text)))
        case .string, .text: return .string(text)
        case let .enumeration(name):
            var taken: Set<String> = []
            let values = schema.enumType(named: name)?.values ?? []
            let members = values.map { PythonNames.enumMember($0, taken: &taken) }
            guard let i = values.firstIndex(of: text) else { return nil }
            imports.from("app.models.enums", import: PythonNames.enumClass(name))
            return .attribute(.name(PythonNames.enumClass(name)), members[i])
        case .uuid:
            imports.module("uuid")
            return .dotted("uuid.UUID").call(.positional(.string(text)))
        default:
            return nil
        }
    }
}

/// Regular expressions the request schemas declare.
public enum PydanticPatterns {
    /// The decimal numbers a `decimal(p, s)` column holds, as text: at most p - s digits before
    /// the point and s after it; a sign only where the field takes negative values; and, for a
    /// whole non-negative `maximum`, no value above it (`99999.5` is refused by `le=99999`).
    public static func decimal(precision p: Int, scale s: Int, signed: Bool, maximum: Double? = nil) -> String {
        let whole = max(p - s, 1)
        let fraction = s > 0 ? "(?:\\.\\d{0,\(s)})?" : ""
        let unsigned = s > 0 ? "(?:\\d{1,\(whole)}\(fraction)|\\.\\d{1,\(s)})" : "\\d{1,\(whole)}"
        guard let maximum, maximum >= 0, maximum == maximum.rounded(), maximum < pow(10, Double(whole)) else {
            return "^" + (signed ? "[+-]?" : "\\+?") + unsigned + "$"
        }
        // Below the maximum: any fraction; the maximum itself: zeros only.
        let top = String(Int64(maximum))
        let below = integersBelow(top)
        let zeros = s > 0 ? "(?:\\.0{0,\(s)})?" : ""
        var bounded = "(?:\(top)\(zeros)"
        if !below.isEmpty { bounded += "|(?:" + below.joined(separator: "|") + ")" + fraction + (s > 0 ? "|\\.\\d{1,\(s)}" : "") }
        bounded += ")"
        let negative = signed ? "-" + unsigned + "|" : ""
        return "^(?:" + negative + "\\+?0*" + bounded + ")$"
    }

    /// Alternatives matching the whole numbers (no leading zeros) below `top` (digits, > 0).
    static func integersBelow(_ top: String) -> [String] {
        let digits = top.compactMap { $0.wholeNumberValue }
        guard !(digits.count == 1 && digits[0] == 0) else { return [] }
        var out: [String] = []
        if digits.count > 1 { out.append("\\d{1,\(digits.count - 1)}") }  // fewer digits
        for (i, d) in digits.enumerated() {
            let low = i == 0 ? (digits.count == 1 ? 0 : 1) : 0
            guard d > low else { continue }
            let prefix = digits[..<i].map(String.init).joined()
            let range = d - 1 == low ? "\(low)" : "[\(low)-\(d - 1)]"
            let rest = digits.count - i - 1
            out.append(prefix + range + (rest > 0 ? "\\d{\(rest)}" : ""))
        }
        return out
    }
}
