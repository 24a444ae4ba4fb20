import CodeRendering
import Foundation
import SchemaModel

/// `app/config.py`, `app/db.py`, `app/errors.py`, `app/crud/`, `app/routers/` and `app/main.py`.
struct FastAPIAppGenerator {
    let schema: Schema
    let database: TargetDatabase
    let types: SQLAlchemyTypeMapping
    let views: [EntityView]
    /// Which defaults are Python literals (the rest the database fills in).
    let pydantic: PydanticSchemasGenerator

    init(schema: Schema, database: TargetDatabase) {
        self.schema = schema
        self.database = database
        self.types = SQLAlchemyTypeMapping(schema: schema)
        self.pydantic = PydanticSchemasGenerator(schema: schema, database: database)
        self.views = schema.entityTables.filter { $0.primaryKey != nil }.map { EntityView(schema: schema, table: $0) }
    }

    func generate() -> [GeneratedFile] { jobs().flatMap { $0() } }

    /// The fixed modules, then one job per entity (its CRUD module and its router).
    func jobs() -> [FileJob] {
        var jobs: [FileJob] = [
            {
                [config(), main(), routersPackage(), crudPackage(), params(), constraints()]
                    + ["app/db.py", "app/errors.py", "app/pages.py", "app/health.py", "app/filters.py"].map { FixedModules.file($0) }
                    + ["app/problems.py", "app/fields.py", "app/etags.py", "app/limits.py"].map {
                        FixedModules.file($0, target: FixedModules.fastapi)
                    }
            }
        ]
        for view in views {
            jobs.append { [crud(view), router(view)] }
        }
        let userCode = UserCodeGenerator(views: views)
        jobs.append { userCode.generate() }
        if let auth = AuthGenerator(schema: schema) { jobs.append { auth.generate() } }
        if schema.hasEncryptedColumns { jobs.append { [FixedModules.file("app/encryption.py"), reencrypt()] } }
        if schema.tables.contains(where: { $0.search != nil }) { jobs.append { [FixedModules.file("app/search.py")] } }
        return jobs
    }

    private func render(_ m: PythonModule) -> String { PythonRenderer().render(m) }

    private func file(_ path: String, docstring: String, imports: (inout PythonImports) -> Void, body: String) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: docstring)
        imports(&m.imports)
        m.body = [.raw(body)]
        return GeneratedFile(path: path, contents: render(m))
    }

    // MARK: Fixed modules

    func config() -> GeneratedFile {
        let security = SecuritySettings(schema: schema)
        return file(
            "app/config.py", docstring: "Settings, from the environment or a .env file.",
            imports: {
                $0.from("pydantic_settings", import: "BaseSettings", "SettingsConfigDict")
                if security != nil { $0.from("pydantic", import: "model_validator") }
            },
            body: Self.settings(
                preamble: security?.preamble,
                fields: AppSetting.database(url: database.defaultURL).flatMap(\.fieldLines).map { "    " + $0 }.joined(separator: "\n")
                    + (security.map { "\n" + $0.fields } ?? "")))
    }

    /// The body of `app/config.py`: a `Settings` class with these field lines (indented by 4).
    static func settings(preamble: String? = nil, fields: String) -> String {
        (preamble.map { $0 + "\n\n\n" } ?? "") + """
            class Settings(BaseSettings):
                \"\"\"Application settings; each can be set by an environment variable of the same name.\"\"\"

                model_config = SettingsConfigDict(
                    env_file=".env", env_ignore_empty=True, extra="ignore"
                )

            \(fields)


            settings = Settings()
            """
    }

    /// `NotFoundError` of `app/errors.py` (both targets).
    func main() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "The FastAPI application: `uvicorn app.main:app`.")
        m.imports.from("collections.abc", import: "AsyncIterator")
        m.imports.from("contextlib", import: "asynccontextmanager")
        m.imports.from("fastapi", import: "FastAPI")
        m.imports.from("fastapi.routing", import: "APIRoute")
        m.imports.from("app.config", import: "settings")
        m.imports.from("app.db", import: "engine", "read_engine")
        m.imports.from("app.errors", import: "register_exception_handlers")
        m.imports.from("app.limits", import: "BodyLimitMiddleware")
        m.imports.from("app.routers", import: "api_router")
        m.imports.from("app", import: "custom", "health")
        m.imports.from("app.db", import: "ReadYourWritesMiddleware")
        var middleware = """
            app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
            if settings.database_read_url:
                app.add_middleware(
                    ReadYourWritesMiddleware, seconds=settings.read_your_writes_seconds
                )
            """
        if schema.auth != nil {
            m.imports.from("fastapi.middleware.cors", import: "CORSMiddleware")
            middleware += """

                app.add_middleware(
                    CORSMiddleware,
                    allow_origins=settings.cors_origins,
                    allow_methods=["*"],
                    allow_headers=["*"],
                )
                """
        }
        m.body = [
            .raw(
                """
                @asynccontextmanager
                async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
                    yield
                    await engine.dispose()
                    await read_engine.dispose()


                \(Self.operationId)


                app = FastAPI(
                    title=\(PythonRenderer.quote(schema.name)),
                    lifespan=lifespan,
                    generate_unique_id_function=operation_id,
                )
                \(middleware)
                app.include_router(health.router)
                # Your routes (app/custom.py is yours: generate never changes it), first: a route of
                # yours such as /products/report wins over the generated /products/{product_id}.
                app.include_router(custom.router, prefix="/api/v1")
                app.include_router(api_router, prefix="/api/v1")
                register_exception_handlers(app)
                """)
        ]
        return GeneratedFile(path: "app/main.py", contents: render(m))
    }

    /// `operation_id` of `app/main.py` (both backends): FastAPI's `generate_unique_id_function`.
    static let operationId = """
        def operation_id(route: APIRoute) -> str:
            \"\"\"Short, stable operation ids: `<tag>-<function>` (`posts-create_post`).\"\"\"
            return f"{route.tags[0]}-{route.name}" if route.tags else route.name
        """

    /// `app/main.py`: the app with this lifespan, the API router under `/api/v1`, the error handlers,
    /// then `setup` (statements on `app`: probes, middleware).
    static func mainModule(title: String, imports: (inout PythonImports) -> Void, lifespan: String, setup: String) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "The FastAPI application: `uvicorn app.main:app`.")
        m.imports.from("collections.abc", import: "AsyncIterator")
        m.imports.from("contextlib", import: "asynccontextmanager")
        m.imports.from("fastapi", import: "FastAPI")
        m.imports.from("fastapi.routing", import: "APIRoute")
        m.imports.from("app.errors", import: "register_exception_handlers")
        m.imports.from("app.routers", import: "api_router")
        m.imports.from("app", import: "custom")
        imports(&m.imports)
        m.body = [
            .raw(
                """
                \(lifespan)


                \(operationId)


                app = FastAPI(
                    title=\(PythonRenderer.quote(title)),
                    lifespan=lifespan,
                    generate_unique_id_function=operation_id,
                )
                # Your routes (app/custom.py is yours: generate never changes it), first: a route of
                # yours such as /products/report wins over the generated /products/{product_id}.
                app.include_router(custom.router, prefix="/api/v1")
                app.include_router(api_router, prefix="/api/v1")
                register_exception_handlers(app)
                \(setup)
                """)
        ]
        return GeneratedFile(path: "app/main.py", contents: PythonRenderer().render(m))
    }

    /// `app/reencrypt.py`: `python -m app.reencrypt` rewrites every encrypted value under the newest key.
    func reencrypt() -> GeneratedFile {
        var m = PythonModule(
            header: generatedHeader, docstring: "Rewrites every encrypted value under the newest key: `python -m app.reencrypt`.")
        m.imports.module("asyncio")
        m.imports.from("typing", import: "Any")
        m.imports.module("sqlalchemy as sa")
        m.imports.from("sqlalchemy.orm.attributes", import: "flag_modified")
        m.imports.from("app.db", import: "SessionFactory", "engine")
        var entries: [String] = []
        for view in views {
            let attributes = view.table.columns.filter { $0.encrypted == true }.map { PythonRenderer.quote(view.attribute($0)) }
            guard !attributes.isEmpty else { continue }
            Self.importModel(view.entity, into: &m.imports)
            entries.append("    (\(Self.modelName(view.entity)), (\(attributes.joined(separator: ", "))\(attributes.count == 1 ? "," : ""))),")
        }
        m.body = [
            .raw(
                """
                # Each model with encrypted attributes.
                ENCRYPTED: list[tuple[type[Any], tuple[str, ...]]] = [
                \(entries.joined(separator: "\n"))
                ]


                async def reencrypt(batch: int = 500) -> int:
                    \"\"\"Rewrites the rows in batches (one transaction each); the number of rows.\"\"\"
                    count = 0
                    for model, attributes in ENCRYPTED:
                        order = sa.inspect(model).primary_key
                        offset = 0
                        while True:
                            async with SessionFactory() as session, session.begin():
                                statement = sa.select(model).order_by(*order)
                                page = statement.offset(offset).limit(batch)
                                rows = (await session.scalars(page)).all()
                                for row in rows:
                                    for attribute in attributes:
                                        flag_modified(row, attribute)  # written again: newest key
                            count += len(rows)
                            offset += batch
                            if len(rows) < batch:
                                break
                    await engine.dispose()
                    return count


                if __name__ == "__main__":
                    print(f"{asyncio.run(reencrypt())} rows re-encrypted")
                """)
        ]
        return GeneratedFile(path: "app/reencrypt.py", contents: render(m))
    }

    /// Integer path and query parameters limited to their column type's range (a 422, not a database error).
    static let integerParameterTypes: [(ColumnType, String)] = [(.smallint, "SmallInt"), (.int, "Int"), (.bigint, "BigInt")]

    static func parameterType(_ type: ColumnType, path: Bool, imports: inout PythonImports, fallback: String) -> String {
        guard let name = integerParameterTypes.first(where: { $0.0 == type })?.1 else { return fallback }
        imports.from("app.params", import: name + (path ? "Path" : "Query"))
        return name + (path ? "Path" : "Query")
    }

    func params() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Integer path and query parameters: plain digits, within their column's range.")
        m.imports.from("typing", import: "Annotated")
        m.imports.from("fastapi", import: "Path", "Query")
        m.imports.from("pydantic", import: "BeforeValidator")
        m.imports.from("app", import: "fields")
        var lines: [String] = ["DIGITS = BeforeValidator(fields.query_integers)"]
        for (type, name) in Self.integerParameterTypes {
            guard let (lo, hi) = PydanticSchemasGenerator.integerRange(type) else { continue }
            lines.append("\(name)Path = Annotated[int, Path(ge=\(lo), le=\(hi)), DIGITS]")
            lines.append("\(name)Query = Annotated[int | None, Query(ge=\(lo), le=\(hi)), DIGITS]")
        }
        m.body = [.raw(lines.joined(separator: "\n"))]
        return GeneratedFile(path: "app/params.py", contents: render(m))
    }

    /// `app/constraints.py`: every constraint by the name the database reports (the convention's,
    /// shortened as the dialect does), with the API fields it covers; and each column's field, for
    /// the databases that report columns (SQLite, NOT NULL on MySQL). `app/errors.py` reads it.
    func constraints() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "The schema's constraints, as the database names them, and the fields they cover.")
        m.imports.from("typing", import: "NamedTuple")
        let dialect = Dialect(rawValue: database.rawValue)
        func dbName(_ name: String) -> String { Identifiers.shorten(name, limit: dialect?.maxIdentifierLength) }
        var entries: [(String, String, [String])] = []
        var columns: [(String, String)] = []
        for table in schema.tables where !table.isJoinTable {
            func fields(_ names: [String]) -> [String] { names.map { table.column(named: $0)?.field ?? $0 } }
            if let pk = table.primaryKey { entries.append((dbName(pk.name), "unique", fields(pk.columns))) }
            for unique in table.uniques { entries.append((dbName(unique.name), "unique", fields(unique.columns))) }
            for index in table.indexes where index.unique { entries.append((dbName(index.name), "unique", fields(index.columns))) }
            for fk in table.foreignKeys { entries.append((dbName(fk.name), "foreign_key", fields(fk.columns))) }
            for check in table.checks {
                // The columns the expression names (its identifiers that are columns of the table).
                let words = Set(Self.identifiers(in: check.expression(for: dialect ?? .sqlite)))
                entries.append((dbName(check.name), "check", fields(table.columns.map(\.name).filter(words.contains))))
            }
            for column in table.columns where column.field != column.name { columns.append((column.name, column.field)) }
        }
        var seen: Set<String> = []
        let constraint = PythonClass(
            name: "Constraint", bases: [.name("NamedTuple")], docstring: "What a constraint enforces, and on which fields of the API.",
            body: [
                .assign(target: "rule", annotation: .name("str"), value: nil),
                .assign(target: "fields", annotation: .subscripted(.name("tuple"), [.name("str"), .raw("...")]), value: nil),
            ])
        let constraints: [(key: PythonExpr, value: PythonExpr)] = entries.filter { seen.insert($0.0).inserted }.map { name, rule, fields in
            (.string(name), .name("Constraint").call(.positional(.string(rule)), .positional(.tuple(fields.map(PythonExpr.string)))))
        }
        var seenColumns: Set<String> = []
        let renamed: [(key: PythonExpr, value: PythonExpr)] = columns.filter { seenColumns.insert($0.0).inserted }.map {
            (.string($0.0), .string($0.1))
        }
        m.body = [
            .class(constraint),
            .assign(target: "CONSTRAINTS", annotation: .subscripted(.name("dict"), [.name("str"), .name("Constraint")]), value: .dict(constraints)),
            .comment("Columns whose API field has another name."),
            .assign(target: "COLUMNS", annotation: .subscripted(.name("dict"), [.name("str"), .name("str")]), value: .dict(renamed)),
        ]
        return GeneratedFile(path: "app/constraints.py", contents: render(m))
    }

    /// The identifier-like words of a SQL expression (quotes removed), in order.
    static func identifiers(in expression: String) -> [String] {
        var words: [String] = []
        var current = ""
        for c in expression.unicodeScalars {
            if c.properties.isAlphabetic || c == "_" || (c.properties.numericType != nil && !current.isEmpty) {
                current.unicodeScalars.append(c)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    func routersPackage() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Every resource router under one APIRouter.")
        m.imports.from("fastapi", import: "APIRouter")
        var body: [PythonStatement] = [.assign(target: "api_router", annotation: nil, value: .name("APIRouter").call())]
        if schema.auth != nil {
            m.imports.from("app.routers", import: "auth")
            body.append(.expression(.name("api_router").dot("include_router").call(.positional(.name("auth").dot("router")))))
        }
        for view in views {
            m.imports.from("app.routers", import: view.module)
            body.append(.expression(.name("api_router").dot("include_router").call(.positional(.name(view.module).dot("router")))))
        }
        m.body = body
        return GeneratedFile(path: "app/routers/__init__.py", contents: render(m))
    }

    func crudPackage() -> GeneratedFile {
        GeneratedFile(path: "app/crud/__init__.py", contents: "# \(generatedHeader)\n\"\"\"Persistence helpers, one module per entity.\"\"\"\n")
    }

    // MARK: Per entity

    /// Names the router and CRUD modules import (and the parameter types of `app/params.py`, which
    /// they import as needed): a model class must not be one of them (`PythonNames.entityClass`).
    static let importedNames: Set<String> = Set(
        [
            "APIRouter", "HTTPException", "Query", "Response", "Request", "ColumnElement", "InstrumentedAttribute",
            "LoaderOption", "Annotated", "Any", "SessionDep", "ReadSessionDep", "AsyncSession", "Sequence", "NotFoundError", "Session",
            "problem_responses", "quote", "pages", "etags", "filters",
            // With `search:`: the entity's search, from app/models/search.py.
            "SEARCH",
            // The MongoDB target's routers and CRUD modules.
            "AIOEngine", "ObjectId", "ObjectIdPath", "OBJECT_ID_PATTERN", "EngineDep", "DuplicateKeyError",
            "ConflictError", "object_id", "to_api", "to_document", "GENERATED", "REFERENCES", "MODELS", "deletes",
            // With `auth:`: the CRUD of its user hashes passwords.
            "hash_password",
        ] + integerParameterTypes.flatMap { [$0.1 + "Path", $0.1 + "Query"] }
    ).union(AuthGenerator.routerNames)

    static func modelName(_ entity: String) -> String { PythonNames.entityClass(entity) }

    static func importModel(_ entity: String, into imports: inout PythonImports) {
        imports.from("app.models.\(PythonNames.module(forEntity: entity))", import: PythonNames.entityClass(entity))
    }

    /// Parameters and locals of the route and CRUD functions, and the module-level names their bodies
    /// use: a key parameter must not shadow any of them.
    static let functionScopeNames: Set<String> = [
        "session", "body", "query", "request", "response", "load", "lock", "data", "name", "value", "other", "exists",
        "statement", "result", "url", "conditions", "column", "order", "stmt", "rows", "total", "found", "missing",
        "select", "func", "delete", "insert", "cast", "selectinload", "quote", "HTTPException", "Response", "Request", "Query",
        "APIRouter", "SessionDep", "ReadSessionDep", "IntegrityError", "MissingReferenceError", "ReferenceCycleError", "CursorResult", "Any",
        "SORTABLE", "LOAD",
        "REFRESH", "SERVER_DEFAULTS", "NULLABLE_DEFAULTS", "URL_SAFE", "FILTERS", "router", "sa", "str", "int", "bool", "list", "set", "sorted",
        "getattr", "setattr", "type", "limit", "offset", "sort", "key", "hooks", "link", "pages", "keyset",
        "etags", "if_match", "if_none_match", "location", "filters", "operator", "relevance",
        // With `auth:`.
        "grant", "hash_password", "Depends", "Grant", "READ", "CREATE", "UPDATE", "DELETE",
        // The MongoDB target's list.
        "engine", "selection", "collection", "direction", "page", "doc", "row", "document", "documents", "EngineDep", "deletes",
        "to_api", "object_id", "ObjectIdPath", "AIOEngine",
    ]

    /// Names used by the CRUD and router code of one entity.
    struct Names {
        let view: EntityView
        var entity: String { view.entity }
        /// The local variable holding one object.
        let variable: String
        /// Path parameter names for the key columns.
        let keyParameters: [String]
        let keyPath: String
        /// The identity passed to `session.get`.
        let identity: String

        init(view: EntityView) {
            self.view = view
            let snake = Identifiers.snakeCase(view.entity)
            // Route and CRUD functions take `session`, `body`, `query`, `request` and `response`, and
            // their bodies call the names the router and CRUD modules import: the variable and the key
            // parameters are allocated around them (and each other).
            var taken = FastAPIAppGenerator.functionScopeNames.union(PythonNames.builtins).union(PythonNames.keywords)
            var variable = PythonNames.attribute(snake)
            if taken.contains(variable) { variable += "_obj" }
            while taken.contains(variable) { variable += "_" }
            taken.insert(variable)
            self.variable = variable
            let keyParameters = view.keyColumns.map { column in
                let attribute = view.attribute(column)
                var name = attribute == "id" ? "\(snake)_id" : attribute
                if taken.contains(name) { name = "\(snake)_\(attribute)" }
                while taken.contains(name) { name += "_" }
                taken.insert(name)
                return name
            }
            self.keyParameters = keyParameters
            keyPath = keyParameters.map { "{\($0)}" }.joined(separator: "/")
            identity = keyParameters.count == 1 ? keyParameters[0] : "(" + keyParameters.joined(separator: ", ") + ")"
        }
    }

    func crud(_ view: EntityView) -> GeneratedFile {
        let n = Names(view: view)
        var m = PythonModule(header: generatedHeader, docstring: "Persistence of \(view.entity).")
        m.imports.from("sqlalchemy.ext.asyncio", import: "AsyncSession")
        Self.importModel(view.entity, into: &m.imports)
        let model = Self.modelName(view.entity)
        m.imports.from("app.schemas.\(view.module)", import: "\(view.entity)Create", "\(view.entity)Update")
        m.imports.from("app.hooks", import: "\(view.module) as \(UserCodeGenerator.crudAlias)")
        let hooks = UserCodeGenerator.crudAlias
        let m2m = view.writableManyToMany
        let serverDefaults = view.writableColumns.filter { column in
            guard !column.nullable, let d = column.defaultValue else { return false }
            var scratch = PythonImports()
            return pydantic.pythonLiteral(d, type: column.type, imports: &scratch) == nil
        }.map { view.attribute($0) }
        let refresh = view.table.columns.map { view.attribute($0) } + view.loadedRelations.map { PythonNames.attribute($0.name, in: view.table) }
        var lines: [String] = []
        lines.append("# Columns the database fills in when the client leaves them out.")
        let defaultsTuple =
            serverDefaults.count == 1
            ? "(\(PythonRenderer.quote(serverDefaults[0])),)" : "(" + serverDefaults.map(PythonRenderer.quote).joined(separator: ", ") + ")"
        lines.append("SERVER_DEFAULTS: tuple[str, ...] = \(defaultsTuple)")
        // The ORM leaves a None out of the INSERT when the column has a default; a client's explicit
        // null for such a nullable column must still be stored as NULL.
        let nullableDefaults = view.writableColumns.filter { $0.nullable && $0.defaultValue != nil }.map { view.attribute($0) }
        if !nullableDefaults.isEmpty {
            let tuple =
                nullableDefaults.count == 1
                ? "(\(PythonRenderer.quote(nullableDefaults[0])),)" : "(" + nullableDefaults.map(PythonRenderer.quote).joined(separator: ", ") + ")"
            lines.append("# Nullable columns with a default: an explicit null is kept.")
            lines.append("NULLABLE_DEFAULTS: tuple[str, ...] = \(tuple)")
        }
        lines.append("# Attributes reloaded after a write (server defaults, on-update values, relations).")
        let refreshLine = "REFRESH: list[str] = [\(refresh.map(PythonRenderer.quote).joined(separator: ", "))]"
        if refreshLine.count <= 88 {
            lines.append(refreshLine)
        } else {
            lines.append("REFRESH: list[str] = [")
            for r in refresh { lines.append("    \(PythonRenderer.quote(r)),") }
            lines.append("]")
        }
        if !m2m.isEmpty {
            m.imports.from("collections.abc", import: "Sequence")
            m.imports.from("typing", import: "Any")
            m.imports.from("sqlalchemy", import: "select")
            m.imports.from("app.errors", import: "MissingReferenceError")
        }
        let excluded = m2m.map { PythonRenderer.quote(PythonNames.idsField($0.name)) }
        let excludeArg = excluded.isEmpty ? "" : ", exclude={\(excluded.joined(separator: ", "))}"
        var create: [String] = []
        create.append("    body = await \(hooks).before_create(session, body)")
        create.append("    data = body.model_dump(exclude_unset=True\(excludeArg))")
        if let password = view.passwordColumn {
            m.imports.from("app.security", import: "hash_password")
            create.append("    data[\(PythonRenderer.quote(view.attribute(password)))] = hash_password(data.pop(\"password\"))")
        }
        create.append("    for name in SERVER_DEFAULTS:")
        create.append("        if data.get(name) is None:")
        create.append("            data.pop(name, None)")
        let references = referenceChecks(view, imports: &m.imports)
        create += references
        if !nullableDefaults.isEmpty {
            m.imports.module("sqlalchemy as sa")
            create.append("    for name in NULLABLE_DEFAULTS:")
            create.append("        if name in data and data[name] is None:")
            create.append("            data[name] = sa.null()  # an explicit null, not the column default")
        }
        create.append("    \(n.variable) = \(model)(**data)")
        for relation in m2m {
            guard let key = view.targetKey(relation) else { continue }
            let target = Self.modelName(relation.targetEntity)
            Self.importModel(relation.targetEntity, into: &m.imports)
            // Loading the related objects must not flush the new object half-built.
            if !create.contains("    with session.no_autoflush:") { create.append("    with session.no_autoflush:") }
            create.append(
                "        \(n.variable).\(PythonNames.attribute(relation.name, in: view.table)) = await _load_all(session, \(target), \(target).\(attributeName(key, in: relation.targetTable)), body.\(PythonNames.idsField(relation.name)), \(PythonRenderer.quote(PythonNames.idsField(relation.name))))"
            )
        }
        create.append("    session.add(\(n.variable))")
        create.append("    await session.flush()")
        create.append("    await session.refresh(\(n.variable), attribute_names=REFRESH)")
        create.append("    await \(hooks).after_create(session, \(n.variable))")
        create.append("    return \(n.variable)")
        var update: [String] = []
        update.append("    body = await \(hooks).before_update(session, \(n.variable), body)")
        update.append("    data = body.model_dump(exclude_unset=True\(excludeArg))")
        if let password = view.passwordColumn {
            update.append("    if \"password\" in data:")
            update.append("        data[\(PythonRenderer.quote(view.attribute(password)))] = hash_password(data.pop(\"password\"))")
        }
        update += references
        let cycleChecks = selfReferenceChecks(view, variable: n.variable, model: model, imports: &m.imports)
        update += cycleChecks
        update.append("    for name, value in data.items():")
        update.append("        setattr(\(n.variable), name, value)")
        for relation in m2m {
            guard let key = view.targetKey(relation) else { continue }
            let target = Self.modelName(relation.targetEntity)
            let ids = PythonNames.idsField(relation.name)
            update.append("    if body.\(ids) is not None:")
            update.append(
                "        \(n.variable).\(PythonNames.attribute(relation.name, in: view.table)) = await _load_all(session, \(target), \(target).\(attributeName(key, in: relation.targetTable)), body.\(ids), \(PythonRenderer.quote(ids)))"
            )
        }
        update.append("    await session.flush()")
        update.append("    await session.refresh(\(n.variable), attribute_names=REFRESH)")
        update.append("    await \(hooks).after_update(session, \(n.variable))")
        update.append("    return \(n.variable)")
        let session = PythonParameter("session", .name("AsyncSession"))
        var statements: [PythonStatement] = [
            .raw(lines.joined(separator: "\n")),
            Self.asyncDef(
                "create_\(Identifiers.snakeCase(view.entity))", [session, .keywordOnly, PythonParameter("body", .name("\(view.entity)Create"))],
                returns: .name(model), docstring: "Insert a \(view.entity); constraint violations surface here as IntegrityError.", body: create),
            Self.asyncDef(
                "update_\(Identifiers.snakeCase(view.entity))",
                [session, .keywordOnly, PythonParameter(n.variable, .name(model)), PythonParameter("body", .name("\(view.entity)Update"))],
                returns: .name(model), docstring: "Apply the fields the client sent.", body: update),
        ]
        // Helpers, in their final layout.
        if !m2m.isEmpty { statements.append(.raw(Self.loadAllHelper)) }
        if !cycleChecks.isEmpty { statements.append(.raw(Self.refuseCycleHelper)) }
        if !references.isEmpty { statements.append(.raw(Self.requireHelper)) }
        m.body = statements + deleteAndLinks(view, names: n, model: model, imports: &m.imports)
        return GeneratedFile(path: "app/crud/\(view.module).py", contents: render(m))
    }

    /// `_load_all` of a CRUD module with many-to-many relations.
    static let loadAllHelper = """
        async def _load_all(
            session: AsyncSession,
            model: type[Any],
            key: Any,
            ids: Sequence[Any],
            field: str,
        ) -> list[Any]:
            \"\"\"The objects with these keys, or MissingReferenceError naming the missing ones.\"\"\"
            if not ids:
                return []
            found = list((await session.scalars(select(model).where(key.in_(ids)))).all())
            missing = set(ids) - {getattr(obj, key.key) for obj in found}
            if missing:
                raise MissingReferenceError(field, model.__name__, sorted(missing, key=str))
            return found
        """

    /// `_refuse_cycle` of a CRUD module with a self reference.
    static let refuseCycleHelper = """
        async def _refuse_cycle(
            session: AsyncSession, key: Any, parent: Any, own: Any, value: Any, field: str
        ) -> None:
            \"\"\"ReferenceCycleError when `value` is the row itself or one of its descendants.\"\"\"
            seen: set[Any] = set()
            while value is not None and value not in seen:
                if value == own:
                    raise ReferenceCycleError(field)
                seen.add(value)
                value = await session.scalar(select(parent).where(key == value))
        """

    /// `_require` of a CRUD module that checks references before a write.
    static let requireHelper = """
        async def _require(session: AsyncSession, key: Any, value: Any, field: str) -> None:
            \"\"\"MissingReferenceError unless a row has this key (None refers to nothing).\"\"\"
            if value is None:
                return
            if await session.scalar(select(key).where(key == value).limit(1)) is None:
                raise MissingReferenceError(field, key.class_.__name__, [value])
        """

    /// An `async def` of a generated module: the signature as structure (laid out as ruff does),
    /// the body from lines written at the body's indent (4 spaces).
    static func asyncDef(
        _ name: String, _ parameters: [PythonParameter], returns: PythonExpr, docstring: String? = nil, body: [String]
    )
        -> PythonStatement
    {
        let lines = body.flatMap { PythonRenderer.lines(of: $0) }.map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
        return .function(
            PythonFunction(
                name: name, parameters: parameters, returns: returns, body: [.raw(lines.joined(separator: "\n"))], isAsync: true,
                docstring: docstring))
    }

    /// Lines that check, before a write, that every single-column foreign key the body sets refers
    /// to a row: a missing one is a 409 naming the field on every database (the constraint stays
    /// the guard against a concurrent delete).
    func referenceChecks(_ view: EntityView, imports: inout PythonImports) -> [String] {
        var lines: [String] = []
        for fk in view.table.foreignKeys where fk.columns.count == 1 {
            guard let column = view.table.column(named: fk.columns[0]), let target = schema.table(named: fk.referencedTable),
                let entity = target.entity, let referenced = target.column(named: fk.referencedColumns[0]),
                view.writableColumns.contains(where: { $0.name == column.name })
            else { continue }
            let targetModel = Self.modelName(entity)
            if entity != view.entity { Self.importModel(entity, into: &imports) }
            let attribute = view.attribute(column)
            lines.append("    if \(PythonRenderer.quote(attribute)) in data:")
            lines.append(
                "        await _require(session, \(targetModel).\(PythonNames.attribute(referenced.field, in: target)), data[\(PythonRenderer.quote(attribute))], \(PythonRenderer.quote(column.field)))"
            )
        }
        if !lines.isEmpty {
            imports.from("typing", import: "Any")
            imports.from("sqlalchemy", import: "select")
            imports.from("app.errors", import: "MissingReferenceError")
        }
        return lines
    }

    /// Lines that refuse an update making a row its own ancestor through a single-column self
    /// reference (`parent`, `manager`): the new parent's ancestors are walked up to the root.
    func selfReferenceChecks(_ view: EntityView, variable: String, model: String, imports: inout PythonImports) -> [String] {
        var lines: [String] = []
        for fk in view.table.foreignKeys where fk.columns.count == 1 && fk.referencedTable == view.table.name {
            guard let column = view.table.column(named: fk.columns[0]), let referenced = view.table.column(named: fk.referencedColumns[0]),
                view.writableColumns.contains(where: { $0.name == column.name })
            else { continue }
            let attribute = view.attribute(column)
            let key = "\(model).\(view.attribute(referenced))"
            lines.append("    if \(PythonRenderer.quote(attribute)) in data:")
            lines.append(
                "        await _refuse_cycle(session, \(key), \(model).\(attribute), \(variable).\(view.attribute(referenced)), data[\(PythonRenderer.quote(attribute))], \(PythonRenderer.quote(column.field)))"
            )
        }
        if !lines.isEmpty {
            imports.from("typing", import: "Any")
            imports.from("sqlalchemy", import: "select")
            imports.from("app.errors", import: "ReferenceCycleError")
        }
        return lines
    }

    /// `delete_x` (one DELETE statement: the database applies every `on_delete`) and, per
    /// many-to-many relation, `add_y` / `remove_y` on the join table: idempotent, and safe when
    /// two requests link the same pair at once.
    func deleteAndLinks(_ view: EntityView, names n: Names, model: String, imports: inout PythonImports) -> [PythonStatement] {
        let snake = Identifiers.snakeCase(view.entity)
        imports.from("sqlalchemy", import: "delete")
        let session = PythonParameter("session", .name("AsyncSession"))
        let keyParams = zip(n.keyParameters, view.keyColumns).map { name, column in
            PythonParameter(name, .raw(PythonRenderer.flat(types.pythonType(column.type, imports: &imports))))
        }
        let keyMatch = zip(n.keyParameters, view.keyColumns).map { "\(view.attribute($1))=\($0)" }.joined(separator: ", ")
        var lines: [String] = []
        // The hooks see the row, locked until the commit (a concurrent delete waits, then finds none).
        lines.append("    \(n.variable) = await session.get(\(model), \(n.identity), with_for_update=True)")
        lines.append("    if \(n.variable) is None:")
        lines.append("        return False")
        lines.append("    await \(UserCodeGenerator.crudAlias).before_delete(session, \(n.variable))")
        lines.append("    await session.execute(delete(\(model)).filter_by(\(keyMatch)))")
        lines.append("    await \(UserCodeGenerator.crudAlias).after_delete(session, \(n.variable))")
        lines.append("    return True")
        var statements = [
            Self.asyncDef(
                "delete_\(snake)", [session] + keyParams, returns: .name("bool"), docstring: "Delete one \(view.entity); False when there is none.",
                body: lines)
        ]
        for relation in view.writableManyToMany {
            guard let targetKey = view.targetKey(relation), let joinName = relation.joinTable, let join = schema.table(named: joinName),
                let own = join.foreignKeys.first(where: { $0.name == relation.foreignKey }),
                let other = join.foreignKeys.first(where: { $0.name == relation.targetForeignKey }), other.columns.count == 1
            else { continue }
            imports.from("app.models.associations", import: joinName)
            imports.from("sqlalchemy", import: "insert", "select")
            imports.from("sqlalchemy.exc", import: "IntegrityError")
            let targetParam = Self.otherParameter(view: view, relation: relation, names: n, schema: schema)
            let target = PythonParameter(targetParam, .raw(PythonRenderer.flat(types.pythonType(targetKey.type, imports: &imports))))
            let suffix = Self.linkSuffix(relation)
            // Join-table columns by the key they hold (own key columns in order, then the target's).
            var pairs: [(String, String)] = []
            for (column, referenced) in zip(own.columns, own.referencedColumns) {
                guard let i = view.keyColumns.firstIndex(where: { $0.name == referenced }) else { continue }
                pairs.append((column, n.keyParameters[i]))
            }
            pairs.append((other.columns[0], targetParam))
            let values = pairs.map { "\(PythonRenderer.quote($0.0)): \($0.1)" }.joined(separator: ", ")
            let parameters = [session] + keyParams + [target]
            lines = []
            lines.append("    link = {\(values)}")
            lines.append("    exists = select(\(joinName)).filter_by(**link)")
            lines.append("    if (await session.execute(exists)).first() is not None:")
            lines.append("        return")
            lines.append("    try:")
            lines.append("        async with session.begin_nested():")
            lines.append("            await session.execute(insert(\(joinName)).values(link))")
            lines.append("    except IntegrityError:")
            lines.append("        # Another request linked them first; anything else is an error. A locking")
            lines.append("        # read sees the other commit where this transaction's snapshot (MySQL) does not.")
            lines.append("        if (await session.execute(exists.with_for_update(read=True))).first() is None:")
            lines.append("            raise")
            statements.append(
                Self.asyncDef(
                    "add_\(suffix)", parameters, returns: PythonExpr.none,
                    docstring: "Link a \(relation.targetEntity); linking twice (or concurrently) is not an error.", body: lines))
            statements.append(
                Self.asyncDef(
                    "remove_\(suffix)", parameters, returns: PythonExpr.none,
                    docstring: "Unlink a \(relation.targetEntity); unlinking twice is not an error.",
                    body: ["    link = {\(values)}", "    await session.execute(delete(\(joinName)).filter_by(**link))"]))
        }
        return statements
    }

    func attributeName(_ column: Column, in table: String) -> String { PythonNames.attribute(column.field, inTable: table, of: schema) }

    func router(_ view: EntityView) -> GeneratedFile {
        ResourceRouter(view: view, backend: SQLAlchemyRouter(app: self, view: view)).generate()
    }

    /// `tags` -> `tag`: the name part of the link routes and helpers of a many-to-many relation.
    /// `data=[XRead.model_validate(row) for row in rows[: query.limit]],` inside the list's return,
    /// laid out as ruff lays out a comprehension that does not fit: the element, then the `for`
    /// clause, each on its own line (and the call's argument on its own when even that is too long).
    static func pageData(readClass: String) -> [String] {
        let element = "\(readClass).model_validate(row)"
        let comprehension = "\(element) for row in rows[: query.limit]"
        let limit = PythonRenderer().lineLength
        if 8 + "data=[\(comprehension)],".count <= limit { return ["        data=[\(comprehension)],"] }
        if 12 + comprehension.count <= limit { return ["        data=[", "            \(comprehension)", "        ],"] }
        let elementLines =
            12 + element.count <= limit
            ? ["            \(element)"] : ["            \(readClass).model_validate(", "                row", "            )"]
        return ["        data=["] + elementLines + ["            for row in rows[: query.limit]", "        ],"]
    }

    static func linkSuffix(_ relation: Relation) -> String {
        PythonNames.idsField(relation.name).replacingOccurrences(of: "_ids", with: "")
    }

    /// The path parameter naming the other side of a many-to-many link.
    static func otherParameter(view: EntityView, relation: Relation, names: Names, schema: Schema) -> String {
        guard let targetTable = schema.table(named: relation.targetTable) else { return "other_id" }
        let targetParam = Names(view: EntityView(schema: schema, table: targetTable)).keyParameters[0]
        return names.keyParameters.contains(targetParam) ? "other_" + targetParam : targetParam
    }

    /// A comparison a list filter makes; `app/filters.py` implements each (by its raw value).
    enum FilterOperator: String {
        case eq, ne, lt, lte, gt, gte
        case isIn = "in"
        case isNull = "is_null"
        case contains, icontains, startswith

        /// The operators a column's type takes: equality for all, order for numbers and instants,
        /// substrings for text, `in` where values are enumerable, `is_null` when it may be NULL.
        static func of(_ column: Column) -> [FilterOperator] {
            var operators: [FilterOperator]
            switch column.type {
            case _ where MongoShape.isObjectId(column): operators = [.eq, .ne, .isIn]  // a reference: no order, no text
            case .bool: operators = [.eq, .ne]
            case .string, .text: operators = [.eq, .ne, .isIn, .contains, .icontains, .startswith]
            case .uuid, .enumeration: operators = [.eq, .ne, .isIn]
            default: operators = [.eq, .ne, .lt, .lte, .gt, .gte, .isIn]
            }
            if column.nullable { operators.append(.isNull) }
            return operators
        }
    }

    /// A list filter: the column, the comparison, its query parameter's name (the API's: the field's
    /// for `eq`, `<field>__<operator>` for the others) and its Python attribute.
    struct Filter {
        let column: Column
        let operation: FilterOperator
        let parameter: String
        let attribute: String
    }

    /// Query parameters of every list route, before the filters.
    static let pageParameters = ["limit", "offset", "sort", "cursor", "count", "q"]

    /// The filters of an entity's list, every operator of every filter column. A parameter keeps its
    /// name unless a page parameter (`limit`, `offset`, `sort`, ...) or an earlier filter has it: then
    /// `<name>_eq` (`_eq2`, ...).
    static func filters(_ view: EntityView) -> [Filter] {
        var takenParameters = Set(pageParameters)
        var takenAttributes = Set(pageParameters)
        return view.filterColumns.flatMap { column in
            FilterOperator.of(column).map { operation in
                let wanted = operation == .eq ? column.field : "\(column.field)__\(operation.rawValue)"
                var parameter = wanted
                var n = 1
                while takenParameters.contains(parameter) {
                    parameter = wanted + (n == 1 ? "_eq" : "_eq\(n)")
                    n += 1
                }
                takenParameters.insert(parameter)
                var attribute = PythonNames.attribute(parameter)
                while takenAttributes.contains(attribute) { attribute += "_" }
                takenAttributes.insert(attribute)
                return Filter(column: column, operation: operation, parameter: parameter, attribute: attribute)
            }
        }
    }
}
