import CodeRendering
import SchemaModel
import SQLGenerator

/// `app/models/`: a declarative `Base` with the schema's naming convention, Python enums, the
/// `UUIDText` column type, implicit join tables, and one module per entity with typed
/// `Mapped[...]` columns, relationships with `back_populates`, and `__table_args__`.
public struct SQLAlchemyModelsGenerator {
    public let schema: Schema
    /// The project's database: MySQL/MariaDB models leave out the indexes its DDL leaves out.
    public let database: TargetDatabase
    let types: SQLAlchemyTypeMapping

    /// Strongly connected component of each table in the foreign-key graph.
    let component: [String: Int]

    public init(schema: Schema, database: TargetDatabase = .sqlite) {
        self.schema = schema
        self.database = database
        self.types = SQLAlchemyTypeMapping(schema: schema)
        self.component = Self.stronglyConnectedComponents(schema)
    }

    /// Tables that reach each other through foreign keys share a number.
    static func stronglyConnectedComponents(_ schema: Schema) -> [String: Int] {
        let names = schema.tables.map(\.name)
        let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let edges = schema.tables.map { table in table.foreignKeys.compactMap { position[$0.referencedTable] } }
        let components = StronglyConnectedComponents.components(edges)
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, components[$0]) })
    }

    var dialect: Dialect { Dialect(rawValue: database.rawValue) ?? .sqlite }

    /// Columns of a table that use an enum an earlier column of the same table already uses.
    func repeatedEnumColumns(_ table: Table) -> Set<String> {
        var seen: Set<String> = []
        var repeated: Set<String> = []
        for column in table.columns {
            guard case let .enumeration(name) = column.type, column.nativeType(for: dialect) == nil else { continue }
            if !seen.insert(name).inserted { repeated.insert(column.name) }
        }
        return repeated
    }

    /// Indexes MySQL/MariaDB cannot create as declared (see DDLGenerator.createIndex): expression
    /// indexes, partial unique indexes, and indexes on text/blob columns without a prefix length.
    static func isUnsupportedOnMySQL(_ index: Index, in table: Table) -> Bool {
        if !index.expressions.isEmpty || (index.unique && index.predicate != nil) { return true }
        return index.columns.contains { name in
            guard let column = table.column(named: name), column.nativeType(for: .mysql) == nil else { return false }
            switch column.type {
            case .text, .json, .bytes, .array: return true
            default: return false
            }
        }
    }

    public func generate() -> [GeneratedFile] { jobs().flatMap { $0() } }

    /// The shared modules, then one job per model.
    func jobs() -> [FileJob] {
        var jobs: [FileJob] = [{ [base(), enums(), columnTypes(), associations(), package()] }]
        for table in schema.tables where !table.isJoinTable {
            jobs.append { [model(table)] }
        }
        if schema.tables.contains(where: { $0.search != nil }) { jobs.append { [searchModule()] } }
        return jobs
    }

    private func render(_ module: PythonModule) -> String { PythonRenderer().render(module) }

    // MARK: Support modules

    func base() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Declarative base.")
        m.imports.from("sqlalchemy", import: "MetaData")
        m.imports.from("sqlalchemy.ext.asyncio", import: "AsyncAttrs")
        m.imports.from("sqlalchemy.orm", import: "DeclarativeBase")
        m.body.append(.comment("One naming convention for every constraint and index: the DDL, the models and the\nmigrations agree on names."))
        m.body.append(
            .assign(
                target: "NAMING_CONVENTION", annotation: .subscripted(.name("dict"), [.name("str"), .name("str")]),
                value: .dict(schema.namingConvention.sqlalchemyEntries.map { (PythonExpr.string($0.key), PythonExpr.string($0.pattern)) })))
        m.body.append(
            .class(
                PythonClass(
                    name: "Base", bases: [.name("AsyncAttrs"), .name("DeclarativeBase")], docstring: "Base class of every model.",
                    body: [
                        .assign(
                            target: "metadata", annotation: nil,
                            value: .name("MetaData").call(.keyword("naming_convention", .name("NAMING_CONVENTION"))))
                    ])))
        let extensions = PostgresExtensions.required(by: schema)
        if !extensions.isEmpty {
            // A typed listener (SQLAlchemy's DDL() is untyped for mypy --strict), literal statements only.
            m.imports.from("typing", import: "Any")
            m.imports.from("sqlalchemy", import: "Connection", "event")
            var body: [PythonStatement] = [.raw("if connection.dialect.name != \"postgresql\":\n    return")]
            body += extensions.map {
                .expression(.dotted("connection.exec_driver_sql").call(.positional(.string(PostgresExtensions.createStatement($0)))))
            }
            m.body.append(
                .function(
                    PythonFunction(
                        name: "_create_extensions",
                        parameters: [
                            PythonParameter("target", .name("MetaData")), PythonParameter("connection", .name("Connection")),
                            PythonParameter("**kw", .name("Any")),
                        ],
                        returns: PythonExpr.none, body: body,
                        decorators: [.dotted("event.listens_for").call(.positional(.dotted("Base.metadata")), .positional(.string("before_create")))],
                        docstring: "The PostgreSQL extensions of the native types, for create_all as the migrations create them.")))
        }
        return GeneratedFile(path: "app/models/base.py", contents: render(m))
    }

    func enums() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Enums of the schema.")
        m.imports.module("enum")
        m.body.append(
            .function(
                PythonFunction(
                    name: "enum_values", parameters: [PythonParameter("enum_type", .subscripted(.name("type"), [.dotted("enum.Enum")]))],
                    returns: .subscripted(.name("list"), [.name("str")]),
                    body: [.return(.raw("[str(member.value) for member in enum_type]"))],
                    docstring: "Store enum values (not member names) in the database.")))
        for e in schema.enums {
            var taken: Set<String> = []
            let members: [PythonStatement] = e.values.map { value in
                .assign(target: PythonNames.enumMember(value, taken: &taken), annotation: nil, value: .string(value))
            }
            m.body.append(
                .class(
                    PythonClass(
                        name: PythonNames.enumClass(e.name), bases: [.name("str"), .dotted("enum.Enum")], docstring: e.comment, body: members)))
        }
        return GeneratedFile(path: "app/models/enums.py", contents: render(m))
    }

    /// `app/models/types.py`: `UUIDText`, `UTCDateTime` and `Native`, the same in every project.
    func columnTypes() -> GeneratedFile { FixedModules.file("app/models/types.py") }

    /// Implicit many-to-many join tables as `Table` objects on the metadata.
    func associations() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Join tables of implicit many-to-many relations.")
        m.imports.from("app.models.base", import: "Base")
        for table in schema.tables where table.isJoinTable {
            m.imports.module("sqlalchemy as sa")
            var args: [PythonArgument] = [.positional(.string(table.name)), .positional(.dotted("Base.metadata"))]
            for column in table.columns {
                let fk = table.foreignKeys.first { $0.columns.contains(column.name) }!
                let position = fk.columns.firstIndex(of: column.name)!
                let target = "\(fk.referencedTable).\(fk.referencedColumns[position])"
                var fkArgs: [PythonArgument] = [.positional(.string(target))]
                if let onDelete = fk.onDelete { fkArgs.append(.keyword("ondelete", .string(dialect.effective(onDelete).sql))) }
                args.append(
                    .positional(
                        .dotted("sa.Column").call(
                            .positional(.string(column.name)), .positional(types.sqlType(column.type, imports: &m.imports)),
                            .positional(.dotted("sa.ForeignKey").call(fkArgs)), .keyword("primary_key", .bool(true)))))
            }
            for index in table.indexes {
                args.append(.positional(.dotted("sa.Index").call([.positional(.none)] + index.columns.map { .positional(.string($0)) })))
            }
            m.body.append(.assign(target: table.name, annotation: nil, value: .dotted("sa.Table").call(args)))
        }
        if !schema.tables.contains(where: \.isJoinTable) {
            m.body.append(.comment("This schema has no implicit many-to-many relations."))
            m.body.append(.assign(target: "__all__", annotation: .subscripted(.name("list"), [.name("str")]), value: .list([])))
            m.imports = PythonImports()
        }
        return GeneratedFile(path: "app/models/associations.py", contents: render(m))
    }

    func package() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "The SQLAlchemy models; importing this package registers every table.")
        var exported: [String] = ["Base", "NAMING_CONVENTION"]
        m.imports.from("app.models.base", import: "NAMING_CONVENTION", "Base")
        if schema.tables.contains(where: \.isJoinTable) {
            m.imports.from("app.models", import: "associations")
            exported.append("associations")
        }
        for e in schema.enums {
            m.imports.from("app.models.enums", import: PythonNames.enumClass(e.name))
            exported.append(PythonNames.enumClass(e.name))
        }
        for table in schema.tables where !table.isJoinTable {
            let entity = table.entity!
            m.imports.from("app.models.\(PythonNames.module(forEntity: entity))", import: PythonNames.entityClass(entity))
            exported.append(PythonNames.entityClass(entity))
        }
        if schema.tables.contains(where: { $0.search != nil }) {
            // Importing it registers the DDL events of the searches.
            m.imports.from("app.models.search", import: "SEARCHES")
            exported.append("SEARCHES")
        }
        m.body.append(.assign(target: "__all__", annotation: nil, value: .list(PythonImports.sortDunderAll(exported).map { .string($0) })))
        return GeneratedFile(path: "app/models/__init__.py", contents: render(m))
    }

    /// `app/models/search.py`: a `TextSearch` (app/search.py) per entity with `search:`, holding the
    /// DDL `SearchDDL` spells for the project's database and for SQLite (where the tests run unless
    /// TEST_DATABASE_URL says otherwise), and `SEARCHES`, the list Alembic's comparison reads.
    func searchModule() -> GeneratedFile {
        var m = PythonModule(
            header: generatedHeader,
            docstring: """
                Full-text search of the entities with `search:` (see app/search.py).

                The DDL is what the migrations run on each database; the DDL events run it with
                `metadata.create_all` (the tests).
                """)
        m.imports.from("app.search", import: "TextSearch")
        let dialects = dialect == .sqlite ? [Dialect.sqlite] : [dialect, .sqlite]
        var constants: [String] = []
        for table in schema.entityTables {
            guard let search = table.search, let entity = table.entity else { continue }
            let model = PythonNames.entityClass(entity)
            m.imports.from("app.models.\(PythonNames.module(forEntity: entity))", import: model)
            func statements(_ spell: (SearchDDL) -> [String]) -> PythonExpr {
                .dict(
                    dialects.compactMap { d in
                        let list = spell(SearchDDL(dialect: d))
                        return list.isEmpty ? nil : (key: .string(d.rawValue), value: .list(list.map { .string($0) }))
                    })
            }
            let constant = PythonNames.searchConstant(forEntity: entity, in: schema)
            constants.append(constant)
            let columns = search.columns.compactMap { name in
                table.column(named: name).map { PythonExpr.name(model).dot(PythonNames.attribute($0.field, in: table)) }
            }
            m.body.append(
                .assign(
                    target: constant, annotation: nil,
                    value: .name("TextSearch").call(
                        .positional(.name(model)), .positional(.list(columns)), .keyword("language", .string(search.language)),
                        .keyword("vector", .string(search.vectorColumn)),
                        .keyword("index", .string(SearchDDL(dialect: dialect).indexName(search))),
                        .keyword("create", statements { $0.create(search, on: table.name) }),
                        // PostgreSQL and MySQL drop the column and index with the table.
                        .keyword("drop", statements { $0.dialect == .sqlite ? $0.drop(search, on: table.name) : [] }))))
        }
        m.body.append(.assign(target: "SEARCHES", annotation: nil, value: .list(constants.map { .name($0) })))
        return GeneratedFile(path: "app/models/search.py", contents: render(m))
    }

    // MARK: Entity models

    func model(_ table: Table) -> GeneratedFile {
        let entity = table.entity!
        var m = PythonModule(header: generatedHeader, docstring: "The \(entity) model.")
        m.imports.from("__future__", import: "annotations")
        m.imports.from("sqlalchemy.orm", import: "Mapped", "mapped_column")
        m.imports.from("app.models.base", import: "Base")
        var body: [PythonStatement] = [.assign(target: "__tablename__", annotation: nil, value: .string(table.name))]
        let tableArgs = self.tableArgs(table, imports: &m.imports)
        if !tableArgs.isEmpty {
            body.append(.assign(target: "__table_args__", annotation: nil, value: .tuple(tableArgs + (tableArgs.count == 1 ? [] : []))))
        }
        for column in table.columns {
            body.append(columnAttribute(column, table: table, imports: &m.imports))
        }
        if table.primaryKey == nil {
            // The ORM needs an identity: a keyless table is mapped on all of its columns.
            let all = table.columns.map { PythonExpr.name(PythonNames.attribute($0.field, in: table)) }
            // An immutable mapping: ruff (RUF012) and mypy (the base declares the attribute) both accept it.
            m.imports.from("types", import: "MappingProxyType")
            body.append(
                .assign(
                    target: "__mapper_args__", annotation: nil,
                    value: .name("MappingProxyType").call(.positional(.dict([(.string("primary_key"), .list(all))])))))
        }
        var typeCheckingImports: Set<String> = []
        for relation in table.relations {
            body.append(relationshipAttribute(relation, table: table, imports: &m.imports))
            if relation.targetEntity != entity { typeCheckingImports.insert(relation.targetEntity) }
        }
        if !typeCheckingImports.isEmpty {
            m.imports.from("typing", import: "TYPE_CHECKING")
            let lines = typeCheckingImports.sorted { PythonNames.module(forEntity: $0) < PythonNames.module(forEntity: $1) }.map { entity in
                let line = "    from app.models.\(PythonNames.module(forEntity: entity)) import \(PythonNames.entityClass(entity))"
                return line.count <= 88
                    ? line
                    : "    from app.models.\(PythonNames.module(forEntity: entity)) import (\n        \(PythonNames.entityClass(entity)),\n    )"
            }
            m.body.append(.raw("if TYPE_CHECKING:\n" + lines.joined(separator: "\n")))
        }
        m.body.append(.class(PythonClass(name: PythonNames.entityClass(entity), bases: [.name("Base")], docstring: table.comment, body: body)))
        return GeneratedFile(path: "app/models/\(PythonNames.module(forEntity: entity)).py", contents: render(m))
    }

    /// Unique constraints, checks and indexes that are not expressed on a single column.
    func tableArgs(_ table: Table, imports: inout PythonImports) -> [PythonExpr] {
        var args: [PythonExpr] = []
        let keyColumns = table.primaryKey?.columns ?? []
        if keyColumns.count > 1 {
            imports.module("sqlalchemy as sa")
            args.append(.dotted("sa.PrimaryKeyConstraint").call(keyColumns.map { .positional(.string($0)) }))
        }
        for fk in table.foreignKeys where fk.columns.count > 1 {
            imports.module("sqlalchemy as sa")
            var fkArgs: [PythonArgument] = [
                .positional(.list(fk.columns.map { .string($0) })),
                .positional(.list(fk.referencedColumns.map { .string("\(fk.referencedTable).\($0)") })),
            ]
            if let a = fk.onDelete { fkArgs.append(.keyword("ondelete", .string(dialect.effective(a).sql))) }
            if let a = fk.onUpdate { fkArgs.append(.keyword("onupdate", .string(dialect.effective(a).sql))) }
            if isInCycle(fk, from: table.name) { fkArgs.append(.keyword("use_alter", .bool(true))) }
            args.append(.dotted("sa.ForeignKeyConstraint").call(fkArgs))
        }
        for unique in table.uniques {
            imports.module("sqlalchemy as sa")
            var uniqueArgs: [PythonArgument] = unique.columns.map { .positional(.string($0)) }
            if unique.name != schema.namingConvention.uniqueName(table: table.name, columns: unique.columns) {
                uniqueArgs.append(.keyword("name", .string(unique.name)))
            }
            args.append(.dotted("sa.UniqueConstraint").call(uniqueArgs))
        }
        for check in table.checks {
            imports.module("sqlalchemy as sa")
            let prefix = "ck_\(table.name)_"
            let nameExpr: PythonExpr
            if check.name.hasPrefix(prefix) {
                nameExpr = .string(String(check.name.dropFirst(prefix.count)))
            } else {
                imports.from("sqlalchemy.sql.elements", import: "conv")
                nameExpr = .name("conv").call(.positional(.string(check.name)))
            }
            // The project targets one database: use that dialect's expression (as its DDL does).
            let expression = check.expression(for: Dialect(rawValue: database.rawValue) ?? .sqlite)
            args.append(.dotted("sa.CheckConstraint").call(.positional(.string(expression)), .keyword("name", nameExpr)))
        }
        if database == .sqlite {
            for name in repeatedEnumColumns(table).sorted() {
                guard let column = table.column(named: name), case let .enumeration(e) = column.type, let enumType = schema.enumType(named: e) else {
                    continue
                }
                let values = enumType.values.map { SQLIdentifier.literal($0, for: .sqlite) }.joined(separator: ", ")
                let expression = "\(SQLIdentifier.quoted(column.name, for: .sqlite)) IN (\(values))"
                args.append(
                    .dotted("sa.CheckConstraint").call(
                        .positional(.string(expression)), .keyword("name", .string("\(column.name)_\(enumType.databaseName)"))))
            }
        }
        for index in table.indexes where !(database == .mysql && Self.isUnsupportedOnMySQL(index, in: table)) {
            imports.module("sqlalchemy as sa")
            let isConventional =
                index.expressions.isEmpty && index.name == schema.namingConvention.indexName(table: table.name, columns: index.columns)
            var indexArgs: [PythonArgument] = [.positional(isConventional ? .none : .string(index.name))]
            indexArgs += index.columns.map { .positional(.string($0)) }
            for expression in index.expressions {
                imports.module("sqlalchemy as sa")
                indexArgs.append(.positional(.dotted("sa.text").call(.positional(.string(expression)))))
            }
            if index.unique { indexArgs.append(.keyword("unique", .bool(true))) }
            if let predicate = index.predicate {
                imports.module("sqlalchemy as sa")
                indexArgs.append(.keyword("postgresql_where", .dotted("sa.text").call(.positional(.string(predicate)))))
                indexArgs.append(.keyword("sqlite_where", .dotted("sa.text").call(.positional(.string(predicate)))))
            }
            if let method = index.method, method != .btree {
                indexArgs.append(.keyword("postgresql_using", .string(method.rawValue)))
            }
            args.append(.dotted("sa.Index").call(indexArgs))
        }
        if let comment = table.comment {
            args.append(.dict([(.string("comment"), .string(comment))]))
        }
        return args
    }

    func columnAttribute(_ column: Column, table: Table, imports: inout PythonImports) -> PythonStatement {
        let keyColumns = table.primaryKey?.columns ?? []
        let isKey = keyColumns.contains(column.name)
        let isAutoKey = column.autoincrement && keyColumns == [column.name]
        let attribute = PythonNames.attribute(column.field, in: table)
        var args: [PythonArgument] = []
        if attribute != column.name { args.append(.positional(.string(column.name))) }
        if let native = types.nativeType(column, dialect: dialect, imports: &imports) {
            args.append(.positional(native))
        } else if case let .enumeration(name) = column.type, database == .sqlite, repeatedEnumColumns(table).contains(column.name) {
            // A second column of the same enum: its CHECK gets its own name in __table_args__ (as in the DDL).
            args.append(.positional(types.sqlType(column.type, imports: &imports, enumCheck: false)))
            _ = name
        } else {
            args.append(.positional(types.sqlType(column, isAutoincrementKey: isAutoKey, imports: &imports)))
        }
        if let fk = table.foreignKeys.first(where: { $0.columns == [column.name] }) {
            imports.module("sqlalchemy as sa")
            var fkArgs: [PythonArgument] = [.positional(.string("\(fk.referencedTable).\(fk.referencedColumns[0])"))]
            if let a = fk.onDelete { fkArgs.append(.keyword("ondelete", .string(dialect.effective(a).sql))) }
            if let a = fk.onUpdate { fkArgs.append(.keyword("onupdate", .string(dialect.effective(a).sql))) }
            if isInCycle(fk, from: table.name) { fkArgs.append(.keyword("use_alter", .bool(true))) }
            args.append(.positional(.dotted("sa.ForeignKey").call(fkArgs)))
        }
        if isAutoKey {
            imports.module("sqlalchemy as sa")
            args.append(.positional(.dotted("sa.Identity").call()))
        }
        if isKey, keyColumns.count == 1 { args.append(.keyword("primary_key", .bool(true))) }
        if !isKey { args.append(.keyword("nullable", .bool(column.nullable))) }
        if let d = column.defaultValue {
            if d.kind == .uuid {
                imports.module("uuid")
                args.append(.keyword("default", .dotted("uuid.uuid4")))
            }
            if let server = types.serverDefault(d, column: column, dialect: dialect, imports: &imports) {
                args.append(.keyword("server_default", server))
            }
        }
        if column.onUpdateNow {
            imports.module("sqlalchemy as sa")
            if database == .mysql, column.type == .datetime {
                // DATETIME(6): the ORM's value needs the same precision as the server's ON UPDATE.
                args.append(.keyword("onupdate", .dotted("sa.text").call(.positional(.string("CURRENT_TIMESTAMP(6)")))))
                args.append(.keyword("server_onupdate", .dotted("sa.FetchedValue").call()))
            } else {
                args.append(.keyword("onupdate", .dotted("sa.func").dot("current_timestamp").call()))
            }
        }
        if let comment = column.comment { args.append(.keyword("comment", .string(comment))) }
        var pythonType = types.pythonType(column.type, imports: &imports)
        if column.nullable { pythonType = .binary(pythonType, "|", .none) }
        return .assign(target: attribute, annotation: .subscripted(.name("Mapped"), [pythonType]), value: .name("mapped_column").call(args))
    }

    // MARK: Relationships

    /// True when the foreign key closes a cycle between tables (`use_alter`: created after the
    /// tables and dropped before them, as the DDL does).
    func isInCycle(_ fk: ForeignKey, from table: String) -> Bool {
        // The edge table -> referenced closes a cycle exactly when the referenced table reaches back.
        guard fk.referencedTable != table, let a = component[table], let b = component[fk.referencedTable] else { return false }
        return a == b
    }

    /// Foreign keys linking two tables in either direction; more than one makes a join ambiguous.
    func foreignKeyPaths(_ a: String, _ b: String) -> Int {
        let forward = schema.table(named: a)?.foreignKeys.filter { $0.referencedTable == b }.count ?? 0
        guard a != b else { return forward }
        return forward + (schema.table(named: b)?.foreignKeys.filter { $0.referencedTable == a }.count ?? 0)
    }

    func relationshipAttribute(_ relation: Relation, table: Table, imports: inout PythonImports) -> PythonStatement {
        imports.from("sqlalchemy.orm", import: "relationship")
        var args: [PythonArgument] = []
        let target = PythonExpr.name(PythonNames.entityClass(relation.targetEntity))
        let annotation: PythonExpr
        let selfReference = relation.targetTable == table.name
        // Several foreign keys between the same two tables need `foreign_keys` to tell them apart.
        func fkColumns(_ name: String, on tableName: String) -> [String] {
            schema.table(named: tableName)?.foreignKeys.first { $0.name == name }?.columns ?? []
        }
        func attributeOf(_ column: String, in tableName: String) -> String {
            PythonNames.attribute(schema.table(named: tableName)?.column(named: column)?.field ?? column, inTable: tableName, of: schema)
        }
        switch relation.kind {
        case .manyToOne, .oneToOne:
            annotation = relation.nullable ? .binary(target, "|", .none) : target
            let columns = fkColumns(relation.foreignKey, on: table.name)
            let ambiguous = foreignKeyPaths(table.name, relation.targetTable) > 1 || selfReference
            if ambiguous {
                args.append(.keyword("foreign_keys", .list(columns.map { .name(attributeOf($0, in: table.name)) })))
            }
            if selfReference {
                let key = schema.table(named: relation.targetTable)?.foreignKeys.first { $0.name == relation.foreignKey }?.referencedColumns ?? ["id"]
                args.append(.keyword("remote_side", .list(key.map { .name(attributeOf($0, in: table.name)) })))
            }
        case .oneToMany, .oneToOneInverse:
            let isCollection = relation.kind == .oneToMany
            annotation = isCollection ? .subscripted(.name("list"), [target]) : .binary(target, "|", .none)
            let fk = schema.table(named: relation.targetTable)?.foreignKeys.first { $0.name == relation.foreignKey }
            let childTable = relation.targetTable
            let ambiguous = foreignKeyPaths(table.name, childTable) > 1
            if ambiguous {
                let columns = fk?.columns ?? []
                let refs = columns.map { "\(PythonNames.entityClass(relation.targetEntity)).\(attributeOf($0, in: childTable))" }
                args.append(.keyword("foreign_keys", .string(refs.count == 1 ? refs[0] : "[" + refs.joined(separator: ", ") + "]")))
            }
            if !isCollection { args.append(.keyword("uselist", .bool(false))) }
            switch fk?.onDelete {
            case .cascade?:
                args.append(.keyword("cascade", .string("all, delete-orphan")))
                args.append(.keyword("passive_deletes", .bool(true)))
            case .setNull?, .setDefault?:
                args.append(.keyword("passive_deletes", .bool(true)))
            default:
                // RESTRICT / NO ACTION: leave the rows alone so the database decides (and refuses).
                args.append(.keyword("passive_deletes", .string("all")))
            }
        case .manyToMany:
            annotation = .subscripted(.name("list"), [target])
            args.append(.keyword("secondary", .string(relation.joinTable ?? "")))
            if selfReference, let joinTable = relation.joinTable {
                let own = fkColumns(relation.foreignKey, on: joinTable)
                let other = fkColumns(relation.targetForeignKey ?? "", on: joinTable)
                let key = schema.table(named: joinTable)?.foreignKeys.first { $0.name == relation.foreignKey }?.referencedColumns ?? ["id"]
                let ownAttr = key.map { attributeOf($0, in: table.name) }
                let entity = PythonNames.entityClass(table.entity ?? "")
                let primary = zip(ownAttr, own).map { "\(entity).\($0) == \(joinTable).c.\($1)" }
                let secondary = zip(ownAttr, other).map { "\(entity).\($0) == \(joinTable).c.\($1)" }
                args.append(.keyword("primaryjoin", .string(primary.count == 1 ? primary[0] : "and_(" + primary.joined(separator: ", ") + ")")))
                args.append(
                    .keyword("secondaryjoin", .string(secondary.count == 1 ? secondary[0] : "and_(" + secondary.joined(separator: ", ") + ")")))
            }
            if relation.throughEntity != nil {
                // The association entity owns the rows; this is a read-only shortcut through it.
                args.append(.keyword("viewonly", .bool(true)))
            }
        }
        if let back = relation.back, relation.throughEntity == nil || relation.kind != .manyToMany {
            args.insert(.keyword("back_populates", .string(PythonNames.attribute(back, inTable: relation.targetTable, of: schema))), at: 0)
        } else if relation.throughEntity != nil, let back = relation.back {
            _ = back
        }
        args.append(.keyword("lazy", .string("raise")))
        return .assign(
            target: PythonNames.attribute(relation.name, in: table), annotation: .subscripted(.name("Mapped"), [annotation]),
            value: .name("relationship").call(args))
    }
}
