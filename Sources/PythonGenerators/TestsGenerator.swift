import CodeRendering
import SchemaModel

/// `tests/`: a conftest with an HTTP client on a fresh database, factories that create valid
/// objects through the API (parents first), and per entity a CRUD round trip, a 404, a 422 and
/// the behaviour of its constraints, filters, sorts, pages and relations. One generator for both
/// persistence backends: the tests speak HTTP only; the backend decides the conftest and which
/// promises the API makes (`PersistenceBackend`).
struct TestsGenerator {
    let schema: Schema
    let backend: PersistenceBackend
    let samples: SampleValues
    let views: [EntityView]

    /// For MongoDB, `schema` is the reshaped one (`MongoShape`), as its other generators take it.
    init(schema: Schema, backend: PersistenceBackend = .sqlalchemy) {
        self.schema = schema
        self.backend = backend
        self.samples = SampleValues(schema: schema)
        self.views = schema.entityTables.filter { $0.primaryKey != nil }.map { EntityView(schema: schema, table: $0) }
    }

    func generate() -> [GeneratedFile] { jobs().flatMap { $0() } }

    /// The fixtures and factories, then one job per entity the tests can create.
    func jobs() -> [FileJob] {
        let creatable = creatableEntities()
        var jobs: [FileJob] = [
            {
                [GeneratedFile(path: "tests/__init__.py", contents: "# \(generatedHeader)\n"), conftest(), factories(creatable)]
            }
        ]
        for view in views {
            // A resource the API cannot create keeps a test module: its test says why it is skipped.
            jobs.append { [creatable.contains(view.entity) ? entityTests(view, creatable: creatable) : skippedTests(view)] }
        }
        return jobs
    }

    private func render(_ m: PythonModule) -> String { PythonRenderer().render(m) }

    /// Entities the API can create: every required foreign key leads to a creatable entity (a
    /// required self reference or a cycle of required references cannot be satisfied).
    func creatableEntities() -> Set<String> {
        var result: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for view in views where !result.contains(view.entity) {
                let ok = view.table.foreignKeys.allSatisfy { fk in
                    let required = fk.columns.contains { view.table.column(named: $0)?.nullable == false }
                    guard required else { return true }
                    guard let target = schema.table(named: fk.referencedTable)?.entity else { return false }
                    return target != view.entity && result.contains(target)
                }
                let valuesKnown = view.writableColumns.allSatisfy { column in
                    if !column.nullable, let fields = embeddedRequiredFields(column) {
                        return fields.allSatisfy { samples.value(for: $0) != nil }
                    }
                    return column.relation != nil || column.nullable || column.defaultValue != nil || samples.value(for: column) != nil
                }
                if ok, valuesKnown {
                    result.insert(view.entity)
                    changed = true
                }
            }
        }
        return result
    }

    /// The fields a factory must fill in a document embedded in `column` (MongoDB's `embed: true`);
    /// nil when the column embeds nothing.
    func embeddedRequiredFields(_ column: Column) -> [Column]? {
        guard let entity = MongoShape.embeddedEntity(column), let table = schema.table(forEntity: entity) else { return nil }
        return EntityView(schema: schema, table: table).writableColumns.filter { !$0.nullable && $0.defaultValue == nil && $0.relation == nil }
    }

    func conftest() -> GeneratedFile {
        backend == .odmantic ? mongoConftest() : sqlConftest()
    }

    /// A client on a database made for each test on the server of `TEST_MONGODB_URL` (the tests
    /// skip, saying so, without one).
    func mongoConftest() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Test fixtures: an HTTP client on a fresh MongoDB database (TEST_MONGODB_URL).")
        m.imports.module("os")
        m.imports.module("uuid")
        m.imports.from("collections.abc", import: "AsyncIterator")
        m.imports.module("httpx")
        m.imports.module("pytest")
        m.imports.from("app.db", import: "get_engine", "make_engine")
        m.imports.from("app.main", import: "app")
        m.imports.from("app.models", import: "MODELS")
        m.imports.firstParty.insert("mongo")
        m.imports.from("mongo.indexes", import: "ensure")
        m.body = [
            .raw(
                """
                TEST_URL = os.environ.get("TEST_MONGODB_URL")


                @pytest.fixture
                def anyio_backend() -> str:
                    return "asyncio"


                @pytest.fixture
                async def client() -> AsyncIterator[httpx.AsyncClient]:
                    \"\"\"A client for the app on a database made for the test and dropped after it.\"\"\"
                    if not TEST_URL:
                        pytest.skip("TEST_MONGODB_URL is not set: these tests need a MongoDB server")
                    database = f"test_{uuid.uuid4().hex[:12]}"
                    engine = make_engine(TEST_URL, database)
                    await ensure(engine.database)
                    await engine.configure_database(MODELS)
                    app.dependency_overrides[get_engine] = lambda: engine
                    transport = httpx.ASGITransport(app=app)
                    try:
                        async with httpx.AsyncClient(
                            transport=transport, base_url="http://test"
                        ) as test_client:
                            yield test_client
                    finally:
                        app.dependency_overrides.clear()
                        await engine.client.drop_database(database)
                        engine.client.close()
                """)
        ]
        return GeneratedFile(path: "tests/conftest.py", contents: render(m))
    }

    /// A client on tables dropped and created anew for each test (`TEST_DATABASE_URL`, or SQLite).
    func sqlConftest() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Test fixtures: an HTTP client on a fresh database.")
        // With `auth:`, the resource tests act with every right; tests/test_auth.py checks the rules.
        let secured = schema.auth != nil
        let overrides =
            secured
            ? """

                # The resource tests act with every right (tests/test_auth.py checks the rules).
                app.dependency_overrides.update(dict.fromkeys(Rule.instances, Grant))
            """ : ""
        let clearing = secured ? "\n    app.dependency_overrides.clear()" : ""
        m.imports.module("os")
        m.imports.from("collections.abc", import: "AsyncIterator")
        m.imports.module("httpx")
        m.imports.module("pytest")
        m.body = [
            .raw(
                """
                # Tests never touch the database of DATABASE_URL: they use TEST_DATABASE_URL, or a SQLite file
                # (reads too: a replica in DATABASE_READ_URL is not the test database).
                os.environ["DATABASE_URL"] = os.environ.get(
                    "TEST_DATABASE_URL", "sqlite+aiosqlite:///./test.db"
                )
                os.environ["DATABASE_READ_URL"] = os.environ["DATABASE_URL"]


                @pytest.fixture
                def anyio_backend() -> str:
                    return "asyncio"


                @pytest.fixture
                async def client() -> AsyncIterator[httpx.AsyncClient]:
                    \"\"\"A client for the app, on tables dropped and created anew for each test.\"\"\"
                    from sqlalchemy.ext.asyncio import create_async_engine

                    \(secured ? "from app.auth import Grant, Rule\n    " : "")from app.config import settings
                    from app.db import engine
                    from app.main import app
                    from app.models import Base

                    # A plain engine for the set-up: the app's begins every SQLite transaction.
                    setup = create_async_engine(settings.database_url)
                    async with setup.connect() as connection:
                        if connection.dialect.name == "sqlite":
                            # Tables in a foreign-key cycle cannot be dropped one by one with
                            # enforcement on; new connections turn it back on (app.db).
                            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                        await connection.run_sync(Base.metadata.drop_all)
                        await connection.run_sync(Base.metadata.create_all)
                        await connection.commit()
                    await setup.dispose()
                    await engine.dispose()
                    transport = httpx.ASGITransport(app=app)\(overrides)
                    async with httpx.AsyncClient(
                        transport=transport, base_url="http://test"
                    ) as test_client:
                        yield test_client
                    await engine.dispose()\(clearing)
                """)
        ]
        return GeneratedFile(path: "tests/conftest.py", contents: render(m))
    }

    func factories(_ creatable: Set<String>) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Create valid objects through the API, parents first.")
        m.imports.module("itertools")
        m.imports.from("typing", import: "Any")
        m.imports.module("httpx")
        if creatable.isEmpty {
            m.imports = PythonImports()
            m.body = [.comment("No entity of this schema can be created through the API alone.")]
            return GeneratedFile(path: "tests/factories.py", contents: render(m))
        }
        var statements: [PythonStatement] = [.raw("_counter = itertools.count(1)")]
        for view in views where creatable.contains(view.entity) {
            var lines: [String] = []
            let snake = Identifiers.snakeCase(view.entity)
            var payload: [String] = []
            var usesN = false
            var parents: [String] = []
            func sampled(_ column: Column, unique: Bool = false) -> String? {
                guard let sample = samples.value(for: column) else { return nil }
                // The same value for every object would conflict from the second on: an optional
                // unique field is then left to its default or null.
                if unique, !sample.varies, column.nullable || column.defaultValue != nil { return nil }
                if sample.usesCounter { usesN = true }
                if sample.usesUUID { m.imports.module("uuid") }
                return sample.expression
            }
            for column in view.writableColumns {
                if !column.nullable, let required = embeddedRequiredFields(column) {
                    // An embedded document (MongoDB): its required fields.
                    let fields = required.compactMap { field in sampled(field).map { "\(PythonRenderer.quote(field.field)): \($0)" } }
                    payload.append("        \(PythonRenderer.quote(column.field)): {\(fields.joined(separator: ", "))},")
                    continue
                }
                guard column.relation == nil else { continue }
                // Unique columns get a fresh value even when optional: the duplicate test sends one
                // object's value to another (NULLs never conflict).
                if (column.nullable || column.defaultValue != nil) && !isUniqueOrKey(column, in: view) { continue }
                guard let expression = sampled(column, unique: isUniqueOrKey(column, in: view)) else { continue }
                payload.append("        \(PythonRenderer.quote(column.field)): \(expression),")
            }
            for fk in view.table.foreignKeys {
                let required = fk.columns.contains { view.table.column(named: $0)?.nullable == false }
                if !required, fk.columns.contains(where: { view.table.column(named: $0)?.defaultValue != nil }) {
                    // Left out, a nullable key would take its default, which may point nowhere: send null.
                    for column in fk.columns {
                        let attr = view.table.column(named: column)?.field ?? column
                        parents.append("    payload[\(PythonRenderer.quote(attr))] = None")
                    }
                    continue
                }
                guard required, let targetTable = schema.table(named: fk.referencedTable), let target = targetTable.entity else { continue }
                let variable = "parent_\(parents.count + 1)"
                parents.append("    \(variable) = await create_\(Identifiers.snakeCase(target))(client)")
                for (column, referenced) in zip(fk.columns, fk.referencedColumns) {
                    let attr = view.table.column(named: column)?.field ?? column
                    let refAttr = targetTable.column(named: referenced)?.field ?? referenced
                    parents.append("    payload[\(PythonRenderer.quote(attr))] = \(variable)[\(PythonRenderer.quote(refAttr))]")
                }
            }
            if usesN { lines.append("    n = next(_counter)") }
            if payload.isEmpty {
                lines.append("    payload: dict[str, Any] = {}")
            } else {
                lines.append("    payload: dict[str, Any] = {")
                lines += payload
                lines.append("    }")
            }
            lines += parents
            lines.append("    response = await client.post(\(PythonRenderer.quote("/api/v1\(view.routePrefix)/")), json=payload)")
            lines.append("    assert response.status_code == 201, response.text")
            lines.append("    created: dict[str, Any] = response.json()")
            lines.append("    return created")
            statements.append(
                FastAPIAppGenerator.asyncDef(
                    "create_\(snake)", [PythonParameter("client", .dotted("httpx.AsyncClient"))],
                    returns: .subscripted(.name("dict"), [.name("str"), .name("Any")]),
                    docstring: "A new \(view.entity) with fresh values and new required parents.", body: lines))
        }
        m.body = statements
        return GeneratedFile(path: "tests/factories.py", contents: render(m))
    }

    /// Per resource: unknown fields refused, each unique conflict (409 naming the field), each
    /// filter and sort, many-to-many links added and removed, and what deleting a required parent
    /// does (`restrict`: 409; `cascade`: the child is gone).
    func behaviourTests(_ view: EntityView, creatable: Set<String>, imports: inout PythonImports) -> [PythonStatement] {
        let snake = Identifiers.snakeCase(view.entity)
        let base = "/api/v1\(view.routePrefix)"
        // Inside f-strings: single quotes (Python 3.10 and 3.11 allow no other).
        let keyPath: (String) -> String = { variable in view.keyColumns.map { "{\(variable)['\($0.field)']}" }.joined(separator: "/") }
        var out: [PythonStatement] = []
        func test(_ name: String, _ body: [String]) { out.append(Self.test(name, body)) }
        test(
            "unknown_field_is_422",
            [
                "created = await factories.create_\(snake)(client)",
                "url = f\"\(base)/\(keyPath("created"))\"",
                "response = await client.patch(url, json={\"no_such_field\": 1})",
                "assert response.status_code == 422",
                "assert response.headers[\"content-type\"] == \"application/problem+json\"",
                "assert (await client.get(url)).json() == created",
            ])
        let conditional = [
            "created = await factories.create_\(snake)(client)",
            "url = f\"\(base)/\(keyPath("created"))\"",
            "etag = (await client.get(url)).headers[\"etag\"]",
            "assert (await client.get(url, headers={\"If-None-Match\": etag})).status_code == 304",
        ]
        if !backend.checksIfMatch {
            test("conditional_reads", conditional)
        } else {
            test(
                "conditional_requests",
                conditional + [
                    "stale = {\"If-Match\": '\"stale\"'}",
                    "assert (await client.patch(url, json={}, headers=stale)).status_code == 412",
                    "assert (await client.delete(url, headers=stale)).status_code == 412",
                    "matched = await client.patch(url, json={}, headers={\"If-Match\": etag})",
                    "assert matched.status_code == 200, matched.text",
                    "current = (await client.get(url)).headers[\"etag\"]",
                    "assert (await client.delete(url, headers={\"If-Match\": current})).status_code == 204",
                ])
        }
        let keyNames = Set(view.keyColumns.map(\.name))
        for unique in view.table.uniques where unique.columns.count == 1 {
            guard let column = view.table.column(named: unique.columns[0]), !keyNames.contains(column.name), column.relation == nil,
                !column.sensitive, view.writableColumns.contains(where: { $0.name == column.name }), samples.value(for: column) != nil
            else { continue }
            let field = PythonRenderer.quote(column.field)
            test(
                "duplicate_\(column.name)_is_409",
                [
                    "first = await factories.create_\(snake)(client)",
                    "second = await factories.create_\(snake)(client)",
                    "url = f\"\(base)/\(keyPath("second"))\"",
                    "response = await client.patch(url, json={\(field): first[\(field)]})",
                    "assert response.status_code == 409, response.text",
                    backend.namesUniqueField
                        ? "assert response.json()[\"errors\"][0][\"loc\"] == [\"body\", \(field)]"
                        : "assert response.json()[\"errors\"][0][\"loc\"][0] == \"body\"",
                ])
        }
        let filters = FastAPIAppGenerator.filters(view).filter {
            $0.operation == .eq && !$0.column.sensitive && $0.column.type != .float && $0.column.type != .datetime
        }
        if !filters.isEmpty {
            var body = ["created = await factories.create_\(snake)(client)"]
            for filter in filters {
                let field = PythonRenderer.quote(filter.column.field)
                body.append("if (value := created[\(field)]) is not None:")
                body.append("    params = {\(PythonRenderer.quote(filter.parameter)): value}")
                body.append("    listed = await client.get(\"\(base)/\", params=params)")
                body.append("    assert listed.status_code == 200, listed.text")
                body.append("    assert created in listed.json()[\"data\"]")
            }
            test("filters_find_it", body)
        }
        if backend.servesSearch, let search = view.table.search, let first = search.columns.first.flatMap(view.table.column(named:)) {
            let field = PythonRenderer.quote(first.field)
            test(
                "search_finds_it",
                [
                    "created = await factories.create_\(snake)(client)",
                    "if (value := created[\(field)]) is not None:",
                    "    listed = await client.get(\"\(base)/\", params={\"q\": value})",
                    "    assert listed.status_code == 200, listed.text",
                    "    assert created in listed.json()[\"data\"]",
                ])
        }
        var sorts = [
            "for sort in SORTS:",
            "    listed = await client.get(\"\(base)/\", params={\"sort\": sort, \"count\": True})",
            "    assert listed.status_code == 200, listed.text", "    assert len(listed.json()[\"data\"]) == listed.json()[\"count\"] == 1",
        ]
        sorts.insert("await factories.create_\(snake)(client)", at: 0)
        test("sorts", sorts)
        test(
            "cursor_pages_walk_every_row_once",
            [
                "for _ in range(3):", "    await factories.create_\(snake)(client)", "for sort in SORTS:",
                "    everything = await client.get(\"\(base)/\", params={\"sort\": sort})",
                "    params: dict[str, str | int] = {\"sort\": sort, \"limit\": 2}", "    walked = []", "    while True:",
                "        page = await client.get(\"\(base)/\", params=params)", "        assert page.status_code == 200, page.text",
                "        walked += page.json()[\"data\"]", "        if (cursor := page.json()[\"next_cursor\"]) is None:", "            break",
                "        params[\"cursor\"] = cursor", "    assert walked == everything.json()[\"data\"], sort",
            ])
        for relation in view.writableManyToMany where creatable.contains(relation.targetEntity) {
            guard let targetTable = schema.table(named: relation.targetTable), let key = view.targetKey(relation) else { continue }
            let target = EntityView(schema: schema, table: targetTable)
            let segment = relation.name.replacingOccurrences(of: "_", with: "-")
            let keyField = PythonRenderer.quote(key.field)
            test(
                "links_\(relation.name)",
                [
                    "owner = await factories.create_\(snake)(client)",
                    "other = await factories.create_\(Identifiers.snakeCase(target.entity))(client)",
                    "url = f\"\(base)/\(keyPath("owner"))\"",
                    "link = f\"{url}/\(segment)/{other['\(key.field)']}\"",
                    "assert (await client.post(link)).status_code == 204",
                    "assert (await client.post(link)).status_code == 204  # idempotent",
                    "linked = (await client.get(url)).json()[\(PythonRenderer.quote(relation.name))]",
                    "assert other[\(keyField)] in [item[\(keyField)] for item in linked]",
                    "assert (await client.delete(link)).status_code == 204",
                    "assert (await client.get(url)).json()[\(PythonRenderer.quote(relation.name))] == []",
                ])
        }
        for fk in view.table.foreignKeys where fk.columns.count == 1 {
            guard let column = view.table.column(named: fk.columns[0]), !column.nullable,
                let parentTable = schema.table(named: fk.referencedTable), let parent = parentTable.entity, parent != view.entity,
                creatable.contains(parent), parentTable.primaryKey?.columns == fk.referencedColumns
            else { continue }
            let action = fk.onDelete ?? .noAction
            let parentBase = "/api/v1\(EntityView(schema: schema, table: parentTable).routePrefix)"
            let field = column.field
            let common = [
                "child = await factories.create_\(snake)(client)",
                "child_url = f\"\(base)/\(keyPath("child"))\"",
                "deleted = await client.delete(f\"\(parentBase)/{child['\(field)']}\")",
            ]
            switch action {
            case .cascade:
                test(
                    "goes_with_its_\(column.name)",
                    common + ["assert deleted.status_code == 204", "assert (await client.get(child_url)).status_code == 404"])
            case .restrict, .noAction:
                test(
                    "keeps_its_\(column.name)",
                    common + [
                        "assert deleted.status_code == 409, deleted.text", "assert (await client.get(child_url)).json() == child",
                    ])
            default:
                continue
            }
        }
        return out
    }

    /// `async def test_<name>(client: httpx.AsyncClient) -> None:` with these body lines.
    static func test(_ name: String, _ body: [String]) -> PythonStatement {
        .function(
            PythonFunction(
                name: "test_\(name)", parameters: [PythonParameter("client", .dotted("httpx.AsyncClient"))], returns: PythonExpr.none,
                body: [.raw(body.joined(separator: "\n"))], isAsync: true))
    }

    func isUniqueOrKey(_ column: Column, in view: EntityView) -> Bool {
        view.keyColumns.contains { $0.name == column.name } || view.table.uniques.contains { $0.columns.contains(column.name) }
    }

    func missingKeyValue(_ column: Column) -> String {
        if MongoShape.isObjectId(column) { return String(repeating: "0", count: 24) }
        switch column.type {
        case .smallint: return "32000"
        case .int, .bigint: return "2147483000"
        case .uuid: return "00000000-0000-4000-8000-000000000000"
        // A valid value of the key's type that no test row has: the path must parse to be a 404.
        case .date: return "1901-02-03"
        case .time: return "01:02:03"
        case .datetime: return "1901-02-03T04:05:06Z"
        case .decimal: return "0.5"
        case .float: return "0.5"
        case .bool: return "false"
        case let .string(length) where length < "missing-key".count: return String(repeating: "z", count: max(1, length))
        default: return "missing-key"
        }
    }

    /// The test module of a resource the API cannot create, with the reason as a visible skip.
    func skippedTests(_ view: EntityView) -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "HTTP tests of \(view.routePrefix).")
        m.imports.module("pytest")
        let reason =
            schema.uncreatableEntities.contains(view.entity)
            ? "\(view.entity) cannot be created through the API: its required relations form a cycle (see README.md)"
            : "\(view.entity) cannot be created through the API with generated values (a required field or parent has none)"
        m.body = [
            .raw(
                """
                @pytest.mark.skip(reason=\(PythonRenderer.quote(reason)))
                def test_round_trip() -> None:
                    \"\"\"Skipped, and counted as skipped: never left out silently.\"\"\"
                """)
        ]
        return GeneratedFile(path: "tests/test_\(view.module).py", contents: render(m))
    }

    func entityTests(_ view: EntityView, creatable: Set<String>) -> GeneratedFile {
        let snake = Identifiers.snakeCase(view.entity)
        var m = PythonModule(header: generatedHeader, docstring: "HTTP tests of \(view.routePrefix).")
        m.imports.module("httpx")
        m.imports.module("pytest")
        m.imports.from("tests", import: "factories")
        let base = "/api/v1\(view.routePrefix)"
        let keyPath = view.keyColumns.map { "{created['\($0.field)']}" }.joined(separator: "/")
        let sortNames = view.sortColumns.flatMap { [$0.field, "-" + $0.field] }
        // Module constants first: the sort orders `test_sorts` tries.
        var statements: [PythonStatement] = [
            .raw("pytestmark = pytest.mark.anyio\nSORTS = [\(sortNames.map(PythonRenderer.quote).joined(separator: ", "))]")
        ]
        var lines: [String] = []
        lines.append("created = await factories.create_\(snake)(client)")
        lines.append("url = f\"\(base)/\(keyPath)\"")
        lines.append("response = await client.get(url)")
        lines.append("assert response.status_code == 200")
        lines.append("assert response.json() == created")
        lines.append("listed = await client.get(\"\(base)/\", params={\"limit\": 5, \"count\": True})")
        lines.append("assert listed.status_code == 200")
        lines.append("assert listed.json()[\"count\"] >= 1")
        let keyNames = Set(view.keyColumns.map(\.name))
        if let column = view.writableColumns.first(where: {
            !keyNames.contains($0.name) && $0.relation == nil && !$0.sensitive && samples.changedValue(for: $0) != nil
        }) {
            let attr = PythonRenderer.quote(column.field)
            let value = samples.changedValue(for: column)!
            lines.append("patched = await client.patch(url, json={\(attr): \(value)})")
            lines.append("assert patched.status_code == 200, patched.text")
            lines.append("assert patched.json()[\(attr)] == \(value)")
        } else {
            lines.append("patched = await client.patch(url, json={})")
            lines.append("assert patched.status_code == 200, patched.text")
        }
        lines.append("deleted = await client.delete(url)")
        lines.append("assert deleted.status_code == 204")
        lines.append("assert (await client.get(url)).status_code == 404")
        statements.append(Self.test("round_trip", lines))
        let missing = view.keyColumns.map { missingKeyValue($0) }.joined(separator: "/")
        statements.append(
            Self.test("unknown_key_is_404", ["response = await client.get(\"\(base)/\(missing)\")", "assert response.status_code == 404"]))
        statements.append(
            Self.test(
                "invalid_body_is_422",
                ["response = await client.post(\"\(base)/\", json=[\"not\", \"an\", \"object\"])", "assert response.status_code == 422"]))
        statements += behaviourTests(view, creatable: creatable, imports: &m.imports)
        m.body = statements
        return GeneratedFile(path: "tests/test_\(view.module).py", contents: render(m))
    }
}
