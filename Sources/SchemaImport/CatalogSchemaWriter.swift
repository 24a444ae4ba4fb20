import SchemaModel

/// Writes an `ImportedCatalog` as a Schemaforge schema: entities named after their tables (singular,
/// PascalCase; `table:` where the convention would give another name), every column as a field
/// (snake case; `column:` where the name differs), foreign keys as relations with `back` names that
/// collide with nothing, enum types, defaults as the schema language says them, uniques, checks and
/// indexes with their names. What does not fit is a located warning.
struct CatalogSchemaWriter {
    private(set) var catalog: ImportedCatalog
    let file: String
    let name: String
    private(set) var diagnostics = DiagnosticBag()
    private(set) var relationCount = 0
    private(set) var enumCount = 0
    /// Keys backed by a sequence default (`serial`), which the schema creates as identity columns.
    private var serialKeys: [(String, Int)] = []

    init(catalog: ImportedCatalog, file: String, name: String) {
        var catalog = catalog
        // Primary-key columns are NOT NULL whether or not the source says so.
        for t in catalog.tables.indices {
            for key in catalog.tables[t].primaryKey {
                if let c = catalog.tables[t].column(named: key, dialect: catalog.dialect) { catalog.tables[t].columns[c].nullable = false }
            }
        }
        self.file = file
        self.name = name
        self.catalog = catalog
        shortenLongNames()
    }

    /// Names longer than PostgreSQL's 63 bytes (MySQL allows 64, SQLite any) do not fit every
    /// database a schema targets: shortened as the resolver shortens derived names, everywhere they
    /// are used, with a warning each.
    private mutating func shortenLongNames() {
        let limit = Identifiers.maxExplicitLength
        func short(_ name: String, _ what: String, line: Int) -> String {
            guard name.utf8.count > limit else { return name }
            let shortened = Identifiers.derived(name)
            diagnostics.warning(
                "\(what) name '\(name)' is \(name.utf8.count) bytes long, more than PostgreSQL's \(limit); it is imported as '\(shortened)'",
                at: SourceLocation(file: file, line: line, column: 1))
            return shortened
        }
        var tableNames: [String: String] = [:]
        for table in catalog.tables { tableNames[table.name] = short(table.name, "table", line: table.line) }
        for t in catalog.tables.indices {
            var table = catalog.tables[t]
            var columnNames: [String: String] = [:]
            for c in table.columns.indices {
                let renamed = short(table.columns[c].name, "column", line: table.columns[c].line)
                columnNames[table.columns[c].name] = renamed
                table.columns[c].name = renamed
            }
            func column(_ name: String) -> String { columnNames[name] ?? name }
            table.name = tableNames[table.name] ?? table.name
            table.primaryKey = table.primaryKey.map(column)
            for u in table.uniques.indices {
                table.uniques[u].columns = table.uniques[u].columns.map(column)
                table.uniques[u].name = table.uniques[u].name.map { short($0, "constraint", line: table.uniques[u].line) }
            }
            for x in table.indexes.indices {
                table.indexes[x].elements = table.indexes[x].elements.map {
                    if case let .column(c) = $0 { return .column(column(c)) } else { return $0 }
                }
                table.indexes[x].name = table.indexes[x].name.map { short($0, "index", line: table.indexes[x].line) }
            }
            for f in table.foreignKeys.indices { table.foreignKeys[f].columns = table.foreignKeys[f].columns.map(column) }
            catalog.tables[t] = table
        }
        // Referenced tables and their columns, now that every table has its new names.
        let renamedColumns = Dictionary(
            uniqueKeysWithValues: catalog.tables.map { table in
                (table.name, Set(table.columns.map(\.name)))
            })
        for t in catalog.tables.indices {
            for f in catalog.tables[t].foreignKeys.indices {
                let fk = catalog.tables[t].foreignKeys[f]
                let target = tableNames[fk.referencedTable] ?? fk.referencedTable
                catalog.tables[t].foreignKeys[f].referencedTable = target
                catalog.tables[t].foreignKeys[f].referencedColumns = fk.referencedColumns.map { name in
                    guard name.utf8.count > limit, renamedColumns[target]?.contains(Identifiers.derived(name)) ?? false else { return name }
                    return Identifiers.derived(name)
                }
            }
        }
    }

    private var dialect: Dialect { catalog.dialect }

    private mutating func warn(_ message: String, line: Int) {
        diagnostics.warning(message, at: SourceLocation(file: file, line: line, column: 1))
    }

    /// One entity being written.
    private struct Entity {
        var name: String
        var table: ImportedTable
        /// Field name per column (same order as the table's columns).
        var fieldNames: [String]
        var types: [FieldType]
        /// Names taken in the entity's Python namespace: fields, relations, backs.
        var taken: Set<String>
        var relations: [(String, [(String, YAMLValue)])] = []
        /// Columns used by a relation already (a column can serve one relation only).
        var relationColumns: Set<String> = []
        /// The columns of each foreign-key relation, by relation name.
        var relationKeys: [String: Set<String>] = [:]
    }

    // MARK: Names

    /// `film_actor` -> `FilmActor`; `users` -> `User`.
    static func entityName(forTable table: String) -> String {
        let snake = Identifiers.snakeCase(sanitized(table))
        let singular = EnglishPlural.singular(snake)
        let words = singular.split(separator: "_").filter { !$0.isEmpty }
        var name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if name.isEmpty || name.first!.isNumber { name = "T" + name }
        return name
    }

    /// `invoice-status` -> `InvoiceStatus`.
    static func pascalCase(_ name: String) -> String {
        let words = Identifiers.snakeCase(sanitized(name)).split(separator: "_").filter { !$0.isEmpty }
        let pascal = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return pascal.isEmpty || pascal.first!.isNumber ? "T" + pascal : pascal
    }

    /// A name reduced to letters, digits and `_` (`first-name` -> `first_name`).
    static func sanitized(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("_") {
                out += "_"
            }
        }
        while out.hasSuffix("_") && out.count > 1 { out.removeLast() }
        return out.isEmpty ? "x" : out
    }

    /// A column's field name: its snake case, made a valid identifier.
    static func fieldName(forColumn column: String) -> String {
        var name = Identifiers.snakeCase(sanitized(column))
        if let first = name.unicodeScalars.first, ("0"..."9").contains(first) { name = "f_" + name }
        return name
    }

    /// `base`, or `base_2`, `base_3`, ... : the first not in `taken` (which it joins).
    static func allocate(_ base: String, in taken: inout Set<String>) -> String {
        var candidate = base
        var n = 2
        while taken.contains(candidate.lowercased()) {
            candidate = "\(base)_\(n)"
            n += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }

    // MARK: Writing

    mutating func write() -> [String] {
        // Enums: PostgreSQL types by name, MySQL inline ENUM(...) columns as enums of their own.
        var takenTypeNames = Set(ColumnType.scalarNames.map { $0.lowercased() }).union(ColumnType.aliases.keys)
        var enumEntries: [(String, YAMLValue)] = []
        var enumNames: [String: String] = [:]
        for e in catalog.enums {
            // PascalCase, not singular: an enum names a set of values (`OrderStatus`).
            let enumName = Self.allocate(Self.pascalCase(e.name), in: &takenTypeNames)
            enumNames[SQLNames.key(e.name, dialect: dialect)] = enumName
            let values = YAMLValue.flowSequence(e.values.map(YAMLValue.string))
            if Identifiers.snakeCase(enumName) == e.name {
                enumEntries.append((enumName, values))
            } else {
                enumEntries.append((enumName, .flowMapping([("values", values), ("type", .string(e.name))])))
            }
        }

        // Entities and their fields.
        var takenEntityNames = takenTypeNames
        var entities: [Entity] = []
        var entityByTable: [String: Int] = [:]
        for table in catalog.tables {
            let name = Self.allocate(Self.entityName(forTable: table.name), in: &takenEntityNames)
            var taken: Set<String> = []
            var fieldNames: [String] = []
            var types: [FieldType] = []
            for column in table.columns {
                fieldNames.append(Self.allocate(Self.fieldName(forColumn: column.name), in: &taken))
                var mapper = ImportedTypeMapper(dialect: dialect, enumNames: enumNames, domains: catalog.domains)
                if column.type.name == "enum", dialect == .mysql {
                    // An inline MySQL ENUM: an enum of its own, named after table and column.
                    let values = column.type.arguments.map(Self.unquotedLiteral)
                    let enumName = Self.allocate(name + Self.entityName(forTable: column.name), in: &takenTypeNames)
                    takenEntityNames.insert(enumName.lowercased())
                    enumEntries.append((enumName, .flowSequence(values.map(YAMLValue.string))))
                    mapper = ImportedTypeMapper(dialect: dialect, enumNames: ["enum": enumName], domains: [:])
                }
                types.append(mapper.fieldType(column.type))
            }
            entityByTable[SQLNames.key(table.name, dialect: dialect)] = entities.count
            entities.append(Entity(name: name, table: table, fieldNames: fieldNames, types: types, taken: taken))
        }

        // Index and constraint names are one namespace in a schema (as in PostgreSQL); MySQL names
        // indexes per table, so a name used twice is made unique with its table's name.
        var takenConstraintNames: Set<String> = []
        for i in entities.indices {
            func unique(_ name: String?, line: Int) -> String? {
                guard let name else { return nil }
                if takenConstraintNames.insert(name.lowercased()).inserted { return name }
                let renamed = Self.allocate(Identifiers.derived("\(entities[i].table.name)_\(name)"), in: &takenConstraintNames)
                warn("index or constraint name '\(name)' is used by another table too; it is imported as '\(renamed)'", line: line)
                return renamed
            }
            for u in entities[i].table.uniques.indices {
                entities[i].table.uniques[u].name = unique(entities[i].table.uniques[u].name, line: entities[i].table.uniques[u].line)
            }
            for x in entities[i].table.indexes.indices {
                entities[i].table.indexes[x].name = unique(entities[i].table.indexes[x].name, line: entities[i].table.indexes[x].line)
            }
        }

        // Relations from foreign keys; their back names once every relation name is known.
        var backs: [(target: Int, source: Int, relation: String, kind: String, hint: String?)] = []
        for i in entities.indices {
            for fk in entities[i].table.foreignKeys {
                guard let target = entityByTable[SQLNames.key(fk.referencedTable, dialect: dialect)] else {
                    warn(
                        "foreign key \(fk.name.map { "'\($0)' " } ?? "")of '\(entities[i].table.name)' references '\(fk.referencedTable)', which is not a table of this script; the column is kept without the foreign key",
                        line: fk.line)
                    continue
                }
                if let relation = relation(for: fk, of: i, to: target, entities: &entities) {
                    backs.append((target, i, relation.name, relation.kind, fk.backName.map(Self.fieldName(forColumn:))))
                }
            }
        }
        for back in backs {
            let source = entities[back.source]
            let snake = Identifiers.snakeCase(source.name)
            let base = back.kind == "one_to_one" ? snake : EnglishPlural.plural(snake)
            var taken = entities[back.target].taken
            let siblings = backs.filter { $0.target == back.target && $0.source == back.source }.count
            // The source's own name for it (Prisma's back field), or one made from the entity.
            let name = Self.allocate(back.hint ?? (siblings > 1 ? "\(base)_by_\(back.relation)" : base), in: &taken)
            entities[back.target].taken = taken
            if let r = entities[back.source].relations.firstIndex(where: { $0.0 == back.relation }) {
                entities[back.source].relations[r].1.insert(("back", .string(name)), at: 2)
            }
        }

        addManyToMany(backs: backs, entities: &entities)
        enumCount = enumEntries.count
        reportRenamedConstraints(entities.map(\.table))
        var out: [String] = []
        out.append("schema: 1")
        out.append("name: \(YAMLText.scalar(name))")
        if !enumEntries.isEmpty { YAMLValue.block(enumEntries).render(key: "enums", indent: 0, into: &out) }
        out.append("entities:")
        for entity in entities { out += render(entity) }
        if let first = serialKeys.first {
            warn(
                "\(serialKeys.count) key column(s) (the first: '\(first.0)') use a sequence default (serial); the schema creates autoincrementing keys as identity columns (GENERATED BY DEFAULT AS IDENTITY), which Alembic sees as a change on this database",
                line: first.1)
        }
        return out
    }

    /// A table whose key is exactly two foreign keys links their tables: a many-to-many `through`
    /// it on the first one's side (`film_actor` -> `Actor.films`, `back: actors`), named after the
    /// two relations. The table stays an entity with its own columns; nothing in the DDL changes.
    private mutating func addManyToMany(backs: [(target: Int, source: Int, relation: String, kind: String, hint: String?)], entities: inout [Entity])
    {
        for j in entities.indices {
            let key = Set(entities[j].table.primaryKey.map { SQLNames.key($0, dialect: dialect) })
            let links = backs.filter { $0.source == j && $0.kind == "many_to_one" }
            guard links.count == 2, key.count >= 2,
                let first = entities[j].relationKeys[links[0].relation], let second = entities[j].relationKeys[links[1].relation],
                first.isDisjoint(with: second), first.union(second) == key
            else { continue }
            let a = links[0].target, b = links[1].target
            var takenA = entities[a].taken
            let name = Self.allocate(EnglishPlural.plural(links[1].relation), in: &takenA)
            entities[a].taken = takenA
            var takenB = entities[b].taken
            let back = Self.allocate(EnglishPlural.plural(links[0].relation), in: &takenB)
            entities[b].taken = takenB
            if a == b { entities[a].taken.insert(back.lowercased()) }
            entities[a].relations.append(
                (
                    name,
                    [
                        ("to", .string(entities[b].name)), ("kind", .string("many_to_many")), ("through", .string(entities[j].name)),
                        ("back", .string(back)),
                    ]
                ))
            relationCount += 1
        }
    }

    /// The names the schema language cannot keep: one warning with the count, at the first one.
    private mutating func reportRenamedConstraints(_ tables: [ImportedTable]) {
        let convention = NamingConvention.standard
        var renamed: [(String, Int)] = []
        for table in tables {
            if let name = table.primaryKeyName, name != convention.primaryKeyName(table: table.name) { renamed.append((name, table.line)) }
            for fk in table.foreignKeys {
                guard let name = fk.name else { continue }
                if name != convention.foreignKeyName(table: table.name, columns: fk.columns, referredTable: fk.referencedTable) {
                    renamed.append((name, fk.line))
                }
            }
            for check in table.checks where check.name != nil { renamed.append((check.name!, check.line)) }
        }
        guard let first = renamed.first else { return }
        warn(
            "\(renamed.count) primary-key, foreign-key and check constraint name(s) (the first: '\(first.0)') are not kept: the schema names them by its convention (pk_<table>, fk_<table>_<columns>_<referenced table>, ck_<table>_<name>); index and unique constraint names are kept",
            line: first.1)
    }

    static func unquotedLiteral(_ text: String) -> String {
        var t = text.trimmingCharacters(in: " ")
        if t.hasPrefix("'"), t.hasSuffix("'"), t.count >= 2 { t = String(t.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'") }
        return t
    }

    private mutating func relation(for fk: ImportedForeignKey, of i: Int, to target: Int, entities: inout [Entity]) -> (name: String, kind: String)? {
        var fk = fk
        // A composite key referenced in another order than its unique constraint's: both sides
        // in the constraint's order (MySQL needs an index whose columns lead in that order).
        if fk.columns.count > 1, fk.columns.count == fk.referencedColumns.count {
            let target = entities[target].table
            let keys = fk.referencedColumns.map { SQLNames.key($0, dialect: dialect) }
            let orders = [target.primaryKey] + target.uniques.map(\.columns)
            if let order = orders.first(where: { Set($0.map { SQLNames.key($0, dialect: dialect) }) == Set(keys) }),
                order.map({ SQLNames.key($0, dialect: dialect) }) != keys
            {
                let pairs = Dictionary(zip(keys, fk.columns), uniquingKeysWith: { a, _ in a })
                fk.columns = order.compactMap { pairs[SQLNames.key($0, dialect: dialect)] }
                fk.referencedColumns = order
            }
        }
        let table = entities[i].table
        var targetTable = entities[target].table
        let columnIndexes = fk.columns.compactMap { table.column(named: $0, dialect: dialect) }
        let referenced = fk.referencedColumns.isEmpty ? targetTable.primaryKey : fk.referencedColumns
        let referencedIndexes = referenced.compactMap { targetTable.column(named: $0, dialect: dialect) }
        func drop(_ why: String) -> (name: String, kind: String)? {
            warn(
                "foreign key \(fk.name.map { "'\($0)' " } ?? "")of '\(table.name)' (\(fk.columns.joined(separator: ", "))) is not imported: \(why)",
                line: fk.line)
            return nil
        }
        guard columnIndexes.count == fk.columns.count, !fk.columns.isEmpty else { return drop("a column is missing") }
        guard referencedIndexes.count == referenced.count, referenced.count == fk.columns.count else {
            return drop("the referenced columns are not found in '\(targetTable.name)'")
        }
        let columnKeys = fk.columns.map { SQLNames.key($0, dialect: dialect) }
        guard entities[i].relationColumns.isDisjoint(with: columnKeys) else {
            return drop("its columns already belong to another foreign key (a column can hold one relation)")
        }
        for (c, r) in zip(columnIndexes, referencedIndexes) where entities[i].types[c].portable != entities[target].types[r].portable {
            return drop(
                "'\(table.columns[c].name)' is \(entities[i].types[c].type) but '\(targetTable.name).\(targetTable.columns[r].name)' is \(entities[target].types[r].type)"
            )
        }
        // References the primary key, or another unique set of columns (`references:`).
        let referencesKey = referenced.map { SQLNames.key($0, dialect: dialect) } == targetTable.primaryKey.map { SQLNames.key($0, dialect: dialect) }
        if !referencesKey {
            let referencedKeys = Set(referenced.map { SQLNames.key($0, dialect: dialect) })
            let isUnique =
                targetTable.uniques.contains { Set($0.columns.map { SQLNames.key($0, dialect: dialect) }) == referencedKeys }
                || targetTable.indexes.contains { index in
                    index.unique && index.whereClause == nil
                        && Set(
                            index.elements.compactMap { if case let .column(c) = $0 { return SQLNames.key(c, dialect: dialect) } else { return nil } }
                        )
                            == referencedKeys
                }
            guard isUnique else { return drop("the referenced columns are neither the primary key nor unique in '\(targetTable.name)'") }
            // A unique index that a foreign key needs is written as a unique constraint (the schema's
            // relations reference those); it keeps its name.
            if !targetTable.uniques.contains(where: { Set($0.columns.map { SQLNames.key($0, dialect: dialect) }) == referencedKeys }),
                let n = targetTable.indexes.firstIndex(where: { index in
                    index.unique && index.whereClause == nil
                        && Set(
                            index.elements.compactMap { if case let .column(c) = $0 { return SQLNames.key(c, dialect: dialect) } else { return nil } }
                        )
                            == referencedKeys
                })
            {
                let index = targetTable.indexes.remove(at: n)
                var columns: [String] = []
                for case let .column(c) in index.elements { columns.append(c) }
                targetTable.uniques.append(ImportedUnique(name: index.name, columns: columns, line: index.line))
                entities[target].table = targetTable
            }
        }
        // One-to-one when the columns are unique on their own.
        let keySet = Set(columnKeys)
        let unique =
            table.uniques.contains { Set($0.columns.map { SQLNames.key($0, dialect: dialect) }) == keySet }
            || Set(table.primaryKey.map { SQLNames.key($0, dialect: dialect) }) == keySet
        let kind = unique ? "one_to_one" : "many_to_one"

        // The relation's name: the column without its `_id` suffix, or the target's name.
        var base = Identifiers.snakeCase(entities[target].name)
        if let hint = fk.relationName {
            base = Self.fieldName(forColumn: hint)
        } else if fk.columns.count == 1 {
            let field = entities[i].fieldNames[columnIndexes[0]]
            for suffix in ["_id", "_uuid", "_key", "_code", "_fk", "_ref"] where field.hasSuffix(suffix) && field.count > suffix.count {
                base = String(field.dropLast(suffix.count))
                break
            }
        }
        let name = Self.allocate(base, in: &entities[i].taken)
        var entries: [(String, YAMLValue)] = [("to", .string(entities[target].name)), ("kind", .string(kind))]
        if fk.columns.count == 1 {
            entries.append(("column", .string(table.columns[columnIndexes[0]].name)))
        } else {
            entries.append(("columns", .flowSequence(columnIndexes.map { .string(table.columns[$0].name) })))
        }
        if !referencesKey {
            entries.append(("references", .flowSequence(referencedIndexes.map { .string(entities[target].fieldNames[$0]) })))
        }
        if columnIndexes.contains(where: { table.columns[$0].nullable }) { entries.append(("nullable", .literal("true"))) }
        // The schema indexes a foreign key unless a key, unique or index starts with its columns; the
        // script may not have one, and the import adds nothing the script does not have.
        let leading = fk.columns.map { SQLNames.key($0, dialect: dialect) }
        func starts(_ columns: [String]) -> Bool { Array(columns.map { SQLNames.key($0, dialect: dialect) }.prefix(leading.count)) == leading }
        let indexed =
            starts(table.primaryKey) || table.uniques.contains { starts($0.columns) }
            || table.indexes.contains { index in
                starts(index.elements.compactMap { if case let .column(c) = $0 { return c } else { return nil } })
            }
        if !indexed, dialect != .mysql { entries.append(("index", .literal("false"))) }
        let nullable = columnIndexes.contains(where: { table.columns[$0].nullable })
        for (key, action) in [("on_delete", fk.onDelete), ("on_update", fk.onUpdate)] {
            guard let action = Self.action(action) else { continue }
            if action == "set_null", !nullable {
                warn(
                    "foreign key \(fk.name.map { "'\($0)' " } ?? "")of '\(table.name)': \(key.uppercased().replacingOccurrences(of: "_", with: " ")) SET NULL on NOT NULL columns can never succeed; it is imported without the action",
                    line: fk.line)
                continue
            }
            entries.append((key, .string(action)))
        }
        if fk.deferrable {
            warn("foreign key \(fk.name.map { "'\($0)' " } ?? "")of '\(table.name)' is DEFERRABLE; it is imported as immediate", line: fk.line)
        }
        entities[i].relations.append((name, entries))
        entities[i].relationColumns.formUnion(columnKeys)
        entities[i].relationKeys[name] = Set(columnKeys)
        relationCount += 1
        return (name, kind)
    }

    /// `SET NULL` -> `set_null`; `NO ACTION` and no action at all are the default (nothing written).
    static func action(_ action: ImportedAction?) -> String? {
        guard let action, action != "NO ACTION" else { return nil }
        return action.lowercased().replacingOccurrences(of: " ", with: "_")
    }

    private mutating func render(_ entity: Entity) -> [String] {
        let table = entity.table
        var entries: [(String, YAMLValue)] = []
        if Identifiers.snakeCase(entity.name) != table.name { entries.append(("table", .string(table.name))) }
        if let comment = table.comment { entries.append(("comment", .string(comment))) }
        let pk = table.primaryKey.compactMap { table.column(named: $0, dialect: dialect) }
        if pk.isEmpty {
            entries.append(("primary_key", .literal("false")))
        } else if pk.count > 1 {
            entries.append(("primary_key", .flowSequence(pk.map { .string(entity.fieldNames[$0]) })))
        }
        var fields: [(String, YAMLValue)] = []
        for (c, column) in table.columns.enumerated() {
            fields.append(
                (entity.fieldNames[c], fieldValue(column, field: entity.fieldNames[c], type: entity.types[c], isKey: pk == [c], table: table)))
        }
        entries.append(("fields", .block(fields)))
        if !entity.relations.isEmpty {
            entries.append(("relations", .block(entity.relations.map { ($0.0, YAMLValue.flowMapping($0.1)) })))
        }
        let uniques = table.uniques.compactMap { unique -> YAMLValue? in
            let fields = unique.columns.compactMap { table.column(named: $0, dialect: dialect).map { entity.fieldNames[$0] } }
            guard fields.count == unique.columns.count, !(unique.columns.count == 1 && pk.count == 1 && fields == [entity.fieldNames[pk[0]]]) else {
                return nil
            }
            var spec: [(String, YAMLValue)] = [("fields", .flowSequence(fields.map(YAMLValue.string)))]
            if let name = unique.name { spec.append(("name", .string(name))) }
            return .flowMapping(spec)
        }
        if !uniques.isEmpty { entries.append(("unique", .flowSequence(uniques))) }
        var indexes: [YAMLValue] = []
        for index in table.indexes {
            var spec: [(String, YAMLValue)] = []
            let columns = index.elements.compactMap { element -> String? in
                if case let .column(c) = element { return table.column(named: c, dialect: dialect).map { entity.fieldNames[$0] } }
                return nil
            }
            if columns.count == index.elements.count {
                spec.append(("fields", .flowSequence(columns.map(YAMLValue.string))))
            } else {
                let expressions = index.elements.map { element -> String in
                    switch element {
                    case let .column(c): return SQLIdentifier.quoted(c, for: dialect)
                    case let .expression(e): return e
                    }
                }
                spec.append(("expressions", .flowSequence(expressions.map(YAMLValue.quoted))))
            }
            if index.unique { spec.append(("unique", .literal("true"))) }
            if let whereClause = index.whereClause { spec.append(("where", .quoted(whereClause))) }
            if let method = index.method, method != "btree" {
                if ["gin", "gist", "hash", "brin", "spgist"].contains(method) {
                    spec.append(("method", .string(method)))
                } else {
                    warn("index '\(index.name ?? "?")' on '\(table.name)' uses method \(method); it is imported as a default index", line: index.line)
                }
            }
            if let name = index.name { spec.append(("name", .string(name))) }
            indexes.append(.flowMapping(spec))
        }
        if !indexes.isEmpty { entries.append(("indexes", .flowSequence(indexes))) }
        let checks = table.checks.map { check -> YAMLValue in
            var spec: [(String, YAMLValue)] = []
            if let name = check.name { spec.append(("name", .string(name))) }
            spec.append(("expr", .quoted(check.expression)))
            return .flowMapping(spec)
        }
        if !checks.isEmpty { entries.append(("checks", .flowSequence(checks))) }

        var out: [String] = []
        // Long flow sequences of mappings read better one per line.
        out.append("  \(YAMLText.key(entity.name)):")
        for (key, value) in entries {
            if case let .flowSequence(items) = value, key != "primary_key", items.count > 1 || key == "indexes" || key == "checks" || key == "unique"
            {
                out.append("    \(key):")
                for item in items { out.append("      - \(item.inline)") }
            } else {
                value.render(key: key, indent: 4, into: &out)
            }
        }
        return out
    }

    private mutating func fieldValue(_ column: ImportedColumn, field: String, type: FieldType, isKey: Bool, table: ImportedTable) -> YAMLValue {
        var spec: [(String, YAMLValue)] = [("type", .string(type.type))]
        if let n = type.length { spec.append(("length", .literal("\(n)"))) }
        if let p = type.precision { spec.append(("precision", .literal("\(p)"))) }
        if let s = type.scale { spec.append(("scale", .literal("\(s)"))) }
        if isKey { spec.append(("primary_key", .literal("true"))) }
        if column.nullable && !isKey { spec.append(("nullable", .literal("true"))) }
        var autoincrement = column.autoincrement || type.autoincrement
        // A sequence default (serial) rather than an identity: PostgreSQL's DDL differs.
        var sequenceBacked = type.autoincrement
        var defaultValue: YAMLValue?
        if let sql = column.defaultSQL {
            switch ImportedDefault(sql: sql, dialect: dialect, type: type) {
            case .autoincrement:
                autoincrement = true
                sequenceBacked = true
            case .none: break
            case let .value(v): defaultValue = v
            }
        }
        if autoincrement {
            if isKey, type.portable?.isInteger ?? false {
                spec.append(("autoincrement", .literal("true")))
                if sequenceBacked, dialect == .postgresql { serialKeys.append((table.name + "." + column.name, column.line)) }
            } else {
                warn(
                    "column '\(table.name).\(column.name)' is autoincrementing but not a single-column integer primary key; it is imported without its sequence",
                    line: column.line)
            }
        } else if isKey, type.portable?.isInteger ?? false, defaultValue == nil {
            spec.append(("autoincrement", .literal("false")))
        }
        if let defaultValue { spec.append(("default", defaultValue)) }
        if let native = type.native { spec.append(("native", .flowMapping([(dialect.rawValue, .string(native))]))) }
        if let comment = column.comment { spec.append(("comment", .string(comment))) }
        if field != column.name {
            spec.append(("column", .string(column.name)))
        }
        if let why = type.approximation { warn("column '\(table.name).\(column.name)': \(why)", line: column.line) }
        if let generated = column.generated {
            warn("column '\(table.name).\(column.name)' is computed (AS \(generated)); it is imported as a plain column", line: column.line)
        }
        if let collation = column.collation, collation.lowercased() != "default", !collation.lowercased().hasSuffix("\"default\"") {
            warn("column '\(table.name).\(column.name)': collation \(collation) is not imported", line: column.line)
        }
        // The shorthand where it says everything: `title: text`, `code: string(20)`.
        let keys = spec.map(\.0)
        if keys == ["type"], !type.type.contains("<") { return .string(type.type) }
        if keys == ["type", "length"], let n = type.length, type.type == "string" { return .string("string(\(n))") }
        return .flowMapping(spec)
    }
}
