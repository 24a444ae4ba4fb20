import CodeRendering
import Foundation
import MigrationPlanner
import SchemaModel

/// `schemaforge generate --db mongodb`: a FastAPI project on ODMantic, with `$jsonSchema`
/// validators, index definitions and the same router shapes as the SQL target.
///
/// The API layer (Pydantic schemas, router package) is the SQL target's, run on the reshaped
/// schema (`MongoShape`): ObjectIds are 24-hex-digit strings there.
public struct MongoProjectGenerator {
    public let original: Schema
    public let schema: Schema
    let collections: MongoCollectionBuilder
    let views: [EntityView]
    let app: FastAPIAppGenerator
    /// The Pydantic generator over the reshaped schema (types, constraints, Read fields).
    let pydantic: PydanticSchemasGenerator

    /// The resolved schema as the migration snapshot (`mongo/migrations/schema.snapshot.json`).
    let snapshot: String?

    public init(schema: Schema, snapshot: String? = nil) {
        self.snapshot = snapshot
        self.original = schema
        let reshaped = MongoShape.reshape(schema)
        self.schema = reshaped
        self.collections = MongoCollectionBuilder(reshaped: reshaped)
        self.views = reshaped.tables.map { EntityView(schema: reshaped, table: $0) }
        self.app = FastAPIAppGenerator(schema: reshaped, database: .mongodb)
        self.pydantic = PydanticSchemasGenerator(schema: reshaped, database: .mongodb)
    }

    /// Schema features with no MongoDB meaning (printed by `generate` at their place in the schema,
    /// listed in the README).
    public var warnings: [MongoWarning] {
        var out = collections.warnings()
        for table in schema.tables { _ = collections.indexes(table, warnings: &out) }
        for table in original.tables {
            for relation in table.relations where relation.read == .nested {
                out.append(
                    MongoWarning(
                        table, nil, "'read: nested' on '\(relation.name)' applies to the SQL targets; on MongoDB the Read shows the related ids"))
            }
        }
        for table in schema.tables {
            for column in table.columns where column.defaultValue?.kind == .sql {
                out.append(MongoWarning(table, nil, "the SQL default of '\(column.name)' has no MongoDB meaning; the field is required"))
            }
        }
        return out
    }

    public func generate() -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        files.append(GeneratedFile(path: "app/__init__.py", contents: "# \(generatedHeader)\n\"\"\"The \(schema.name) backend.\"\"\"\n"))
        files.append(SQLAlchemyModelsGenerator(schema: schema).enums())
        files += pydantic.generate()
        files += [config(), db(), main(), documents(), defaults(), modelsPackage(), params(), deletes(), indexesScript()] + errors()
        files.append(app.routersPackage())
        files.append(app.crudPackage())
        files.append(
            GeneratedFile(
                path: "mongo/__init__.py", contents: "# \(generatedHeader)\n\"\"\"MongoDB collections: validators, indexes, migrations.\"\"\"\n"))
        for view in views {
            files.append(model(view))
            files.append(crud(view))
            files.append(router(view))
            files.append(
                GeneratedFile(
                    path: "mongo/validators/\(collections.collectionName(view.table)).json",
                    contents: collections.validator(view.table).render() + "\n"))
        }
        files += UserCodeGenerator(views: views, backend: .odmantic).generate()
        files += projectFiles()
        files += migrationFiles()
        files += TestsGenerator(schema: schema, backend: .odmantic).generate()
        return files.sorted { $0.path < $1.path }
    }

    private func file(_ path: String, docstring: String, imports: (inout PythonImports) -> Void, body: String) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: docstring)
        imports(&m.imports)
        m.body = [.raw(body)]
        return GeneratedFile(path: path, contents: PythonRenderer().render(m))
    }

    var databaseName: String {
        let snake = Identifiers.snakeCase(schema.name)
        return snake.isEmpty ? "app" : snake
    }

    // MARK: Fixed modules

    func config() -> GeneratedFile {
        file(
            "app/config.py", docstring: "Settings, from the environment or a .env file.",
            imports: {
                $0.from("pydantic_settings", import: "BaseSettings", "SettingsConfigDict")
            },
            body: FastAPIAppGenerator.settings(
                fields: AppSetting.mongodb(database: databaseName).flatMap(\.fieldLines).map { "    " + $0 }.joined(separator: "\n")))
    }

    /// `app/db.py`: the engine (bounded waits) and `EngineDep`.
    func db() -> GeneratedFile { FixedModules.file("app/db.py", target: FixedModules.mongodb) }

    /// `app/errors.py` (MongoDB's errors), and what is shared with the SQL targets: `app/problems.py`
    /// (problem details), `app/fields.py` (the strict request types), `app/limits.py` (the body limit),
    /// `app/etags.py` (ETags of single resources).
    func errors() -> [GeneratedFile] {
        [FixedModules.file("app/errors.py", target: FixedModules.mongodb)]
            + ["app/problems.py", "app/fields.py", "app/limits.py", "app/etags.py"].map { FixedModules.file($0, target: FixedModules.fastapi) }
            + ["app/filters.py", "app/health.py", "app/pages.py"].map { FixedModules.file($0, target: FixedModules.mongodb) }
    }

    func main() -> GeneratedFile {
        FastAPIAppGenerator.mainModule(
            title: schema.name,
            imports: {
                $0.module("logging")
                $0.from("pymongo.errors", import: "ConnectionFailure")
                $0.from("app", import: "health")
                $0.from("app.config", import: "settings")
                $0.from("app.db", import: "make_engine")
                $0.from("app.limits", import: "BodyLimitMiddleware")
                $0.from("app.models", import: "MODELS")
            },
            lifespan: """
                @asynccontextmanager
                async def lifespan(app: FastAPI) -> AsyncIterator[None]:
                    engine = make_engine()
                    app.state.engine = engine
                    try:
                        # The models' indexes (unique ones included); validators: mongo/indexes.py.
                        await engine.configure_database(MODELS)
                    except ConnectionFailure:
                        # Serve anyway: requests answer 503 until the server is back, and
                        # `python -m mongo.indexes` creates these indexes too.
                        logging.getLogger(__name__).warning("MongoDB is unreachable: 503 until it is back")
                    yield
                    engine.client.close()
                """,
            setup: """
                app.include_router(health.router)
                app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
                """)
    }

    /// `app/documents.py`: documents to API data and back (ObjectIds, Decimal128, timestamps).
    func documents() -> GeneratedFile { FixedModules.file("app/documents.py", target: FixedModules.mongodb) }

    func defaults() -> GeneratedFile {
        file(
            "app/models/defaults.py", docstring: "Default factories of the models' fields.",
            imports: {
                $0.module("datetime")
                $0.module("uuid")
            },
            body: """
                def now() -> datetime.datetime:
                    \"\"\"The current time, in UTC.\"\"\"
                    return datetime.datetime.now(datetime.timezone.utc)


                def today() -> datetime.datetime:
                    \"\"\"Today at midnight UTC (BSON has no date without a time).\"\"\"
                    day = datetime.datetime.now(datetime.timezone.utc).date()
                    return datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc)


                def current_time() -> str:
                    \"\"\"The current time of day in UTC, as a time field stores it (HH:MM:SS).\"\"\"
                    return datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S")


                def new_uuid() -> str:
                    \"\"\"A random UUID (version 4), as stored: a string.\"\"\"
                    return str(uuid.uuid4())
                """)
    }

    func params() -> GeneratedFile {
        file(
            "app/params.py", docstring: "Path parameters holding ObjectIds.",
            imports: {
                $0.from("typing", import: "Annotated")
                $0.from("fastapi", import: "Path")
            },
            body: """
                OBJECT_ID_PATTERN = \(PythonRenderer.quote(MongoShape.objectIdPattern))
                ObjectIdPath = Annotated[str, Path(pattern=OBJECT_ID_PATTERN)]
                """)
    }

    func modelsPackage() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "ODMantic models, one module per collection.")
        m.imports.from("odmantic", import: "Model")
        var names: [String] = []
        for view in views {
            m.imports.from("app.models.\(view.module)", import: PythonNames.entityClass(view.entity))
            names.append(PythonNames.entityClass(view.entity))
        }
        m.body = [
            .raw("MODELS: list[type[Model]] = [\(names.joined(separator: ", "))]"),
            .assign(target: "__all__", annotation: nil, value: .list(PythonImports.sortDunderAll(["MODELS"] + names).map { .string($0) })),
        ]
        return GeneratedFile(path: "app/models/__init__.py", contents: PythonRenderer().render(m))
    }

    // MARK: Models

    func modelType(_ column: Column, imports: inout PythonImports) -> PythonExpr {
        if let entity = MongoShape.embeddedEntity(column) {
            imports.from("app.models.\(PythonNames.module(forEntity: entity))", import: entity + "Embedded")
            return .name(entity + "Embedded")
        }
        if MongoShape.isObjectId(column) {
            imports.from("bson", import: "ObjectId")
            return .name("ObjectId")
        }
        switch column.type {
        case .date:
            imports.module("datetime")
            return .dotted("datetime.datetime")
        case .decimal where column.nullable:
            // ODMantic 1.1 stores a bare Decimal as Decimal128 but not an optional one.
            imports.from("odmantic.bson", import: "Decimal128")
            return .name("Decimal128")
        case let .array(element):
            return .subscripted(.name("list"), [pydantic.types.pythonType(element, imports: &imports)])
        case .json:
            // Any JSON value, as the API and the validator take it.
            imports.from("typing", import: "Any")
            return .name("Any")
        default:
            return pydantic.types.pythonType(column.type, imports: &imports)
        }
    }

    /// The stored fields of an entity (all but `id` and the many-to-many arrays), with their
    /// constraints and defaults: the body of its Model and of its EmbeddedModel.
    func fields(_ view: EntityView, imports: inout PythonImports, aliases: inout [PythonStatement]) -> [PythonStatement] {
        var body: [PythonStatement] = []
        for column in view.table.columns where column.name != "id" {
            var type = modelType(column, imports: &imports)
            var fieldArgs: [PythonArgument] = []
            if !MongoShape.isObjectId(column) {
                for arg in pydantic.constraints(for: column.type, validation: column.validation, imports: &imports) {
                    switch arg.label {
                    case "min_length", "max_length": fieldArgs.append(arg)
                    case "ge", "le":
                        // Decimal128 has no ordering: its bounds are the schemas' and the validator's.
                        if !(column.nullable && column.type.isDecimal) { fieldArgs.append(arg) }
                    case "pattern":
                        // ODMantic's Field has no `pattern`: a constrained type alias carries it.
                        imports.from("typing", import: "Annotated")
                        imports.from("pydantic", import: "StringConstraints")
                        let alias =
                            Identifiers.snakeCase(column.field).split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
                            + "Text"
                        aliases.append(
                            .assign(
                                target: alias, annotation: nil,
                                value: .subscripted(.name("Annotated"), [type, .name("StringConstraints").call(.keyword("pattern", arg.value))])))
                        type = .name(alias)
                    default: break
                    }
                }
            }
            if column.nullable { type = .binary(type, "|", .none) }
            var value: PythonExpr?
            if let d = column.defaultValue, let literal = pydantic.pythonLiteral(d, type: column.type, imports: &imports) {
                fieldArgs.insert(.keyword("default", literal), at: 0)
            } else if let factory = defaultFactory(column, imports: &imports) {
                fieldArgs.insert(.keyword("default_factory", factory), at: 0)
            } else if column.nullable {
                fieldArgs.insert(.keyword("default", .none), at: 0)
            }
            if fieldArgs.count == 1, fieldArgs[0].label == "default" {
                value = fieldArgs[0].value
            } else if !fieldArgs.isEmpty {
                value = .name("Field").call(fieldArgs)
            }
            body.append(.assign(target: view.attribute(column), annotation: type, value: value))
        }
        return body
    }

    /// What fills a field the client left out, when its default is not a literal the model can hold:
    /// a factory of `app/models/defaults.py` (`now`, `today`, `current_time`, `new_uuid`), or a fresh
    /// copy of a JSON default (`dict`, `list`, or a lambda building it). MongoDB has no server
    /// defaults: an `{sql: ...}` default has none (the field is required, with a warning).
    func defaultFactory(_ column: Column, imports: inout PythonImports) -> PythonExpr? {
        guard let d = column.defaultValue else { return nil }
        switch d.kind {
        case .now, .uuid:
            let factory =
                // A time field is a string here (MongoShape): its `now` is the time of day.
                d.kind == .uuid ? "new_uuid" : column.type == .date ? "today" : column.type == .datetime ? "now" : "current_time"
            imports.from("app.models.defaults", import: factory)
            return .name(factory)
        case .literal:
            let isJSONValued: Bool
            switch column.type {
            case .json, .array: isJSONValued = true
            default: isJSONValued = false
            }
            guard isJSONValued, let text = d.value,
                let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            else { return nil }
            if let dict = value as? [String: Any], dict.isEmpty { return .name("dict") }
            if let list = value as? [Any], list.isEmpty { return .name("list") }
            return .lambda([], Self.pythonValue(of: value))
        case .sql:
            return nil
        }
    }

    /// A value parsed from JSON as a Python expression (keys sorted: the same text every time).
    static func pythonValue(of value: Any) -> PythonExpr {
        switch value {
        case let dict as [String: Any]: return .dict(dict.keys.sorted().map { (key: .string($0), value: pythonValue(of: dict[$0]!)) })
        case let list as [Any]: return .list(list.map(pythonValue))
        case let string as String: return .string(string)
        case let number as NSNumber:
            // JSON's true and false come back as NSNumber too, of the C type `c` (char).
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.stringValue)
        default: return .none
        }
    }

    /// Entities some other entity embeds.
    var embeddedEntities: Set<String> { pydantic.embeddedEntities }

    func model(_ view: EntityView) -> GeneratedFile {
        let table = view.table
        var m = PythonModule(header: generatedHeader, docstring: "The \(view.entity) document (collection `\(collections.collectionName(table))`).")
        m.imports.from("odmantic", import: "Field", "Model")
        m.imports.from("odmantic.config", import: "ODMConfigDict")
        m.imports.from("bson", import: "ObjectId")
        var aliases: [PythonStatement] = []
        var body: [PythonStatement] = [.raw("id: ObjectId = Field(default_factory=ObjectId, primary_field=True)")]
        body += fields(view, imports: &m.imports, aliases: &aliases)
        for (field, _) in collections.arrays(table) {
            body.append(.raw("\(field): list[ObjectId] = Field(default_factory=list)"))
        }
        var warnings: [MongoWarning] = []
        let indexes = collections.indexes(table, warnings: &warnings)
        if indexes.isEmpty {
            body.append(
                .assign(
                    target: "model_config", annotation: nil,
                    value: .name("ODMConfigDict").call(.keyword("collection", .string(collections.collectionName(table))))))
        } else {
            var config = [
                "model_config = ODMConfigDict(", "    collection=\(PythonRenderer.quote(collections.collectionName(table)))", "    indexes=lambda: [",
            ]
            config[1] += ","
            for spec in indexes {
                // Laid out at its real depth (12: class body, call, list), then less the class indent the raw statement adds.
                config += PythonRenderer().lines(indexExpression(spec, entity: view.entity, imports: &m.imports), prefix: "", suffix: ",", indent: 12)
                    .map { String($0.dropFirst(4)) }
            }
            config += ["    ],", ")"]
            body.append(.raw(config.joined(separator: "\n")))
        }
        var classes: [PythonStatement] = []
        if embeddedEntities.contains(view.entity) {
            m.imports.from("odmantic", import: "EmbeddedModel")
            var embeddedAliases: [PythonStatement] = []
            let embeddedBody = fields(view, imports: &m.imports, aliases: &embeddedAliases)
            classes.append(
                .class(
                    PythonClass(
                        name: view.entity + "Embedded", bases: [.name("EmbeddedModel")],
                        docstring: "\(EnglishPlural.withArticle(view.entity, capitalized: true)) stored inside another document (`embed: true`).",
                        body: embeddedBody.isEmpty ? [.pass] : embeddedBody)))
        }
        classes.append(
            .class(
                PythonClass(
                    name: PythonNames.entityClass(view.entity), bases: [.name("Model")],
                    docstring: table.comment ?? "\(EnglishPlural.withArticle(view.entity, capitalized: true)) document.",
                    body: body)))
        m.body = aliases + classes
        return GeneratedFile(path: "app/models/\(view.module).py", contents: PythonRenderer().render(m))
    }

    /// An ODMantic `Index`, or a pymongo `IndexModel` for what `Index` cannot say (partial, TTL, text).
    func indexExpression(_ spec: MongoIndexSpec, entity: String, imports: inout PythonImports) -> PythonExpr {
        if spec.isPlain {
            imports.from("odmantic", import: "Index")
            var args: [PythonArgument] = spec.keys.map { .positional(.name(PythonNames.entityClass(entity)).dot($0 == "_id" ? "id" : $0)) }
            if spec.unique { args.append(.keyword("unique", .bool(true))) }
            args.append(.keyword("name", .string(spec.name)))
            return .name("Index").call(args)
        }
        let direction = spec.text ? "TEXT" : "ASCENDING"
        imports.from("pymongo", import: "IndexModel", direction)
        var args: [PythonArgument] = [
            .positional(.list(spec.keys.map { .tuple([.string($0), .name(direction)]) })), .keyword("name", .string(spec.name)),
        ]
        if spec.unique { args.append(.keyword("unique", .bool(true))) }
        if let seconds = spec.expireAfterSeconds { args.append(.keyword("expireAfterSeconds", .int(seconds))) }
        if let filter = spec.partialFilter { args.append(.keyword("partialFilterExpression", .raw(pythonLiteral(filter)))) }
        return .name("IndexModel").call(args)
    }

    // MARK: Persistence

    /// Foreign keys (ObjectId fields) of a table and the entity each points to.
    func references(_ table: Table) -> [(field: String, target: String)] {
        table.foreignKeys.compactMap { fk in
            guard let target = schema.table(named: fk.referencedTable)?.entity, let column = table.column(named: fk.columns[0]) else { return nil }
            return (PythonNames.attribute(column.field, in: table), target)
        }
    }

    func importModel(_ entity: String, into imports: inout PythonImports) -> String {
        FastAPIAppGenerator.importModel(entity, into: &imports)
        return FastAPIAppGenerator.modelName(entity)
    }

    func crud(_ view: EntityView) -> GeneratedFile {
        let snake = Identifiers.snakeCase(view.entity)
        var m = PythonModule(header: generatedHeader, docstring: "Persistence of \(view.entity).")
        m.imports.from("typing", import: "Any")
        m.imports.from("bson", import: "ObjectId")
        m.imports.from("odmantic", import: "AIOEngine")
        m.imports.from("app.documents", import: "to_document")
        m.imports.from("app.problems", import: "NotFoundError")
        m.imports.from("app.schemas.\(view.module)", import: "\(view.entity)Create", "\(view.entity)Update")
        m.imports.from("app.hooks", import: "\(view.module) as \(UserCodeGenerator.crudAlias)")
        let hooks = UserCodeGenerator.crudAlias
        let model = importModel(view.entity, into: &m.imports)
        var refs: [String] = []
        for (field, target) in references(view.table) {
            refs.append("    \(PythonRenderer.quote(field)): \(importModel(target, into: &m.imports)),")
        }
        for (field, relation) in collections.arrays(view.table) {
            refs.append("    \(PythonRenderer.quote(field)): \(importModel(relation.targetEntity, into: &m.imports)),")
        }
        var unused = PythonImports()
        let generated = view.writableColumns.filter { !$0.nullable && defaultFactory($0, imports: &unused) != nil }.map { view.attribute($0) }
        let onUpdate = view.table.columns.filter(\.onUpdateNow).map { view.attribute($0) }
        var lines: [String] = []
        lines.append("# ObjectId fields and the collection each must point into.")
        lines.append("REFERENCES: dict[str, Any] = {" + (refs.isEmpty ? "}" : ""))
        if !refs.isEmpty { lines += refs + ["}"] }
        lines.append("# Fields the model fills in when the client leaves them out.")
        lines.append(
            "GENERATED: tuple[str, ...] = (\(generated.map(PythonRenderer.quote).joined(separator: ", "))\(generated.count == 1 ? "," : ""))")
        let engine = PythonParameter("engine", .name("AIOEngine"))
        var statements: [PythonStatement] = [
            .raw(lines.joined(separator: "\n")),
            FastAPIAppGenerator.asyncDef(
                "check_references", [engine, PythonParameter("data", .raw("dict[str, Any]"))], returns: PythonExpr.none,
                docstring: "NotFoundError unless every ObjectId in `data` names an existing document.",
                body: [
                    "    for name, model in REFERENCES.items():",
                    "        value = data.get(name)",
                    "        ids = value if isinstance(value, list) else [] if value is None else [value]",
                    "        for key in ids:",
                    "            collection = engine.get_collection(model)",
                    "            if not ObjectId.is_valid(key) or (",
                    "                await collection.find_one({\"_id\": ObjectId(key)}) is None",
                    "            ):",
                    "                raise NotFoundError(model.__name__, key)",
                ]),
        ]
        var create: [String] = []
        create.append("    body = await \(hooks).before_create(engine, body)")
        create.append("    data = to_document(body.model_dump())")
        create += embeddedCleanup(view)
        create.append("    for name in GENERATED:")
        create.append("        if data.get(name) is None:")
        create.append("            data.pop(name, None)")
        create.append("    await check_references(engine, data)")
        create.append("    document = await engine.save(\(model)(**data))")
        create.append("    await \(hooks).after_create(engine, document)")
        create.append("    return document")
        statements.append(
            FastAPIAppGenerator.asyncDef(
                "create_\(snake)", [engine, .keywordOnly, PythonParameter("body", .name("\(view.entity)Create"))], returns: .name(model),
                docstring: "Insert a \(view.entity); a unique index violation raises DuplicateKeyError.", body: create))
        var update: [String] = []
        update.append("    body = await \(hooks).before_update(engine, document, body)")
        update.append("    data = to_document(body.model_dump(exclude_unset=True))")
        update += embeddedCleanup(view)
        update.append("    await check_references(engine, data)")
        if !onUpdate.isEmpty {
            m.imports.from("app.models.defaults", import: "now")
            for name in onUpdate { update.append("    data[\(PythonRenderer.quote(name))] = now()") }
        }
        update.append("    document.model_update(data)")
        update.append("    document = await engine.save(document)")
        update.append("    await \(hooks).after_update(engine, document)")
        update.append("    return document")
        statements.append(
            FastAPIAppGenerator.asyncDef(
                "update_\(snake)",
                [engine, .keywordOnly, PythonParameter("document", .name(model)), PythonParameter("body", .name("\(view.entity)Update"))],
                returns: .name(model), docstring: "Apply the fields the client sent.", body: update))
        for (field, target) in references(view.table) {
            let relation = field.hasSuffix("_id") ? String(field.dropLast(3)) : field
            statements.append(
                FastAPIAppGenerator.asyncDef(
                    "find_by_\(relation)", [engine, PythonParameter(field, .name("ObjectId"))], returns: .subscripted(.name("list"), [.name(model)]),
                    docstring: "The \(view.entity) documents whose `\(field)` is this \(target) (the inverse side).",
                    body: ["    return await engine.find(\(model), {\(PythonRenderer.quote(field)): \(field)})"]))
        }
        m.body = statements
        return GeneratedFile(path: "app/crud/\(view.module).py", contents: PythonRenderer().render(m))
    }

    /// Embedded documents leave out the fields the client left null: their model defaults apply.
    func embeddedCleanup(_ view: EntityView) -> [String] {
        view.table.columns.filter { MongoShape.embeddedEntity($0) != nil }.flatMap { column -> [String] in
            let name = PythonRenderer.quote(view.attribute(column))
            return [
                "    if isinstance(data.get(\(name)), dict):",
                "        data[\(name)] = {k: v for k, v in data[\(name)].items() if v is not None}",
            ]
        }
    }

    /// `app/crud/deletes.py`: one delete function per entity applying the schema's on_delete rules in
    /// application code (MongoDB has no foreign keys): restrict/no_action refuse, cascade deletes,
    /// set_null clears; many-to-many arrays lose the deleted id. One module, so that cascades across
    /// entities (and cycles) need no circular imports.
    func deletes() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Deletes with the schema's on_delete rules, applied by the application.")
        m.imports.from("odmantic", import: "AIOEngine")
        var statements: [PythonStatement] = []
        for view in views {
            let snake = Identifiers.snakeCase(view.entity)
            let model = importModel(view.entity, into: &m.imports)
            var lines: [String] = []
            var restrict: [String] = [], cascade: [String] = [], clear: [PythonStatement] = []
            // `update_many` of the documents whose `field` holds this one's id.
            func updateMany(_ model: String, _ field: String, _ change: String, _ value: PythonExpr) -> PythonStatement {
                let collection = PythonExpr.name("engine").dot("get_collection").call(.positional(.name(model)))
                let selection = PythonExpr.dict([(key: .string(field), value: .dotted("document.id"))])
                let update = PythonExpr.dict([(key: .string(change), value: .dict([(key: .string(field), value: value)]))])
                return .expression(.await(collection.dot("update_many").call(.positional(selection), .positional(update))))
            }
            for other in views {
                let otherModel = importModel(other.entity, into: &m.imports)
                for fk in other.table.foreignKeys where fk.referencedTable == view.table.name {
                    let field = PythonNames.attribute(other.table.column(named: fk.columns[0])?.field ?? fk.columns[0], in: other.table)
                    switch fk.onDelete ?? .noAction {
                    case .restrict, .noAction:
                        m.imports.from("app.errors", import: "ConflictError")
                        restrict += [
                            "    if await engine.find_one(\(otherModel), {\(PythonRenderer.quote(field)): document.id}) is not None:",
                            "        raise ConflictError(\(PythonRenderer.quote("\(EnglishPlural.withArticle(other.entity)) references this \(view.entity) (\(field))")))",
                        ]
                    case .cascade:
                        cascade += [
                            "    for \(Identifiers.snakeCase(other.entity))_child in await engine.find(\(otherModel), {\(PythonRenderer.quote(field)): document.id}):",
                            "        await delete_\(Identifiers.snakeCase(other.entity))(engine, \(Identifiers.snakeCase(other.entity))_child)",
                        ]
                    case .setNull, .setDefault:
                        clear.append(updateMany(otherModel, field, "$set", .none))
                    }
                }
                for (field, relation) in collections.arrays(other.table) where relation.targetTable == view.table.name {
                    clear.append(updateMany(otherModel, field, "$pull", .dotted("document.id")))
                }
            }
            let checks = (lines + restrict + cascade).map { String($0.dropFirst(4)) }
            let body: [PythonStatement] =
                (checks.isEmpty ? [] : [.raw(checks.joined(separator: "\n"))]) + clear + [.raw("await engine.delete(document)")]
            statements.append(
                .function(
                    PythonFunction(
                        name: "delete_\(snake)",
                        parameters: [PythonParameter("engine", .name("AIOEngine")), PythonParameter("document", .name(model))],
                        returns: PythonExpr.none, body: body, isAsync: true,
                        docstring: "Delete a \(view.entity) and apply the on_delete rule of every reference to it.")))
        }
        m.body = statements
        return GeneratedFile(path: "app/crud/deletes.py", contents: PythonRenderer().render(m))
    }

    // MARK: Routes

    func router(_ view: EntityView) -> GeneratedFile {
        ResourceRouter(view: view, backend: ODManticRouter(project: self, view: view)).generate()
    }

    // MARK: mongo/indexes.py

    func indexesScript() -> GeneratedFile {
        var lines: [String] = ["INDEXES: dict[str, list[IndexModel]] = {"]
        var warnings: [MongoWarning] = []
        var usesText = false, usesAscending = false
        for view in views {
            let specs = collections.indexes(view.table, warnings: &warnings)
            if specs.contains(where: \.text) { usesText = true }
            if specs.contains(where: { !$0.text }) { usesAscending = true }
            let name = PythonRenderer.quote(collections.collectionName(view.table))
            if specs.isEmpty {
                lines.append("    \(name): [],")
                continue
            }
            lines.append("    \(name): [")
            for spec in specs {
                let keys = "[" + spec.keys.map { "(\(PythonRenderer.quote($0)), \(spec.text ? "TEXT" : "ASCENDING"))" }.joined(separator: ", ") + "]"
                var args = [keys, "name=\(PythonRenderer.quote(spec.name))"]
                if spec.unique { args.append("unique=True") }
                if let seconds = spec.expireAfterSeconds { args.append("expireAfterSeconds=\(seconds)") }
                if let filter = spec.partialFilter { args.append("partialFilterExpression=\(pythonLiteral(filter))") }
                let oneLine = "        IndexModel(\(args.joined(separator: ", "))),"
                if oneLine.count <= 88 {
                    lines.append(oneLine)
                } else {
                    lines.append("        IndexModel(")
                    for arg in args { lines.append("            \(arg),") }
                    lines.append("        ),")
                }
            }
            lines.append("    ],")
        }
        lines.append("}")
        return file(
            "mongo/indexes.py", docstring: "Create every collection with its $jsonSchema validator, and its indexes; safe to run again.",
            imports: {
                $0.module("asyncio")
                $0.module("json")
                $0.from("pathlib", import: "Path")
                $0.from("typing", import: "Any")
                $0.from("pymongo", import: "IndexModel")
                if usesAscending { $0.from("pymongo", import: "ASCENDING") }
                if usesText { $0.from("pymongo", import: "TEXT") }
            },
            body: """
                VALIDATORS = Path(__file__).parent / "validators"

                \(lines.joined(separator: "\n"))


                def validator(collection: str) -> dict[str, Any]:
                    \"\"\"The collection's validator, from mongo/validators/<collection>.json.\"\"\"
                    document: dict[str, Any] = json.loads(
                        (VALIDATORS / f"{collection}.json").read_text(encoding="utf-8")
                    )
                    return document


                async def apply_validator(
                    db: Any, collection: str, schema: dict[str, Any] | None = None
                ) -> None:
                    \"\"\"Create the collection with its validator, or replace an existing one's.\"\"\"
                    rules = schema if schema is not None else validator(collection)
                    options = {"validationLevel": "strict", "validationAction": "error"}
                    if collection in await db.list_collection_names():
                        await db.command("collMod", collection, validator=rules, **options)
                    else:
                        await db.create_collection(collection, validator=rules, **options)


                async def ensure(db: Any) -> None:
                    \"\"\"Every collection with its validator and indexes (existing ones are kept).\"\"\"
                    for collection, indexes in INDEXES.items():
                        await apply_validator(db, collection)
                        if indexes:
                            await db[collection].create_indexes(indexes)


                async def main() -> None:
                    from motor.motor_asyncio import AsyncIOMotorClient

                    from app.config import settings

                    client: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
                        settings.mongodb_url
                    )
                    try:
                        await ensure(client[settings.mongodb_database])
                    finally:
                        client.close()


                if __name__ == "__main__":
                    asyncio.run(main())
                """)
    }

    func pythonLiteral(_ json: OrderedJSON) -> String {
        switch json {
        case let .string(s): return PythonRenderer.quote(s)
        case let .number(n): return n
        case let .bool(b): return b ? "True" : "False"
        case .null: return "None"
        case let .array(items): return "[" + items.map(pythonLiteral).joined(separator: ", ") + "]"
        case let .object(pairs):
            return "{" + pairs.map { PythonRenderer.quote($0.key) + ": " + pythonLiteral($0.value) }.joined(separator: ", ") + "}"
        }
    }

    // MARK: Migrations

    func migrationFiles() -> [GeneratedFile] {
        var files = [
            MongoMigrationGenerator.runner(),
            GeneratedFile(
                path: MigrationLayout.mongo.revisionPath("__init__"),
                contents: "# \(generatedHeader)\n\"\"\"MongoDB migrations, applied in order by mongo/migrate.py.\"\"\"\n"),
        ]
        let empty = Schema(name: original.name, namingConvention: original.namingConvention, enums: [], tables: [])
        let plan = MigrationPlanner.plan(from: empty, to: original)
        files.append(
            GeneratedFile(
                path: MigrationLayout.mongo.initialRevision,
                contents: MongoMigrationGenerator(old: empty, new: original).render(
                    plan, name: "0001_initial", message: "Initial collections, validators and indexes.")))
        if let snapshot { files.append(GeneratedFile(path: MigrationLayout.mongo.snapshot, contents: snapshot)) }
        return files
    }

    // MARK: Project files

    func projectFiles() -> [GeneratedFile] {
        let routes = views.map { "- `/api/v1\($0.routePrefix)/`: \($0.entity) (collection `\(collections.collectionName($0.table))`)" }.joined(
            separator: "\n")
        let warningList = warnings.isEmpty ? "None." : warnings.map { "- \($0)" }.joined(separator: "\n")
        return [
            ProjectFilesGenerator(schema: original, database: .mongodb).pyproject(),
            GeneratedFile(
                path: "README.md",
                contents: """
                    # \(schema.name)

                    A FastAPI backend generated by schemaforge from the `\(schema.name)` schema, for MongoDB
                    (ODMantic models; the schema's rules are also enforced by MongoDB itself through
                    `$jsonSchema` collection validators).

                    ```sh
                    python3 -m venv .venv && . .venv/bin/activate
                    pip install -e ".[dev]"
                    python -m mongo.indexes              # collections, validators, indexes (idempotent)
                    uvicorn app.main:app --reload        # MONGODB_URL defaults to \(TargetDatabase.mongodb.defaultURL)
                    TEST_MONGODB_URL=mongodb://127.0.0.1:27017 pytest   # a database per test; skipped without it
                    ruff check . && ruff format --check . && mypy app mongo tests
                    ```

                    Settings come from the environment or `.env`: \(AppSetting.mongodb(database: databaseName).map { "`\($0.environmentName)`" }.joined(separator: ", ")).

                    ## Resources

                    \(routes)

                    Keys are ObjectIds (24 hex digits). Lists take `sort` (`-field` descending), `limit`, the
                    `next_cursor` of the previous page as `cursor` (`app/pages.py`), `offset`, `count=true` for
                    the total, and filters `?field=` and `?field__<op>=` with
                    `ne lt lte gt gte in is_null contains icontains startswith` (see `app/filters.py`);
                    a filter named like a page parameter of either backend (`limit`, `offset`, `sort`, `cursor`,
                    `count`, `q`) is `<name>_eq`; unknown parameters are a 422.
                    Errors: 400 for a cursor the list did not issue, 404 for an unknown key or reference, 409
                    on a duplicate key or a delete that a `restrict` rule forbids, 413 for a body over
                    `MAX_BODY_BYTES`, 422 for an invalid body.

                    ## Layout

                    - `app/models/`: ODMantic models with their field constraints and indexes
                    - `app/schemas/`: Pydantic v2 request and response schemas
                    - `app/crud/`, `app/routers/`: persistence helpers (on_delete rules in `app/crud/deletes.py`) and routes
                    - `mongo/validators/`: one `$jsonSchema` per collection; `mongo/indexes.py` applies them
                    - `mongo/migrations/`, `mongo/migrate.py`: migrations (`python -m mongo.migrate upgrade`)
                    - `tests/`: HTTP tests of every resource (on the server of `TEST_MONGODB_URL`)

                    \(UserCodeGenerator.readmeSection(.odmantic))
                    ## Not enforced by MongoDB

                    \(warningList)

                    """),
            GeneratedFile(path: ".gitignore", contents: "__pycache__/\n*.py[cod]\n.venv/\n.env\n.mypy_cache/\n.ruff_cache/\n.pytest_cache/\n"),
            GeneratedFile(
                path: ".env.example",
                contents: """
                    # Copy to .env and adjust. Every setting can also be an environment variable.
                    \(AppSetting.mongodb(database: databaseName).map { "\($0.environmentName)=\($0.example)" }.joined(separator: "\n"))

                    """),
        ]
    }
}
