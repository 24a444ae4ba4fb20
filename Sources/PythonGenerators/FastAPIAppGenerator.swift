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
        self.pydantic = PydanticSchemasGenerator(schema: schema)
        self.views = schema.tables.filter { !$0.isJoinTable && $0.primaryKey != nil }.map { EntityView(schema: schema, table: $0) }
    }

    func generate() -> [GeneratedFile] { jobs().flatMap { $0() } }

    /// The fixed modules, then one job per entity (its CRUD module and its router).
    func jobs() -> [FileJob] {
        var jobs: [FileJob] = [{ [config(), db(), errors(), main(), routersPackage(), crudPackage(), params()] }]
        for view in views {
            jobs.append { [crud(view), router(view)] }
        }
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
        file("app/config.py", docstring: "Settings, from the environment or a .env file.", imports: {
            $0.from("pydantic_settings", import: "BaseSettings", "SettingsConfigDict")
        }, body: Self.settings(fields: """
                database_url: str = \(PythonRenderer.quote(database.defaultURL))
                pool_size: int = 5
                max_overflow: int = 10
                echo: bool = False
            """))
    }

    /// The body of `app/config.py`: a `Settings` class with these field lines (indented by 4).
    static func settings(fields: String) -> String {
        """
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
    static let notFoundError = """
        class NotFoundError(Exception):
            \"\"\"A referenced object does not exist (404).\"\"\"

            def __init__(self, entity: str, key: object) -> None:
                super().__init__(f"{entity} not found: {key}")
                self.entity = entity
                self.key = key
        """

    static let notFoundHandler = """
        async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
            return JSONResponse(status_code=404, content={"detail": str(exc)})
        """

    func db() -> GeneratedFile {
        file("app/db.py", docstring: "The async engine, the session factory and the request session dependency.", imports: {
            $0.from("collections.abc", import: "AsyncIterator")
            $0.from("typing", import: "Annotated", "Any")
            $0.from("fastapi", import: "Depends")
            $0.from("sqlalchemy", import: "event")
            $0.from("sqlalchemy.ext.asyncio", import: "AsyncEngine", "AsyncSession", "async_sessionmaker", "create_async_engine")
            $0.from("app.config", import: "settings")
        }, body: """
            def make_engine(url: str, *, echo: bool = False) -> AsyncEngine:
                \"\"\"An async engine with pool settings that fit the database.\"\"\"
                if url.startswith("sqlite"):
                    # One file, one writer: no pool sizing; foreign keys on for every connection.
                    engine = create_async_engine(url, echo=echo)

                    @event.listens_for(engine.sync_engine, "connect")
                    def _enable_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
                        cursor = dbapi_connection.cursor()
                        cursor.execute("PRAGMA foreign_keys=ON")
                        cursor.close()

                    return engine
                return create_async_engine(
                    url,
                    echo=echo,
                    pool_size=settings.pool_size,
                    max_overflow=settings.max_overflow,
                    pool_pre_ping=True,
                    pool_recycle=1800,
                )


            engine = make_engine(settings.database_url, echo=settings.echo)
            SessionFactory = async_sessionmaker(engine, expire_on_commit=False)


            async def get_session() -> AsyncIterator[AsyncSession]:
                \"\"\"One session per request: commit on success, roll back on any error.\"\"\"
                async with SessionFactory() as session:
                    try:
                        yield session
                        await session.commit()
                    except Exception:
                        await session.rollback()
                        raise


            SessionDep = Annotated[AsyncSession, Depends(get_session)]
            """)
    }

    func errors() -> GeneratedFile {
        file("app/errors.py", docstring: "Errors the API maps to HTTP responses.", imports: {
            $0.from("fastapi", import: "FastAPI", "Request")
            $0.from("fastapi.responses", import: "JSONResponse")
            $0.from("sqlalchemy.exc", import: "IntegrityError")
        }, body: """
            \(Self.notFoundError)


            async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
                # Unique, foreign-key, NOT NULL and CHECK violations, as the database reports them.
                original = getattr(exc, "orig", exc)
                message = str(original).splitlines()[0] if str(original) else "conflict"
                return JSONResponse(status_code=409, content={"detail": message})


            \(Self.notFoundHandler)


            def register_exception_handlers(app: FastAPI) -> None:
                \"\"\"Map database integrity errors to 409 and missing references to 404.\"\"\"
                app.add_exception_handler(IntegrityError, _integrity_error)
                app.add_exception_handler(NotFoundError, _not_found)
            """)
    }

    func main() -> GeneratedFile {
        Self.mainModule(title: schema.name, imports: { $0.from("app.db", import: "engine") }, lifespan: """
            @asynccontextmanager
            async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
                yield
                await engine.dispose()
            """)
    }

    /// `app/main.py`: the app with this lifespan, the API router under `/api/v1`, the error handlers.
    static func mainModule(title: String, imports: (inout PythonImports) -> Void, lifespan: String) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "The FastAPI application: `uvicorn app.main:app`.")
        m.imports.from("collections.abc", import: "AsyncIterator")
        m.imports.from("contextlib", import: "asynccontextmanager")
        m.imports.from("fastapi", import: "FastAPI")
        m.imports.from("app.errors", import: "register_exception_handlers")
        m.imports.from("app.routers", import: "api_router")
        imports(&m.imports)
        m.body = [.raw("""
            \(lifespan)


            app = FastAPI(title=\(PythonRenderer.quote(title)), lifespan=lifespan)
            app.include_router(api_router, prefix="/api/v1")
            register_exception_handlers(app)
            """)]
        return GeneratedFile(path: "app/main.py", contents: PythonRenderer().render(m))
    }

    /// Integer path and query parameters limited to their column type's range (a 422, not a database error).
    static let integerParameterTypes: [(ColumnType, String)] = [(.smallint, "SmallInt"), (.int, "Int"), (.bigint, "BigInt")]

    static func parameterType(_ type: ColumnType, path: Bool, imports: inout PythonImports, fallback: String) -> String {
        guard let name = integerParameterTypes.first(where: { $0.0 == type })?.1 else { return fallback }
        imports.from("app.params", import: name + (path ? "Path" : "Query"))
        return name + (path ? "Path" : "Query")
    }

    func params() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Integer path and query parameters within their column's range.")
        m.imports.from("typing", import: "Annotated")
        m.imports.from("fastapi", import: "Path", "Query")
        var lines: [String] = []
        for (type, name) in Self.integerParameterTypes {
            guard let (lo, hi) = PydanticSchemasGenerator.integerRange(type) else { continue }
            lines.append("\(name)Path = Annotated[int, Path(ge=\(lo), le=\(hi))]")
            lines.append("\(name)Query = Annotated[int | None, Query(ge=\(lo), le=\(hi))]")
        }
        m.body = [.raw(lines.joined(separator: "\n"))]
        return GeneratedFile(path: "app/params.py", contents: render(m))
    }

    func routersPackage() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Every resource router under one APIRouter.")
        m.imports.from("fastapi", import: "APIRouter")
        var body: [PythonStatement] = [.assign(target: "api_router", annotation: nil, value: .name("APIRouter").call())]
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

    /// Names the router and CRUD modules import; a model class with one of them is imported under
    /// an alias (`Response as ResponseModel`).
    static let importedNames: Set<String> = [
        "APIRouter", "HTTPException", "Query", "Response", "ColumnElement", "InstrumentedAttribute", "LoaderOption",
        "Annotated", "Any", "SessionDep", "AsyncSession", "Sequence", "NotFoundError", "Session",
    ]

    static func modelName(_ entity: String) -> String { importedNames.contains(entity) ? entity + "Model" : entity }

    static func importModel(_ entity: String, into imports: inout PythonImports) {
        let module = "app.models.\(PythonNames.module(forEntity: entity))"
        let local = modelName(entity)
        imports.from(module, import: local == entity ? entity : "\(entity) as \(local)")
    }

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
            let v = PythonNames.attribute(snake)
            variable = ["session", "body", "data", "limit", "offset", "sort", "stmt", "rows", "total", "key"].contains(v) ? v + "_obj" : v
            let keyParameters = view.keyColumns.map { column in
                let attribute = view.attribute(column)
                return attribute == "id" ? "\(snake)_id" : attribute
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
        let m2m = view.writableManyToMany
        let serverDefaults = view.writableColumns.filter { column in
            guard !column.nullable, let d = column.defaultValue else { return false }
            var scratch = PythonImports()
            return pydantic.pythonLiteral(d, type: column.type, imports: &scratch) == nil
        }.map { view.attribute($0) }
        let refresh = view.table.columns.map { view.attribute($0) } + view.loadedRelations.map { PythonNames.attribute($0.name) }
        var lines: [String] = []
        lines.append("# Columns the database fills in when the client leaves them out.")
        let defaultsTuple = serverDefaults.count == 1 ? "(\(PythonRenderer.quote(serverDefaults[0])),)" : "(" + serverDefaults.map(PythonRenderer.quote).joined(separator: ", ") + ")"
        lines.append("SERVER_DEFAULTS: tuple[str, ...] = \(defaultsTuple)")
        // The ORM leaves a None out of the INSERT when the column has a default; a client's explicit
        // null for such a nullable column must still be stored as NULL.
        let nullableDefaults = view.writableColumns.filter { $0.nullable && $0.defaultValue != nil }.map { view.attribute($0) }
        if !nullableDefaults.isEmpty {
            let tuple = nullableDefaults.count == 1 ? "(\(PythonRenderer.quote(nullableDefaults[0])),)" : "(" + nullableDefaults.map(PythonRenderer.quote).joined(separator: ", ") + ")"
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
            m.imports.from("app.errors", import: "NotFoundError")
        }
        let excluded = m2m.map { PythonRenderer.quote(PythonNames.idsField($0.name)) }
        let excludeArg = excluded.isEmpty ? "" : ", exclude={\(excluded.joined(separator: ", "))}"
        var create: [String] = []
        create.append("async def create_\(Identifiers.snakeCase(view.entity))(session: AsyncSession, *, body: \(view.entity)Create) -> \(model):")
        create.append("    \"\"\"Insert a \(view.entity); constraint violations surface here as IntegrityError.\"\"\"")
        create.append("    data = body.model_dump(exclude_unset=True\(excludeArg))")
        create.append("    for name in SERVER_DEFAULTS:")
        create.append("        if data.get(name) is None:")
        create.append("            data.pop(name, None)")
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
            create.append("        \(n.variable).\(PythonNames.attribute(relation.name)) = await _load_all(session, \(target), \(target).\(attributeName(key, in: relation.targetTable)), body.\(PythonNames.idsField(relation.name)))")
        }
        create.append("    session.add(\(n.variable))")
        create.append("    await session.flush()")
        create.append("    await session.refresh(\(n.variable), attribute_names=REFRESH)")
        create.append("    return \(n.variable)")
        var update: [String] = []
        update.append("async def update_\(Identifiers.snakeCase(view.entity))(session: AsyncSession, *, \(n.variable): \(model), body: \(view.entity)Update) -> \(model):")
        update.append("    \"\"\"Apply the fields the client sent.\"\"\"")
        update.append("    data = body.model_dump(exclude_unset=True\(excludeArg))")
        update.append("    for name, value in data.items():")
        update.append("        setattr(\(n.variable), name, value)")
        for relation in m2m {
            guard let key = view.targetKey(relation) else { continue }
            let target = Self.modelName(relation.targetEntity)
            let ids = PythonNames.idsField(relation.name)
            update.append("    if body.\(ids) is not None:")
            update.append("        \(n.variable).\(PythonNames.attribute(relation.name)) = await _load_all(session, \(target), \(target).\(attributeName(key, in: relation.targetTable)), body.\(ids))")
        }
        update.append("    await session.flush()")
        update.append("    await session.refresh(\(n.variable), attribute_names=REFRESH)")
        update.append("    return \(n.variable)")
        var body = lines.joined(separator: "\n") + "\n\n\n" + create.joined(separator: "\n") + "\n\n\n" + update.joined(separator: "\n")
        if !m2m.isEmpty {
            body += """



                async def _load_all(
                    session: AsyncSession, model: type[Any], key: Any, ids: Sequence[Any]
                ) -> list[Any]:
                    \"\"\"The objects with these keys, or NotFoundError naming the missing ones.\"\"\"
                    if not ids:
                        return []
                    found = list((await session.scalars(select(model).where(key.in_(ids)))).all())
                    missing = set(ids) - {getattr(obj, key.key) for obj in found}
                    if missing:
                        raise NotFoundError(model.__name__, sorted(missing, key=str))
                    return found
                """
        }
        m.body = [.verbatim(reflowLong(lines: PythonRenderer.lines(of: body), wrapping: true))]
        return GeneratedFile(path: "app/crud/\(view.module).py", contents: render(m))
    }

    func attributeName(_ column: Column, in table: String) -> String { PythonNames.attribute(column.field) }

    func router(_ view: EntityView) -> GeneratedFile {
        let n = Names(view: view)
        let e = view.entity
        let snake = Identifiers.snakeCase(e)
        var m = PythonModule(header: generatedHeader, docstring: "HTTP routes of \(e): \(view.routePrefix).")
        m.imports.from("typing", import: "Annotated", "Any")
        m.imports.from("fastapi", import: "APIRouter", "HTTPException", "Query", "Response")
        m.imports.from("sqlalchemy", import: "ColumnElement", "func", "select")
        m.imports.from("sqlalchemy.orm", import: "InstrumentedAttribute")
        m.imports.from("app.crud", import: "\(view.module) as \(view.module)_crud")
        m.imports.from("app.db", import: "SessionDep")
        Self.importModel(e, into: &m.imports)
        let model = Self.modelName(e)
        m.imports.from("app.schemas.\(view.module)", import: "\(e)Create", "\(e)List", "\(e)Read", "\(e)Update")
        let crudModule = view.module + "_crud"
        var out: [String] = []
        out.append("router = APIRouter(prefix=\(PythonRenderer.quote(view.routePrefix)), tags=[\(PythonRenderer.quote(view.tag))])")
        out.append("")
        // Sorting
        let sortable = view.sortColumns
        out.append("SORTABLE: dict[str, InstrumentedAttribute[Any]] = {")
        for column in sortable { out.append("    \(PythonRenderer.quote(view.attribute(column))): \(model).\(view.attribute(column)),") }
        out.append("}")
        let sortPattern = "^-?(" + sortable.map { view.attribute($0) }.joined(separator: "|") + ")$"
        out.append("SORT_PATTERN = \(PythonRenderer.quote(sortPattern))")
        let defaultSort = view.attribute(view.keyColumns[0])
        var loads: [String] = []
        if !view.loadedRelations.isEmpty {
            m.imports.from("sqlalchemy.orm", import: "selectinload")
            loads = view.loadedRelations.map { "selectinload(\(model).\(PythonNames.attribute($0.name)))" }
        }
        out.append("# Relations every response includes, loaded up front (no lazy loads in async code).")
        m.imports.from("sqlalchemy.orm.interfaces", import: "LoaderOption")
        out.append("LOAD: list[LoaderOption] = [\(loads.joined(separator: ", "))]")
        out.append("")
        out.append("")
        // list
        var params = ["    session: SessionDep,",
                      "    limit: Annotated[int, Query(ge=1, le=200)] = 50,",
                      "    offset: Annotated[int, Query(ge=0)] = 0,",
                      "    sort: Annotated[str, Query(pattern=SORT_PATTERN)] = \(PythonRenderer.quote(defaultSort)),"]
        var conditions: [String] = []
        for column in view.filterColumns {
            let attribute = view.attribute(column)
            let type = PythonRenderer.flat(types.pythonType(column.type, imports: &m.imports))
            let queryType = Self.parameterType(column.type, path: false, imports: &m.imports, fallback: "\(type) | None")
            params.append("    \(attribute): \(queryType) = None,")
            conditions.append("    if \(attribute) is not None:")
            conditions.append("        conditions.append(\(model).\(attribute) == \(attribute))")
        }
        out.append("@router.get(\"/\", response_model=\(e)List)")
        out.append("async def list_\(PythonNames.plural(snake))(")
        out += params
        out.append(") -> \(e)List:")
        out.append("    \"\"\"A page of \(e), filtered by indexed fields and sorted (`-field` descending).\"\"\"")
        out.append("    conditions: list[ColumnElement[bool]] = []")
        out += conditions
        out.append("    total = await session.scalar(")
        out.append("        select(func.count()).select_from(\(model)).where(*conditions)")
        out.append("    )")
        out.append("    column = SORTABLE[sort.removeprefix(\"-\")]")
        out.append("    order = column.desc() if sort.startswith(\"-\") else column.asc()")
        let keyOrder = view.keyColumns.map { "\(model).\(view.attribute($0))" }.joined(separator: ", ")
        out.append("    stmt = (")
        out.append("        select(\(model))")
        out.append("        .where(*conditions)")
        out.append("        .order_by(order, \(keyOrder))")
        out.append("        .offset(offset)")
        out.append("        .limit(limit)")
        out.append("        .options(*LOAD)")
        out.append("    )")
        out.append("    rows = (await session.scalars(stmt)).all()")
        out.append("    return \(e)List(")
        out.append("        data=[\(e)Read.model_validate(row) for row in rows], count=total or 0")
        out.append("    )")
        out.append("")
        out.append("")
        // get helper
        let helperParams = zip(n.keyParameters, view.keyColumns).map { name, column in
            "\(name): \(PythonRenderer.flat(types.pythonType(column.type, imports: &m.imports)))"
        }
        let keyParams = zip(n.keyParameters, view.keyColumns).map { name, column in
            "\(name): \(Self.parameterType(column.type, path: true, imports: &m.imports, fallback: PythonRenderer.flat(types.pythonType(column.type, imports: &m.imports))))"
        }
        out.append("async def _get_or_404(session: SessionDep, \(helperParams.joined(separator: ", ")), *, load: bool = True) -> \(model):")
        out.append("    \(n.variable) = await session.get(")
        out.append("        \(model), \(n.identity), options=LOAD if load else []")
        out.append("    )")
        out.append("    if \(n.variable) is None:")
        out.append("        raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(e) not found")))")
        out.append("    return \(n.variable)")
        out.append("")
        out.append("")
        let keyArgs = n.keyParameters.joined(separator: ", ")
        out.append("@router.get(\"/\(n.keyPath)\", response_model=\(e)Read)")
        out.append("async def get_\(snake)(\(keyParams.joined(separator: ", ")), session: SessionDep) -> \(e)Read:")
        out.append("    return \(e)Read.model_validate(await _get_or_404(session, \(keyArgs)))")
        out.append("")
        out.append("")
        out.append("@router.post(\"/\", response_model=\(e)Read, status_code=201)")
        out.append("async def create_\(snake)(body: \(e)Create, session: SessionDep) -> \(e)Read:")
        out.append("    \(n.variable) = await \(crudModule).create_\(snake)(session, body=body)")
        out.append("    return \(e)Read.model_validate(\(n.variable))")
        out.append("")
        out.append("")
        out.append("@router.patch(\"/\(n.keyPath)\", response_model=\(e)Read)")
        out.append("async def update_\(snake)(")
        out.append("    \(keyParams.joined(separator: ", ")), body: \(e)Update, session: SessionDep")
        out.append(") -> \(e)Read:")
        out.append("    \(n.variable) = await _get_or_404(session, \(keyArgs))")
        out.append("    \(n.variable) = await \(crudModule).update_\(snake)(session, \(n.variable)=\(n.variable), body=body)")
        out.append("    return \(e)Read.model_validate(\(n.variable))")
        out.append("")
        out.append("")
        out.append("@router.delete(\"/\(n.keyPath)\", status_code=204)")
        out.append("async def delete_\(snake)(\(keyParams.joined(separator: ", ")), session: SessionDep) -> Response:")
        out.append("    \(n.variable) = await _get_or_404(session, \(keyArgs), load=False)")
        out.append("    await session.delete(\(n.variable))")
        out.append("    await session.flush()")
        out.append("    return Response(status_code=204)")
        for relation in view.writableManyToMany {
            guard let targetKey = view.targetKey(relation) else { continue }
            let target = Self.modelName(relation.targetEntity)
            let targetView = EntityView(schema: schema, table: schema.table(named: relation.targetTable)!)
            let targetParam = Names(view: targetView).keyParameters[0]
            let otherParam = targetParam == n.keyParameters.first ? "other_" + targetParam : targetParam
            let targetType = Self.parameterType(targetKey.type, path: true, imports: &m.imports, fallback: PythonRenderer.flat(types.pythonType(targetKey.type, imports: &m.imports)))
            Self.importModel(relation.targetEntity, into: &m.imports)
            let attr = PythonNames.attribute(relation.name)
            let segment = relation.name.replacingOccurrences(of: "_", with: "-")
            for (verb, action) in [("post", "add"), ("delete", "remove")] {
                out.append("")
                out.append("")
                out.append("@router.\(verb)(\"/\(n.keyPath)/\(segment)/{\(otherParam)}\", status_code=204)")
                out.append("async def \(action)_\(snake)_\(PythonNames.idsField(relation.name).replacingOccurrences(of: "_ids", with: ""))(")
                out.append("    \(keyParams.joined(separator: ", ")), \(otherParam): \(targetType), session: SessionDep")
                out.append(") -> Response:")
                out.append("    \(n.variable) = await _get_or_404(session, \(keyArgs))")
                out.append("    other = await session.get(\(target), \(otherParam))")
                out.append("    if other is None:")
                out.append("        raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(relation.targetEntity) not found")))")
                if action == "add" {
                    out.append("    if other not in \(n.variable).\(attr):")
                    out.append("        \(n.variable).\(attr).append(other)")
                } else {
                    out.append("    if other in \(n.variable).\(attr):")
                    out.append("        \(n.variable).\(attr).remove(other)")
                }
                out.append("    await session.flush()")
                out.append("    return Response(status_code=204)")
            }
        }
        // Lines with a newline inside are split first, as the text would be.
        let lines = out.contains(where: PythonRenderer.containsNewline) ? PythonRenderer.lines(of: out.joined(separator: "\n")) : out.map { Substring($0) }
        m.body = [.verbatim(reflowLong(lines: lines, wrapping: true))]
        return GeneratedFile(path: "app/routers/\(view.module).py", contents: render(m))
    }

    /// Joins three-line calls (`f(` / arguments / `)`) that fit on one line, and splits
    /// `def f(a, b) -> X:` lines longer than 88 characters, the way ruff format does: one pass,
    /// into one string.
    func reflowLong(_ text: String) -> String { reflowLong(lines: PythonRenderer.lines(of: text)) }

    /// `reflowLong` on lines (none of which contains a newline). With `wrapping`, every line still
    /// longer than the limit is split by `PythonRenderer.wrap` too: the text is then final, as a
    /// `.raw` statement at the top level would have rendered it (`.verbatim`).
    func reflowLong(lines: [Substring], wrapping: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        var first = true
        let renderer = PythonRenderer()
        func emit<S: StringProtocol>(_ line: S) {
            if !first { out += "\n" }
            first = false
            guard wrapping, line.utf8.count > renderer.lineLength else { return out += line }
            for (i, part) in renderer.wrap(String(line)).enumerated() {
                if i > 0 { out += "\n" }
                out += part
            }
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.utf8.last == UInt8(ascii: "("), i + 2 < lines.count, lines[i + 2].drop(while: { $0 == " " }).hasPrefix(")") {
                let inner = PythonRenderer.trimmedLine(String(lines[i + 1]))
                let closing = PythonRenderer.trimmedLine(String(lines[i + 2]))
                let joined = line + inner + closing
                if joined.utf8.count <= 88 || joined.count <= 88, !inner.hasSuffix(",") {
                    emit(joined)
                    i += 3
                    continue
                }
            }
            i += 1
            guard line.utf8.count > 88, line.utf8.last == UInt8(ascii: ":"), line.count > 88, let open = line.firstIndex(of: "("), line.contains("def "),
                  let close = line.range(of: ") ->", options: .backwards)
            else {
                emit(line)
                continue
            }
            let indent = String(line.prefix { $0 == " " })
            let params = String(line[line.index(after: open)..<close.lowerBound])
            let tail = indent + line[close.lowerBound...]
            let hugged = indent + "    " + params
            emit(line[...open])
            if hugged.count <= 88 {
                emit(hugged)
            } else {
                for p in PythonRenderer.splitTopLevel(params) { emit(indent + "    " + p + ",") }
            }
            emit(tail)
        }
        return out
    }
}
