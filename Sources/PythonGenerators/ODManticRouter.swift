import CodeRendering
import SchemaModel

/// What the ODMantic backend puts into a resource router (`ResourceRouter`): routes on the engine,
/// ObjectId keys, keyset pages of a filter document (`app/pages.py`), deletes that apply the schema's on_delete rules
/// in `app/crud/deletes.py`, many-to-many links as id arrays. No `If-Match`: without a row lock or
/// a transaction the check could not be atomic with the write.
struct ODManticRouter: RouterBackend {
    let project: MongoProjectGenerator
    let view: EntityView
    let key: String
    let model: String

    init(project: MongoProjectGenerator, view: EntityView) {
        self.project = project
        self.view = view
        self.key = FastAPIAppGenerator.Names(view: view).keyParameters[0]
        self.model = PythonNames.entityClass(view.entity)
    }

    var persistence: PersistenceBackend { .odmantic }
    var linkedRelations: [Relation] {
        project.collections.arrays(view.table).map(\.relation).filter { project.schema.table(named: $0.targetTable) != nil }
    }

    func keyParameters(imports: inout PythonImports) -> [PythonParameter] { [PythonParameter(key, .name("ObjectIdPath"))] }

    func dependency(reads: Bool) -> PythonParameter { PythonParameter("engine", .name("EngineDep")) }

    func otherParameter(_ relation: Relation, imports: inout PythonImports) -> PythonParameter {
        let names = FastAPIAppGenerator.Names(view: view)
        return PythonParameter(
            FastAPIAppGenerator.otherParameter(view: view, relation: relation, names: names, schema: project.schema), .name("ObjectIdPath"))
    }

    /// A reference to a missing document is a 404 here (the SQL targets' foreign keys make it a 409).
    func extraStatuses(_ operation: RouteOperation) -> [Int] {
        guard case .create = operation else { return [] }
        return [404]
    }

    func preamble(imports: inout PythonImports) -> [PythonStatement] {
        imports.from("app.crud", import: "deletes")
        imports.from("app.db", import: "EngineDep")
        imports.from("app.documents", import: "object_id", "to_api")
        imports.from("app.params", import: "ObjectIdPath")
        imports.from("odmantic", import: "AIOEngine")
        var sortable = ["", "# Sort keys (the Query model's pattern): API field -> document key.", "SORTABLE: dict[str, str] = {"]
        for column in view.sortColumns {
            sortable.append("    \(PythonRenderer.quote(column.field)): \(PythonRenderer.quote(project.collections.key(column, in: view.table))),")
        }
        sortable.append("}")
        var read = ["data = to_api(document)"]
        for (field, relation) in project.collections.arrays(view.table) {
            read.append(
                "data[\(PythonRenderer.quote(PythonNames.attribute(relation.name, in: view.table)))] = [{\"id\": key} for key in data.pop(\(PythonRenderer.quote(field)))]"
            )
        }
        read.append("return \(view.entity)Read.model_validate(data)")
        var statements: [PythonStatement] = [
            .raw(sortable.joined(separator: "\n")),
            .function(
                PythonFunction(
                    name: "_read", parameters: [PythonParameter("document", .name(model))], returns: .name("\(view.entity)Read"),
                    body: [.raw(read.joined(separator: "\n"))])),
        ]
        let filters = FastAPIAppGenerator.filters(view)
        if !filters.isEmpty {
            // The Query model's filter attributes -> the document key, the operator (app/filters.py).
            imports.from("app", import: "filters")
            var lines = ["FILTERS: dict[str, filters.Filter] = {"]
            for filter in filters {
                let key = PythonRenderer.quote(project.collections.key(filter.column, in: view.table))
                let objectId = MongoShape.isObjectId(filter.column) && filter.operation != .isNull ? ", object_id=True" : ""
                lines.append(
                    "    \(PythonRenderer.quote(filter.attribute)): filters.Filter(\(key), \(PythonRenderer.quote(filter.operation.rawValue))\(objectId)),"
                )
            }
            lines.append("}")
            statements.append(.raw(lines.joined(separator: "\n")))
        }
        return statements
    }

    func helpers(imports: inout PythonImports) -> [PythonStatement] {
        let body = [
            "document = await engine.find_one(\(model), \(model).id == object_id(\(key), \(PythonRenderer.quote(view.entity))))",
            "if document is None:",
            "    raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(view.entity) not found")))",
            "return document",
        ]
        return [
            .function(
                PythonFunction(
                    name: "_get_or_404", parameters: [PythonParameter("engine", .name("AIOEngine")), PythonParameter(key, .name("str"))],
                    returns: .name(model), body: [.raw(body.joined(separator: "\n"))], isAsync: true))
        ]
    }

    func body(_ operation: RouteOperation, imports: inout PythonImports) -> [String] {
        let e = view.entity
        let snake = Identifiers.snakeCase(e)
        let crud = view.module + "_crud"
        let hooks = UserCodeGenerator.routerAlias(view)
        switch operation {
        case .list:
            var out: [String] = []
            if FastAPIAppGenerator.filters(view).isEmpty {
                imports.from("typing", import: "Any")
                out.append("selection: dict[str, Any] = {}")
            } else {
                out.append("selection = filters.selection(FILTERS, query)")
            }
            imports.from("app", import: "pages")
            return out + [
                "selection = await \(hooks).filter_list(engine, selection)",
                "collection = engine.get_collection(\(model))",
                "total = await collection.count_documents(selection) if query.count else None",
                "keyset = pages.Keyset(SORTABLE, query.sort)",
                "if query.cursor is not None:",
                "    selection = {\"$and\": [selection, keyset.after(query.cursor)]}",
                "# One document more than the page tells whether there is a next one.",
                "found = collection.find(selection).sort(keyset.order())",
                "page = found.skip(query.offset).limit(query.limit + 1)",
                "documents = [doc async for doc in page]",
                "rows = [\(model).model_validate_doc(doc) for doc in documents[: query.limit]]",
                "return \(e)List(",
                "    data=[_read(row) for row in rows],",
                "    next_cursor=keyset.next_cursor(documents, query.limit),",
                "    count=total,",
                ")",
            ]
        case .get:
            return [
                "document = await _get_or_404(engine, \(key))",
                "return etags.respond(_read(document), if_none_match=if_none_match)",
            ]
        case .create:
            return [
                "document = await \(crud).create_\(snake)(engine, body=body)",
                "url = request.url_for(\"get_\(snake)\", \(key)=str(document.id))",
                "return etags.respond(_read(document), status_code=201, headers={\"Location\": url.path})",
            ]
        case .update:
            return [
                "document = await _get_or_404(engine, \(key))",
                "document = await \(crud).update_\(snake)(engine, document=document, body=body)",
                "return etags.respond(_read(document))",
            ]
        case .delete:
            return [
                "document = await _get_or_404(engine, \(key))",
                "await \(hooks).before_delete(engine, document)",
                "await deletes.delete_\(snake)(engine, document)",
                "await \(hooks).after_delete(engine, document)",
                "return Response(status_code=204)",
            ]
        case let .link(relation, add):
            let target = project.importModel(relation.targetEntity, into: &imports)
            let other = otherParameter(relation, imports: &imports).name
            let field = PythonNames.idsField(relation.name)
            var out = [
                "document = await _get_or_404(engine, \(key))",
                "other = object_id(\(other), \(PythonRenderer.quote(relation.targetEntity)))",
                "if await engine.find_one(\(target), \(target).id == other) is None:",
                "    raise HTTPException(status_code=404, detail=\(PythonRenderer.quote("\(relation.targetEntity) not found")))",
            ]
            if add {
                out.append("if other not in document.\(field):")
                out.append("    document.\(field) = [*document.\(field), other]")
            } else {
                out.append("if other in document.\(field):")
                out.append("    document.\(field) = [i for i in document.\(field) if i != other]")
            }
            return out + ["    await engine.save(document)", "return Response(status_code=204)"]
        }
    }
}
