import CodeRendering
import SchemaModel

/// The files that belong to the user, written once and never rewritten (`GeneratedFile.isUserFile`):
/// `app/hooks/<module>.py` per entity, which the generated CRUD calls around every write and the
/// list route calls to change its query, and `app/custom.py`, a router `app/main.py` mounts under
/// the API prefix. A fresh hook changes nothing and passes ruff and `mypy --strict`.
struct UserCodeGenerator {
    let views: [EntityView]

    /// The name under which CRUD modules import their entity's hooks (`from app.hooks import post as hooks`).
    static let crudAlias = "hooks"

    /// How a router imports the hooks of its entity: `post_hooks`.
    static func routerAlias(_ view: EntityView) -> String { view.module + "_hooks" }

    func generate() -> [GeneratedFile] {
        [package(), custom()] + views.map(hooks)
    }

    func package() -> GeneratedFile {
        let m = PythonModule(header: generatedHeader, docstring: "Your hooks, one module per entity: `app/hooks/<entity>.py` is written once and is yours.")
        return GeneratedFile(path: "app/hooks/__init__.py", contents: PythonRenderer().render(m))
    }

    func custom() -> GeneratedFile {
        var m = PythonModule(header: userFileHeader, docstring: """
            Your own routes. `app/main.py` mounts `router` under the API prefix (`/api/v1`), beside the
            generated ones; `SessionDep` gives a route the request's session, committed before the response.
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
        var m = PythonModule(header: userFileHeader, docstring: """
            Hooks of \(e): the generated CRUD calls them around every write, in the request's transaction.

            Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
            A write hook may run more queries on `session`; they commit with the request.
            """)
        m.imports.from("sqlalchemy", import: "Select")
        m.imports.from("sqlalchemy.ext.asyncio", import: "AsyncSession")
        m.imports.from("app.models.\(view.module)", import: model)
        m.imports.from("app.schemas.\(view.module)", import: "\(e)Create", "\(e)Update")
        let session = PythonParameter("session", .name("AsyncSession"))
        let object = PythonParameter(variable, .name(model))
        func hook(_ name: String, _ parameters: [PythonParameter], returns: PythonExpr, docstring: String, body: [PythonStatement] = []) -> PythonStatement {
            .function(PythonFunction(name: name, parameters: parameters, returns: returns, body: body, isAsync: true, docstring: docstring))
        }
        let statement = PythonExpr.name("Select")[.name(model)]
        m.body = [
            hook("before_create", [session, PythonParameter("body", .name("\(e)Create"))], returns: .name("\(e)Create"),
                 docstring: "Before a \(e) is inserted: returns the body to insert (this one, or a changed copy).",
                 body: [.return(.name("body"))]),
            hook("after_create", [session, object], returns: .none, docstring: "After a \(e) is inserted (not yet committed)."),
            hook("before_update", [session, object, PythonParameter("body", .name("\(e)Update"))], returns: .name("\(e)Update"),
                 docstring: "Before a \(e) is changed: returns the changes to apply.",
                 body: [.return(.name("body"))]),
            hook("after_update", [session, object], returns: .none, docstring: "After a \(e) is changed (not yet committed)."),
            hook("before_delete", [session, object], returns: .none, docstring: "Before a \(e) is deleted: raise to refuse."),
            hook("after_delete", [session, object], returns: .none, docstring: "After a \(e) is deleted (not yet committed)."),
            hook("filter_list", [session, PythonParameter("statement", statement)], returns: statement,
                 docstring: "The query of the list route and its count: add default filters (tenancy, soft delete).",
                 body: [.return(.name("statement"))]),
        ]
        return GeneratedFile(path: "app/hooks/\(view.module).py", contents: PythonRenderer().render(m), isUserFile: true)
    }
}
