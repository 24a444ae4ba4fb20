import CodeRendering
import SchemaModel

/// What the SQLAlchemy backend puts into a resource router (`ResourceRouter`): routes on the
/// request's session (reads on the replica session), keyset pages with filters and search,
/// `If-Match` checked under the row lock, owner checks.
struct SQLAlchemyRouter: RouterBackend {
    let app: FastAPIAppGenerator
    let view: EntityView
    let names: FastAPIAppGenerator.Names
    let guardRoute: AccessGuard
    let model: String

    init(app: FastAPIAppGenerator, view: EntityView) {
        self.app = app
        self.view = view
        self.names = FastAPIAppGenerator.Names(view: view)
        self.model = FastAPIAppGenerator.modelName(view.entity)
        self.guardRoute = AccessGuard(view: view, model: model, variable: names.variable)
    }

    var persistence: PersistenceBackend { .sqlalchemy }
    var linkedRelations: [Relation] { view.writableManyToMany.filter { view.targetKey($0) != nil } }

    private var crudModule: String { view.module + "_crud" }
    private var keyArgs: String { names.keyParameters.joined(separator: ", ") }

    func keyParameters(imports: inout PythonImports) -> [PythonParameter] {
        zip(names.keyParameters, view.keyColumns).map { name, column in
            let fallback = PythonRenderer.flat(app.types.pythonType(column.type, imports: &imports))
            return PythonParameter(name, .name(FastAPIAppGenerator.parameterType(column.type, path: true, imports: &imports, fallback: fallback)))
        }
    }

    func dependency(reads: Bool) -> PythonParameter {
        // Reads on the replica (if any), writes on the primary.
        PythonParameter("session", .name(reads ? "ReadSessionDep" : "SessionDep"))
    }

    func otherParameter(_ relation: Relation, imports: inout PythonImports) -> PythonParameter {
        let name = FastAPIAppGenerator.otherParameter(view: view, relation: relation, names: names, schema: app.schema)
        guard let targetKey = view.targetKey(relation) else { return PythonParameter(name) }
        let fallback = PythonRenderer.flat(app.types.pythonType(targetKey.type, imports: &imports))
        return PythonParameter(name, .name(FastAPIAppGenerator.parameterType(targetKey.type, path: true, imports: &imports, fallback: fallback)))
    }

    func extraStatuses(_ operation: RouteOperation) -> [Int] { [] }

    func preamble(imports: inout PythonImports) -> [PythonStatement] {
        imports.from("typing", import: "Any")
        imports.from("urllib.parse", import: "quote")
        imports.from("sqlalchemy", import: "ColumnElement", "select")
        imports.from("sqlalchemy.orm", import: "InstrumentedAttribute")
        imports.from("app", import: "pages")
        imports.from("app.db", import: "ReadSessionDep", "SessionDep")
        var out: [String] = []
        out.append("# Characters a path segment takes as they are (RFC 3986): text keys consist of them.")
        out.append("URL_SAFE = \"/!$&'()*+,;=:@\"")
        if guardRoute.isSecured { out += guardRoute.ruleLines }
        out.append("")
        // Sorting: by the API's names of the columns.
        out.append("SORTABLE: dict[str, InstrumentedAttribute[Any]] = {")
        for column in view.sortColumns { out.append("    \(PythonRenderer.quote(column.field)): \(model).\(view.attribute(column)),") }
        out.append("}")
        var loads: [String] = []
        if !view.loadedRelations.isEmpty {
            imports.from("sqlalchemy.orm", import: "selectinload")
            loads = view.loadedRelations.map { "selectinload(\(model).\(PythonNames.attribute($0.name, in: view.table)))" }
        }
        let filters = FastAPIAppGenerator.filters(view)
        if !filters.isEmpty {
            // Filters: the query model's attribute -> the column and the comparison (app/filters.py).
            imports.from("app", import: "filters")
            out.append("FILTERS: dict[str, tuple[InstrumentedAttribute[Any], str]] = {")
            for filter in filters {
                out.append(
                    "    \(PythonRenderer.quote(filter.attribute)): (\(model).\(view.attribute(filter.column)), \(PythonRenderer.quote(filter.operation.rawValue))),"
                )
            }
            out.append("}")
        }
        out.append("# Relations every response includes, loaded up front (no lazy loads in async code).")
        imports.from("sqlalchemy.orm.interfaces", import: "LoaderOption")
        out.append("LOAD: list[LoaderOption] = [\(loads.joined(separator: ", "))]")
        return [.raw(out.joined(separator: "\n"))]
    }

    func helpers(imports: inout PythonImports) -> [PythonStatement] {
        let keys = zip(names.keyParameters, view.keyColumns).map { name, column in
            PythonParameter(name, .raw(PythonRenderer.flat(app.types.pythonType(column.type, imports: &imports))))
        }
        let v = names.variable
        let body = [
            "\(v) = await session.get(",
            "    \(model),",
            "    \(names.identity),",
            "    options=LOAD if load else [],",
            "    with_for_update=lock,",
            ")",
            "if \(v) is None:",
            "    raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(view.entity) not found")))",
            "return \(v)",
        ]
        let parameters =
            [PythonParameter("session", .name("SessionDep"))] + keys
            + [
                .keywordOnly, PythonParameter("load", .name("bool"), default: .bool(true)),
                PythonParameter("lock", .name("bool"), default: .bool(false)),
            ]
        return [
            .function(
                PythonFunction(
                    name: "_get_or_404", parameters: parameters, returns: .name(model), body: [.raw(body.joined(separator: "\n"))], isAsync: true))
        ]
    }

    func body(_ operation: RouteOperation, imports: inout PythonImports) -> [String] {
        let e = view.entity
        let snake = Identifiers.snakeCase(e)
        let v = names.variable
        var out: [String] = []
        switch operation {
        case .list:
            out.append("    conditions: list[ColumnElement[bool]] = []")
            if !FastAPIAppGenerator.filters(view).isEmpty {
                out.append("    for name, (column, operator) in FILTERS.items():")
                out.append("        if (value := getattr(query, name)) is not None:")
                out.append("            conditions.append(filters.condition(column, operator, value))")
            }
            out += guardRoute.ownRowsOnly()
            let hooks = UserCodeGenerator.routerAlias(view)
            out.append("    statement = await \(hooks).filter_list(session, select(\(model)).where(*conditions))")
            let search = view.table.search.map { _ in PythonNames.searchConstant(forEntity: view.entity, in: app.schema) }
            if let search {
                // Full-text search: the matching rows, best first unless a sort is asked for (app/search.py).
                imports.from("app.models.search", import: search)
                out.append("    relevance: list[ColumnElement[Any]] = []")
                out.append("    if query.q is not None:")
                out.append("        statement = \(search).matching(statement, query.q, session)")
                out.append("        if \"sort\" not in query.model_fields_set:")
                out.append("            relevance = \(search).relevance(query.q, session, cursor=query.cursor)")
            }
            out.append("    total = await pages.count(session, statement) if query.count else None")
            let keyColumns = view.keyColumns.map { "\(model).\(view.attribute($0))" }.joined(separator: ", ")
            out.append("    keyset = pages.Keyset(SORTABLE, query.sort, [\(keyColumns)])")
            out.append("    if query.cursor is not None:")
            out.append("        statement = statement.where(keyset.after(query.cursor))")
            out.append("    # One row more than the page tells whether there is a next one.")
            out.append("    stmt = (")
            out.append(search == nil ? "        statement.order_by(*keyset.order())" : "        statement.order_by(*relevance, *keyset.order())")
            out.append("        .offset(query.offset)")
            out.append("        .limit(query.limit + 1)")
            out.append("        .options(*LOAD)")
            out.append("    )")
            out.append("    rows = (await session.scalars(stmt)).all()")
            out.append("    return \(e)List(")
            out += FastAPIAppGenerator.pageData(readClass: "\(e)Read")
            out.append(
                search == nil
                    ? "        next_cursor=keyset.next_cursor(rows, query.limit),"
                    : "        next_cursor=None if relevance else keyset.next_cursor(rows, query.limit),")
            out.append("        count=total,")
            out.append("    )")
        case .get:
            out.append("    \(v) = await _get_or_404(session, \(keyArgs))")
            if guardRoute.checksOwner(.read) { out += guardRoute.checkOwner(of: v) }
            out.append("    return etags.respond(\(e)Read.model_validate(\(v)), if_none_match=if_none_match)")
        case .create:
            let location = zip(names.keyParameters, view.keyColumns).map { "\($0)=str(\(v).\(view.attribute($1)))" }.joined(separator: ", ")
            out += guardRoute.checkBodyOwner(.create)
            out.append("    \(v) = await \(crudModule).create_\(snake)(session, body=body)")
            out.append("    url = request.url_for(\"get_\(snake)\", \(location))")
            out.append("    location = {\"Location\": quote(url.path, safe=URL_SAFE)}")
            out.append("    return etags.respond(\(e)Read.model_validate(\(v)), status_code=201, headers=location)")
        case .update:
            out.append("    # The row stays locked until the commit: concurrent updates apply one after the other.")
            out.append("    \(v) = await _get_or_404(session, \(keyArgs), lock=True)")
            if guardRoute.checksOwner(.update) {
                out += guardRoute.checkOwner(of: v)
                out += guardRoute.checkBodyOwner(.update, onlyIfSent: true)
            }
            out.append("    etags.require_match(\(e)Read.model_validate(\(v)), if_match)")
            out.append("    \(v) = await \(crudModule).update_\(snake)(session, \(v)=\(v), body=body)")
            out.append("    return etags.respond(\(e)Read.model_validate(\(v)))")
        case .delete:
            if guardRoute.checksOwner(.delete) {
                out.append("    \(v) = await _get_or_404(session, \(keyArgs), lock=True)")
                out += guardRoute.checkOwner(of: v)
                out.append("    etags.require_match(\(e)Read.model_validate(\(v)), if_match)")
            } else {
                out.append("    if if_match is not None:")
                out.append("        \(v) = await _get_or_404(session, \(keyArgs), lock=True)")
                out.append("        etags.require_match(\(e)Read.model_validate(\(v)), if_match)")
            }
            out.append("    if not await \(crudModule).delete_\(snake)(session, \(keyArgs)):")
            out.append("        raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(e) not found")))")
            out.append("    return Response(status_code=204)")
        case let .link(relation, add):
            let target = FastAPIAppGenerator.modelName(relation.targetEntity)
            FastAPIAppGenerator.importModel(relation.targetEntity, into: &imports)
            let other = otherParameter(relation, imports: &imports).name
            if guardRoute.checksOwner(.update) {
                out.append("    \(v) = await _get_or_404(session, \(keyArgs), load=False)")
                out += guardRoute.checkOwner(of: v)
            } else {
                out.append("    await _get_or_404(session, \(keyArgs), load=False)")
            }
            out.append("    if await session.get(\(target), \(other)) is None:")
            out.append("        raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(relation.targetEntity) not found")))")
            out.append("    await \(crudModule).\(add ? "add" : "remove")_\(FastAPIAppGenerator.linkSuffix(relation))(session, \(keyArgs), \(other))")
            out.append("    return Response(status_code=204)")
        }
        // Written at the function's indent, as the guard's lines are (some with a line break inside).
        return out.flatMap { line in PythonRenderer.lines(of: line).map { String($0.dropFirst(4)) } }
    }
}
