import CodeRendering
import SchemaModel

/// The files that belong to the user, written once and never rewritten (`GeneratedFile.isUserFile`):
/// `app/hooks/<module>.py` per entity, which the generated CRUD calls around every write and the
/// list route calls to change its query, and `app/custom.py`, a router `app/main.py` mounts under
/// the API prefix. A fresh hook changes nothing and passes ruff and `mypy --strict`.
struct UserCodeGenerator {
    let views: [EntityView]
    /// What the hooks are handed: a SQLAlchemy session and statement, or an ODMantic engine and a
    /// MongoDB filter document.
    var backend: PersistenceBackend = .sqlalchemy

    /// What a hook module imports beside its entity's model and schemas, per backend (module, name).
    static let hookImports: [PersistenceBackend: [(module: String, name: String)]] = [
        .sqlalchemy: [("sqlalchemy", "Select"), ("sqlalchemy.ext.asyncio", "AsyncSession")],
        .odmantic: [("typing", "Any"), ("odmantic", "AIOEngine")],
    ]

    /// The names the user files import beside an entity's model (`PythonNames.entityClass` avoids them).
    static let importedNames: Set<String> = Set(hookImports.values.flatMap { $0.map(\.name) } + ["APIRouter"])

    /// The name under which CRUD modules import their entity's hooks (`from app.hooks import post as hooks`).
    static let crudAlias = "hooks"

    /// How a router imports the hooks of its entity: `post_hooks`.
    static func routerAlias(_ view: EntityView) -> String { view.module + "_hooks" }

    /// The README's section on these files (ends with a line break).
    static func readmeSection(_ backend: PersistenceBackend) -> String {
        let sql = backend == .sqlalchemy
        return """
            ## Your code

            These files are yours: `schemaforge generate` writes them once and never changes or removes
            them (they carry a "Written once" header).

            - `app/hooks/<entity>.py`: the CRUD calls `before_create` (returns the body to insert),
              `after_create`, `before_update`, `after_update`, `before_delete` and `after_delete`\(sql ? " in the request's transaction" : "");
              the list route passes its \(sql ? "query" : "filter document") through `filter_list` (default filters such as tenancy
              or soft delete; the count follows). Raise an `HTTPException` in a `before_` hook to refuse:
              nothing is written.
            - `app/custom.py`: `router`, mounted under `/api/v1` beside the generated routes.

            """
    }

    func generate() -> [GeneratedFile] {
        [package(), custom()] + views.map(hooks)
    }

    func package() -> GeneratedFile {
        let m = PythonModule(
            header: generatedHeader, docstring: "Your hooks, one module per entity: `app/hooks/<entity>.py` is written once and is yours.")
        return GeneratedFile(path: "app/hooks/__init__.py", contents: PythonRenderer().render(m))
    }

    func custom() -> GeneratedFile {
        var m = PythonModule(
            header: userFileHeader,
            docstring: """
                Your own routes. `app/main.py` mounts `router` under the API prefix (`/api/v1`), beside the
                generated ones; \(backend == .sqlalchemy ? "`SessionDep` gives a route the request's session, committed before the response" : "`EngineDep` gives a route the ODMantic engine").
                """)
        m.imports.from("fastapi", import: "APIRouter")
        m.body = [.assign(target: "router", annotation: nil, value: .name("APIRouter").call(.keyword("tags", .list([.string("custom")]))))]
        return GeneratedFile(path: "app/custom.py", contents: PythonRenderer().render(m), isUserFile: true)
    }

    /// `app/hooks/<module>.py`: every hook as a function that changes nothing.
    func hooks(_ view: EntityView) -> GeneratedFile {
        let e = view.entity
        let model = PythonNames.entityClass(e)
        let variable = FastAPIAppGenerator.Names(view: view).variable
        let sql = backend == .sqlalchemy
        var m = PythonModule(
            header: userFileHeader,
            docstring: sql
                ? """
                Hooks of \(e): the generated CRUD calls them around every write, in the request's transaction.

                Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
                A write hook may run more queries on `session`; they commit with the request.
                """
                : """
                Hooks of \(e): the generated CRUD and routes call them around every write.

                Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written.
                """)
        let session: PythonParameter
        let listed: PythonParameter
        for (module, name) in Self.hookImports[backend] ?? [] { m.imports.from(module, import: name) }
        if sql {
            session = PythonParameter("session", .name("AsyncSession"))
            listed = PythonParameter("statement", PythonExpr.name("Select")[.name(model)])
        } else {
            session = PythonParameter("engine", .name("AIOEngine"))
            listed = PythonParameter("query", PythonExpr.name("dict")[.name("str"), .name("Any")])
        }
        m.imports.from("app.models.\(view.module)", import: model)
        m.imports.from("app.schemas.\(view.module)", import: "\(e)Create", "\(e)Update")
        let object = PythonParameter(variable, .name(model))
        func hook(
            _ name: String, _ parameters: [PythonParameter], returns: PythonExpr?, docstring: String, body: [PythonStatement] = []
        ) -> PythonStatement {
            .function(
                PythonFunction(
                    name: name, parameters: parameters, returns: returns ?? PythonExpr.none, body: body, isAsync: true, docstring: docstring))
        }
        let pending = sql ? " (not yet committed)" : ""
        m.body = [
            hook(
                "before_create", [session, PythonParameter("body", .name("\(e)Create"))], returns: .name("\(e)Create"),
                docstring: "Before a \(e) is inserted: returns the body to insert (this one, or a changed copy).",
                body: [.return(.name("body"))]),
            hook("after_create", [session, object], returns: nil, docstring: "After a \(e) is inserted\(pending)."),
            hook(
                "before_update", [session, object, PythonParameter("body", .name("\(e)Update"))], returns: .name("\(e)Update"),
                docstring: "Before a \(e) is changed: returns the changes to apply.",
                body: [.return(.name("body"))]),
            hook("after_update", [session, object], returns: nil, docstring: "After a \(e) is changed\(pending)."),
            hook("before_delete", [session, object], returns: nil, docstring: "Before a \(e) is deleted: raise to refuse."),
            hook("after_delete", [session, object], returns: nil, docstring: "After a \(e) is deleted\(pending)."),
            hook(
                "filter_list", [session, listed], returns: listed.annotation,
                docstring: "The \(sql ? "query" : "filter") of the list route and its count: add default filters (tenancy, soft delete).",
                body: [.return(.name(listed.name))]),
        ]
        return GeneratedFile(path: "app/hooks/\(view.module).py", contents: PythonRenderer().render(m), isUserFile: true)
    }
}
