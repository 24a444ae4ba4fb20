import SchemaforgeKit
import Testing

/// Snippets of the generated FastAPI app: what each construct of the schema becomes in the request
/// schemas, the routers and the project files (the integration suite runs the whole projects).
@Suite("Snippets: generated app")
struct GeneratedAppSnippetTests {
    static func file(_ yaml: String, _ path: String, database: TargetDatabase = .sqlite) throws -> String {
        let schema = try #require(resolve(yaml))
        return try #require(GeneratorPipeline.project(schema, database: database).first { $0.path == path }?.contents)
    }

    static let names = """
        entities:
          Entry:
            fields:
              limit: {type: int, index: true}
              limit_eq: {type: int, index: true}
              metadata: {type: string, index: true}
              price: {type: decimal, precision: 8, scale: 2, min: 0}
              delta: {type: decimal, precision: 6, scale: 0}
        """

    @Test("a filter named like a page parameter is <name>_eq, and the next free name after that")
    func filterNames() throws {
        let schemas = try Self.file(Self.names, "app/schemas/entry.py")
        #expect(schemas.contains("class EntryQuery(BaseModel):"))
        #expect(schemas.contains("limit: int = Field(default=50, ge=1, le=200)"))
        // The field `limit` filters as `limit_eq`; the field `limit_eq`, whose name is then taken, as `limit_eq_eq`.
        #expect(schemas.contains("    limit_eq: int | None = Field(default=None, ge=-2147483648, le=2147483647)\n    limit__ne: int | None"))
        #expect(schemas.contains("    limit_eq_eq: int | None = Field(default=None, ge=-2147483648, le=2147483647)\n    limit_eq__ne: int | None"))
        // `in` takes the parameter repeated, each value in the column type's range.
        #expect(
            schemas.contains(
                "    limit_eq__in: list[Annotated[int, Field(ge=-2147483648, le=2147483647)]] | None = (\n        Field(default=None, max_length=100)"
            ))
        #expect(schemas.contains("metadata_: fields.Text | None = Field(\n        default=None, alias=\"metadata\", max_length=255"))
        let router = try Self.file(Self.names, "app/routers/entry.py")
        #expect(router.contains("FILTERS: dict[str, tuple[InstrumentedAttribute[Any], str]] = {\n    \"limit_eq\": (Entry.limit, \"eq\"),"))
        #expect(router.contains("    \"limit_eq_eq\": (Entry.limit_eq, \"eq\"),\n    \"limit_eq__ne\": (Entry.limit_eq, \"ne\"),"))
        #expect(
            router.contains(
                "if (value := getattr(query, name)) is not None:\n            conditions.append(filters.condition(column, operator, value))"))
        #expect(router.contains("query: Annotated[EntryQuery, Query()]"))
    }

    @Test("a field whose Python name differs keeps its schema name in the API (aliases)")
    func aliases() throws {
        let schemas = try Self.file(Self.names, "app/schemas/entry.py")
        #expect(schemas.contains("    metadata_: fields.Text = Field(\n        validation_alias=\"metadata\","))
        #expect(schemas.contains("    metadata_: fields.Text | None = Field(\n        default=None,\n        validation_alias=\"metadata\","))
        #expect(schemas.contains("    metadata_: str = Field(serialization_alias=\"metadata\")"))
        let router = try Self.file(Self.names, "app/routers/entry.py")
        #expect(router.contains("\"metadata\": Entry.metadata_,"))
    }

    @Test("decimals are strings whose pattern holds their digits, signed only where negatives are valid")
    func decimals() throws {
        #expect(PydanticPatterns.decimal(precision: 8, scale: 2, signed: false) == #"^\+?(?:\d{1,6}(?:\.\d{0,2})?|\.\d{1,2})$"#)
        #expect(PydanticPatterns.decimal(precision: 6, scale: 0, signed: true) == #"^[+-]?\d{1,6}$"#)
        // A whole maximum is part of the pattern: 250 and 250.00 but not 250.5 or 251.
        #expect(
            PydanticPatterns.decimal(precision: 5, scale: 2, signed: false, maximum: 250)
                == #"^(?:\+?0*(?:250(?:\.0{0,2})?|(?:\d{1,2}|1\d{2}|2[0-4]\d{1})(?:\.\d{0,2})?|\.\d{1,2}))$"#)
        let schemas = try Self.file(Self.names, "app/schemas/entry.py")
        #expect(schemas.contains(#"pattern=r"^\+?(?:\d{1,6}(?:\.\d{0,2})?|\.\d{1,2})$", text=True"#))
        #expect(schemas.contains("def _decimals(cls, value: object) -> object:\n        return fields.decimal_text(value)"))
        #expect(schemas.contains("def _integers(cls, value: object) -> object:\n        return fields.integers(value)"))
    }

    @Test("request bodies refuse unknown keys; update fields of NOT NULL columns are not nullable in the schema")
    func strictBodies() throws {
        let schemas = try Self.file(Self.names, "app/schemas/entry.py")
        #expect(
            schemas.contains(
                "class EntryCreate(BaseModel):\n    \"\"\"Fields to create a Entry.\"\"\"\n\n    model_config = ConfigDict(extra=\"forbid\")"))
        #expect(schemas.contains("nullable=False"))
        #expect(schemas.contains("def _not_null(cls, value: object) -> object:"))
    }

    @Test("writes commit before the response: the session dependency has scope=\"function\"")
    func commitBeforeResponse() throws {
        let db = try Self.file(Self.names, "app/db.py")
        #expect(db.contains("SessionDep = Annotated[AsyncSession, Depends(get_session, scope=\"function\")]"))
        #expect(db.contains("await session.commit()"))
    }

    @Test(
        "every route declares its problem responses (412 for If-Match, 304 for If-None-Match); 201 carries Location",
        arguments: TargetDatabase.sqlCases)
    func routes(database: TargetDatabase) throws {
        let router = try Self.file(Self.names, "app/routers/entry.py", database: database)
        #expect(router.contains("responses=problem_responses(400, 409, 413, 422, 503)"))
        #expect(router.contains("responses=etags.NOT_MODIFIED | problem_responses(404, 422, 503)"))
        #expect(router.contains("responses=problem_responses(400, 404, 409, 412, 413, 422, 503)"))
        #expect(router.contains("location = {\"Location\": quote(url.path, safe=URL_SAFE)}"))
    }

    /// `@router.<verb>("<path>"` and the name of the function under it, for each route of a router.
    static func routes(_ router: String) -> [String] {
        let lines = router.split(separator: "\n").map(String.init)
        var routes: [String] = []
        for (i, line) in lines.enumerated() where line.hasPrefix("@router.") {
            let decorator = line.hasSuffix("(") ? line + lines[i + 1].trimmingCharacters(in: .whitespaces) : line
            let head = decorator.prefix { $0 != "," && $0 != ")" }
            guard let def = lines[(i + 1)...].first(where: { $0.hasPrefix("async def ") }) else { continue }
            routes.append(head + " " + def.dropFirst("async def ".count).prefix { $0 != "(" })
        }
        return routes
    }

    @Test("both persistence backends serve the same routes: verbs, paths and function names (operation ids)")
    func sameRoutesOnEveryBackend() throws {
        let schema = """
            entities:
              Tag:
                fields: {label: {type: string, length: 30, unique: true}}
              Post:
                fields:
                  title: string(100)
                  body: {type: text, nullable: true}
                relations:
                  tags: {to: Tag, kind: many_to_many}
            """
        for module in ["post", "tag"] {
            let sql = Self.routes(try Self.file(schema, "app/routers/\(module).py", database: .postgresql))
            let mongo = Self.routes(try Self.file(schema, "app/routers/\(module).py", database: .mongodb))
            #expect(sql.count == (module == "post" ? 7 : 5), "\(sql)")
            #expect(sql == mongo)
        }
        let post = try Self.file(schema, "app/routers/post.py", database: .mongodb)
        let link = "@router.post(\n    \"/{post_id}/tags/{tag_id}\",\n    status_code=204,\n    responses=problem_responses(404, 422, 503),\n)"
        #expect(post.contains(link))
        #expect(post.contains("async def delete_post(post_id: ObjectIdPath, engine: EngineDep) -> Response:"))
        // No If-Match where the check cannot be atomic with the write; a missing reference is a 404.
        #expect(!post.contains("if_match") && !post.contains("412"))
        #expect(post.contains("responses=problem_responses(400, 404, 409, 413, 422, 503)"))
        #expect(post.contains("from app.crud import deletes\nfrom app.crud import post as post_crud\n"))
    }

    @Test("a pattern no template fits gets the shortest text it matches; a pattern it cannot read leaves the entity uncreatable, said")
    func patternSamples() throws {
        let schema = """
            entities:
              City:
                fields:
                  name: {type: string, length: 40, pattern: '^[A-Z][a-z]+$'}
                  code: {type: string, length: 10, pattern: '^\\d{4}-[A-Z]{2}(?:x)?$'}
              Odd:
                fields:
                  word: {type: string, length: 10, pattern: '^(yes|no)$'}
            """
        let factories = try Self.file(schema, "tests/factories.py")
        #expect(factories.contains("\"name\": \"Aa\","), "\(factories)")
        #expect(factories.contains("\"code\": \"1111-AA\","), "\(factories)")
        #expect(!factories.contains("create_odd"))
        let odd = try Self.file(schema, "tests/test_odd.py")
        #expect(odd.contains("@pytest.mark.skip(\n    reason=\"Odd cannot be created through the API with generated values"))
    }

    @Test("MongoDB: a unique index on a nullable field indexes only documents that hold a value (any number may be null, as in SQL)")
    func mongoUniqueNullable() throws {
        let schema = """
            entities:
              Employee:
                fields: {name: string(50)}
              Desk:
                fields:
                  label: string(20)
                  badge: {type: string, length: 10, nullable: true, unique: true}
                relations:
                  occupant: {to: Employee, kind: one_to_one, nullable: true, on_delete: set_null}
            """
        let model = try Self.file(schema, "app/models/desk.py", database: .mongodb)
        #expect(model.contains("partialFilterExpression={\"badge\": {\"$type\": \"string\"}}"), "\(model)")
        #expect(model.contains("partialFilterExpression={\"occupant_id\": {\"$type\": \"objectId\"}}"), "\(model)")
        let indexes = try Self.file(schema, "mongo/indexes.py", database: .mongodb)
        #expect(indexes.contains("partialFilterExpression={\"occupant_id\": {\"$type\": \"objectId\"}}"), "\(indexes)")
    }

    @Test("pyproject declares its build backend and packages; the README migrates before it serves", arguments: TargetDatabase.allCases)
    func firstCommand(database: TargetDatabase) throws {
        let pyproject = try Self.file(Self.names, "pyproject.toml", database: database)
        #expect(pyproject.contains("[build-system]\nrequires = [\"setuptools>=69\"]"))
        #expect(pyproject.contains("[tool.setuptools.packages.find]\ninclude = [\"app\", \"app.*\"]"))
        for line in pyproject.split(separator: "\n") where line.hasPrefix("    \"") {
            #expect(line.contains(">=") && line.contains("<"), "unbounded dependency: \(line)")
        }
        if database != .mongodb, database != .sqlite { #expect(pyproject.contains("aiosqlite")) }
        let readme = try Self.file(Self.names, "README.md", database: database)
        #expect(readme.contains("python3 -m venv .venv"))
        if database != .mongodb {
            let migrate = try #require(readme.range(of: "alembic upgrade head"))
            let serve = try #require(readme.range(of: "uvicorn app.main:app"))
            #expect(migrate.lowerBound < serve.lowerBound)
        }
    }
}
