import SchemaModel

/// What the API layer needs to know about one entity table, derived once from the IR.
struct EntityView {
    let schema: Schema
    let table: Table
    var entity: String { table.entity ?? table.name }
    var module: String { PythonNames.module(forEntity: entity) }
    /// URL segment: `order_lines` -> `/order-lines`.
    var routePrefix: String { "/" + PythonNames.plural(Identifiers.snakeCase(entity)).replacingOccurrences(of: "_", with: "-") }
    var tag: String { PythonNames.plural(Identifiers.snakeCase(entity)) }

    var keyColumns: [Column] { (table.primaryKey?.columns ?? []).compactMap { table.column(named: $0) } }
    var hasKey: Bool { !keyColumns.isEmpty }

    func attribute(_ column: Column) -> String { PythonNames.attribute(column.field) }

    /// Columns a client sends on create: everything but autoincrement keys and `timestamps`.
    var writableColumns: [Column] {
        table.columns.filter { column in
            !(column.autoincrement && keyColumns.count == 1 && keyColumns[0].name == column.name)
                && !(column.defaultValue?.kind == .now && (column.name == "created_at" || column.name == "updated_at") && column.field == column.name && isTimestamp(column))
        }
    }

    private func isTimestamp(_ column: Column) -> Bool {
        column.type == .datetime && (column.name == "created_at" || column.onUpdateNow)
    }

    /// Columns returned to clients: all but `sensitive` ones.
    var readableColumns: [Column] { table.columns.filter { !$0.sensitive } }

    /// Many-to-many relations whose target has a single-column key (exposed as refs and id lists).
    var manyToMany: [Relation] {
        table.relations.filter { relation in
            relation.kind == .manyToMany && (schema.table(named: relation.targetTable)?.primaryKey?.columns.count ?? 0) == 1
        }
    }

    /// Many-to-many relations read as `{key}` references (the default `read: ids`).
    var referencedManyToMany: [Relation] { manyToMany.filter { $0.read != .nested } }

    /// Relations read as the related objects' own fields (`read: nested`), of any kind.
    var nestedRelations: [Relation] {
        table.relations.filter { $0.read == .nested && schema.table(named: $0.targetTable) != nil }
    }

    /// The relations every response includes, loaded up front: references and nested objects.
    var loadedRelations: [Relation] {
        var names: Set<String> = []
        return (referencedManyToMany + nestedRelations).filter { names.insert($0.name).inserted }
    }

    /// Implicit (writable) many-to-many relations.
    var writableManyToMany: [Relation] { manyToMany.filter { $0.throughEntity == nil } }

    func targetKey(_ relation: Relation) -> Column? {
        guard let target = schema.table(named: relation.targetTable), let key = target.primaryKey?.columns.first else { return nil }
        return target.column(named: key)
    }

    /// Columns clients can filter the list on: those that lead an index, a unique or a foreign key.
    var filterColumns: [Column] {
        var names: [String] = []
        let leading = table.indexes.filter { $0.predicate == nil }.compactMap(\.columns.first)
            + table.uniques.compactMap(\.columns.first) + table.foreignKeys.compactMap(\.columns.first)
        for name in leading where !names.contains(name) { names.append(name) }
        return names.compactMap { table.column(named: $0) }.filter { column in
            guard !column.sensitive else { return false }
            switch column.type {
            case .json, .bytes, .array, .text: return false
            default: return true
            }
        }
    }

    /// Columns the list can be sorted by.
    var sortColumns: [Column] {
        readableColumns.filter { column in
            switch column.type {
            case .json, .bytes, .array: return false
            default: return true
            }
        }
    }
}
