import CodeRendering
import SchemaModel

/// A route of a resource router.
enum RouteOperation {
    case list, get, create, update, delete
    /// `POST` (add) or `DELETE` (remove) `/{key}/<relation>/{other}` of a many-to-many relation.
    case link(Relation, add: Bool)

    /// Whose access rule guards the route (a link changes the resource: `update`).
    var access: AccessOperation {
        switch self {
        case .list, .get: return .read
        case .create: return .create
        case .update, .link: return .update
        case .delete: return .delete
        }
    }

    /// Whether the route only reads (and may use a read replica).
    var reads: Bool { access == .read }
}

/// What a persistence backend (SQLAlchemy or ODMantic) puts into a resource router: the
/// dependency its routes take, the module's constants and helpers, each route's body.
/// `ResourceRouter` decides the rest once for both.
protocol RouterBackend {
    /// The persistence layer, and so what the routes promise (`If-Match`, cursor pages).
    var persistence: PersistenceBackend { get }
    /// The relations that have link routes.
    var linkedRelations: [Relation] { get }
    /// The path parameters of the key.
    func keyParameters(imports: inout PythonImports) -> [PythonParameter]
    /// The parameter that gives a route its session or engine.
    func dependency(reads: Bool) -> PythonParameter
    /// The path parameter naming the other side of a link.
    func otherParameter(_ relation: Relation, imports: inout PythonImports) -> PythonParameter
    /// The problem statuses a route declares besides the ones every backend's route has (a
    /// missing reference's 404).
    func extraStatuses(_ operation: RouteOperation) -> [Int]
    /// The module's imports, and its statements between `router = ...` and the list route.
    func preamble(imports: inout PythonImports) -> [PythonStatement]
    /// The helpers between the list route and the others (`_get_or_404`).
    func helpers(imports: inout PythonImports) -> [PythonStatement]
    /// The body of a route, its lines indented relative to the function body.
    func body(_ operation: RouteOperation, imports: inout PythonImports) -> [String]
}

/// `app/routers/<module>.py` for either backend. The routes every resource has (list, get, create,
/// update, delete, and link/unlink per many-to-many relation), their paths, function names (and so
/// operation ids), response models, status codes, declared problems, access rules and parameters
/// are decided here; the backend writes what the routes do.
struct ResourceRouter<Backend: RouterBackend> {
    let view: EntityView
    let backend: Backend
    let guardRoute: AccessGuard

    init(view: EntityView, backend: Backend) {
        self.view = view
        self.backend = backend
        let names = FastAPIAppGenerator.Names(view: view)
        self.guardRoute = AccessGuard(view: view, model: PythonNames.entityClass(view.entity), variable: names.variable)
    }

    /// The problem statuses of a route on every backend (a 401 and 403 come with an access rule).
    func statuses(_ operation: RouteOperation) -> [Int] {
        var statuses: [Int]
        switch operation {
        case .list: statuses = [400, 422, 503]  // 400: a cursor the list did not issue
        case .get, .link: statuses = [404, 422, 503]
        case .create: statuses = [400, 409, 413, 422, 503]
        case .update: statuses = [400, 404, 409, 413, 422, 503] + (backend.persistence.checksIfMatch ? [412] : [])
        case .delete: statuses = [404, 409, 422, 503] + (backend.persistence.checksIfMatch ? [412] : [])
        }
        return Array(Set(statuses + backend.extraStatuses(operation))).sorted()
    }

    func generate() -> GeneratedFile {
        let e = view.entity
        var m = PythonModule(header: generatedHeader, docstring: "HTTP routes of \(e): \(view.routePrefix).")
        m.imports.from("typing", import: "Annotated")
        m.imports.from("fastapi", import: "APIRouter", "HTTPException", "Query", "Request", "Response")
        m.imports.from("app", import: "etags")
        m.imports.from("app.crud", import: "\(view.module) as \(view.module)_crud")
        m.imports.from("app.hooks", import: "\(view.module) as \(UserCodeGenerator.routerAlias(view))")
        m.imports.from("app.problems", import: "problem_responses")
        FastAPIAppGenerator.importModel(e, into: &m.imports)
        m.imports.from("app.schemas.\(view.module)", import: "\(e)Create", "\(e)List", "\(e)Query", "\(e)Read", "\(e)Update")
        var body: [PythonStatement] = [
            .raw("router = APIRouter(prefix=\(PythonRenderer.quote(view.routePrefix)), tags=[\(PythonRenderer.quote(view.tag))])")
        ]
        body += backend.preamble(imports: &m.imports)
        if guardRoute.isSecured {
            m.imports.from("fastapi", import: "Depends")
            m.imports.from("app.auth", import: "Grant", "Rule")
        }
        body.append(route(.list, imports: &m.imports))
        body += backend.helpers(imports: &m.imports)
        for operation in [RouteOperation.get, .create, .update, .delete] { body.append(route(operation, imports: &m.imports)) }
        for relation in backend.linkedRelations {
            for add in [true, false] { body.append(route(.link(relation, add: add), imports: &m.imports)) }
        }
        m.body = body
        return GeneratedFile(path: "app/routers/\(view.module).py", contents: PythonRenderer().render(m))
    }

    /// One route: its decorator and signature as structure, its body from the backend.
    func route(_ operation: RouteOperation, imports: inout PythonImports) -> PythonStatement {
        let e = view.entity
        let snake = Identifiers.snakeCase(e)
        let keys = backend.keyParameters(imports: &imports)
        let dependency = backend.dependency(reads: operation.reads)
        let rule = PythonExpr.name(AuthGenerator.ruleName(operation.access))
        let grant: [PythonParameter] =
            guardRoute.rule(operation.access) == nil
            ? [] : [PythonParameter("grant", .subscripted(.name("Annotated"), [.name("Grant"), .name("Depends").call(.positional(rule))]))]
        let ifMatch = backend.persistence.checksIfMatch ? [PythonParameter("if_match", .dotted("etags.IfMatch"), default: PythonExpr.none)] : []
        var problems = PythonExpr.raw(guardRoute.responses(statuses(operation), operation.access))
        let verb: String
        var path = "/" + FastAPIAppGenerator.Names(view: view).keyPath
        var arguments: [PythonArgument] = []
        let name: String
        var parameters: [PythonParameter]
        var returns = PythonExpr.name("Response")
        var docstring: String?
        switch operation {
        case .list:
            (verb, path, name) = ("get", "/", "list_\(PythonNames.plural(snake))")
            arguments = [.keyword("response_model", .name("\(e)List"))]
            let query = PythonParameter("query", .subscripted(.name("Annotated"), [.name("\(e)Query"), .name("Query").call()]))
            parameters = [dependency, query] + grant
            returns = .name("\(e)List")
            docstring =
                "A page of \(e), filtered (`field=`, `field__<op>=`) and sorted (`-field` descending).\n\n"
                + "Pass `next_cursor` back as `?cursor=` for the next page, with the same sort.\n"
        case .get:
            (verb, name) = ("get", "get_\(snake)")
            arguments = [.keyword("response_model", .name("\(e)Read"))]
            problems = .binary(.dotted("etags.NOT_MODIFIED"), "|", problems)
            parameters = keys + [dependency] + grant + [PythonParameter("if_none_match", .dotted("etags.IfNoneMatch"), default: PythonExpr.none)]
        case .create:
            (verb, path, name) = ("post", "/", "create_\(snake)")
            arguments = [.keyword("response_model", .name("\(e)Read")), .keyword("status_code", .int(201))]
            parameters = [PythonParameter("body", .name("\(e)Create")), dependency, PythonParameter("request", .name("Request"))] + grant
        case .update:
            (verb, name) = ("patch", "update_\(snake)")
            arguments = [.keyword("response_model", .name("\(e)Read"))]
            parameters = keys + [PythonParameter("body", .name("\(e)Update")), dependency] + grant + ifMatch
        case .delete:
            (verb, name) = ("delete", "delete_\(snake)")
            arguments = [.keyword("status_code", .int(204))]
            parameters = keys + [dependency] + grant + ifMatch
        case let .link(relation, add):
            verb = add ? "post" : "delete"
            path += "/" + relation.name.replacingOccurrences(of: "_", with: "-")
            let other = backend.otherParameter(relation, imports: &imports)
            path += "/{\(other.name)}"
            name = "\(add ? "add" : "remove")_\(snake)_\(FastAPIAppGenerator.linkSuffix(relation))"
            arguments = [.keyword("status_code", .int(204))]
            parameters = keys + [other, dependency] + grant
            docstring = "\(add ? "Link" : "Unlink") them; doing it twice is not an error."
        }
        arguments.insert(.positional(.string(path)), at: 0)
        arguments.append(.keyword("responses", problems))
        if case .list = operation {
            // Cache-Control from LIST_MAX_AGE (app/etags.py).
            imports.from("fastapi", import: "Depends")
            arguments.append(.keyword("dependencies", .list([.name("Depends").call(.positional(.dotted("etags.cache_control")))])))
        }
        let lines = backend.body(operation, imports: &imports)
        return .function(
            PythonFunction(
                name: name, parameters: parameters, returns: returns, body: [.raw(lines.joined(separator: "\n"))],
                decorators: [PythonExpr.dotted("router.\(verb)").call(arguments)], isAsync: true, docstring: docstring))
    }
}
