import SchemaModel

/// What the API layer needs to know about one entity table, derived from the IR. Names, keys and
/// relation lists are computed when the view is made (the generators read them many times); the
/// column lists are computed on each use: `Column` is large, and storing filtered copies of it for
/// every view costs more than filtering again.
struct EntityView {
    let schema: Schema
    let table: Table
    let entity: String
    let module: String
    /// URL segment: `order_lines` -> `/order-lines`.
    let routePrefix: String
    let tag: String

    let keyColumns: [Column]
    var hasKey: Bool { !keyColumns.isEmpty }

    /// Many-to-many relations whose target has a single-column key (exposed as refs and id lists).
    let manyToMany: [Relation]
    /// Many-to-many relations read as `{key}` references (the default `read: ids`).
    let referencedManyToMany: [Relation]
    /// Relations read as the related objects' own fields (`read: nested`), of any kind.
    let nestedRelations: [Relation]
    /// The relations every response includes, loaded up front: references and nested objects.
    let loadedRelations: [Relation]
    /// Implicit (writable) many-to-many relations.
    let writableManyToMany: [Relation]
    /// On the auth user: the column that stores the password hash (clients send `password`).
    let passwordColumn: Column?

    init(schema: Schema, table: Table) {
        self.schema = schema
        self.table = table
        let entity = table.entity ?? table.name
        self.entity = entity
        self.module = PythonNames.module(forEntity: entity)
        let tag = PythonNames.plural(Identifiers.snakeCase(entity))
        self.tag = tag
        self.routePrefix = "/" + FastText.replacing("_", with: "-", in: tag)
        let keyColumns = (table.primaryKey?.columns ?? []).compactMap { table.column(named: $0) }
        self.keyColumns = keyColumns
        let manyToMany = table.relations.filter { relation in
            relation.kind == .manyToMany && (schema.table(named: relation.targetTable)?.primaryKey?.columns.count ?? 0) == 1
        }
        self.manyToMany = manyToMany
        let referencedManyToMany = manyToMany.filter { $0.read != .nested }
        self.referencedManyToMany = referencedManyToMany
        let nestedRelations = table.relations.filter { $0.read == .nested && schema.table(named: $0.targetTable) != nil }
        self.nestedRelations = nestedRelations
        var loaded: Set<String> = []
        self.loadedRelations = (referencedManyToMany + nestedRelations).filter { loaded.insert($0.name).inserted }
        self.writableManyToMany = manyToMany.filter { $0.throughEntity == nil }
        self.passwordColumn = schema.auth.flatMap { auth in auth.user == entity ? table.columns.first { $0.field == auth.password } : nil }
    }

    /// What clients send in place of the password hash: `password`, 8 to 128 characters.
    static let passwordInput = Column(
        name: "password", type: .string(length: 128), validation: Validation(minLength: 8, maxLength: 128))

    func attribute(_ column: Column) -> String { PythonNames.attribute(column.field, in: table) }

    /// Columns a client sends on create: everything but autoincrement keys and `timestamps`; on
    /// the auth user, `password` in place of the hash.
    var writableColumns: [Column] {
        let singleKey = keyColumns.count == 1 ? keyColumns[0].name : nil
        let columns = table.columns.filter { column in
            !(column.autoincrement && column.name == singleKey)
                && !(column.defaultValue?.kind == .now && (column.name == "created_at" || column.name == "updated_at") && column.field == column.name
                    && Self.isTimestamp(column))
        }
        guard let passwordColumn else { return columns }
        return columns.map { $0.name == passwordColumn.name ? Self.passwordInput : $0 }
    }

    /// Columns returned to clients: all but `sensitive` ones.
    var readableColumns: [Column] { table.columns.filter { !$0.sensitive } }

    /// Columns clients can filter the list on: those that lead an index, a unique or a foreign key
    /// (unless `filterable: false`), then those marked `filterable: true`, in declaration order.
    var filterColumns: [Column] {
        var names: [String] = []
        let leading =
            table.indexes.filter { $0.predicate == nil }.compactMap(\.columns.first)
            + table.uniques.compactMap(\.columns.first) + table.foreignKeys.compactMap(\.columns.first)
        for name in leading where !names.contains(name) { names.append(name) }
        let indexed = names.compactMap { table.column(named: $0) }.filter { column in
            guard !column.sensitive, column.encrypted != true, column.filterable != false else { return false }
            switch column.type {
            case .json, .bytes, .array, .text: return false
            default: return true
            }
        }
        return indexed + table.columns.filter { $0.filterable == true && !names.contains($0.name) }
    }

    /// Columns the list can be sorted by (not sensitive or encrypted ones).
    var sortColumns: [Column] {
        table.columns.filter { column in
            guard !column.sensitive, column.encrypted != true else { return false }
            switch column.type {
            case .json, .bytes, .array: return false
            default: return true
            }
        }
    }

    /// Whether a column is one of the `timestamps` the database maintains.
    private static func isTimestamp(_ column: Column) -> Bool {
        column.type == .datetime && (column.name == "created_at" || column.onUpdateNow)
    }

    func targetKey(_ relation: Relation) -> Column? {
        guard let target = schema.table(named: relation.targetTable), let key = target.primaryKey?.columns.first else { return nil }
        return target.column(named: key)
    }
}
