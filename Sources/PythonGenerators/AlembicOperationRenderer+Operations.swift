import CodeRendering
import MigrationPlanner
import SchemaModel
import SQLGenerator

extension AlembicOperationRenderer {
    private func q(_ s: String) -> String { PythonRenderer.quote(s) }
    private func flat(_ e: PythonExpr) -> String { PythonRenderer.flat(e) }

    /// SQLite alters a table by rebuilding it: every change of that kind goes through batch mode.
    /// The rebuild drops the table's triggers: an unchanged search gets them back (and its index
    /// rebuilt, as rows may have new rowids); a changed one is dropped before and added after.
    func batch(_ table: String, _ calls: [String]) -> [String] {
        guard dialect == .sqlite else { return calls.map { "op." + $0 } }
        var lines = ["with op.batch_alter_table(\(q(table))) as batch_op:"] + calls.map { "    batch_op." + $0 }
        if let search = schema.table(named: table)?.search, previous.table(named: table)?.search == search {
            lines += SearchDDL(dialect: dialect).restore(search, on: table).map { "op.execute(\(q($0)))" }
        }
        return lines
    }

    /// PostgreSQL: a constraint added `NOT VALID` (a brief lock, no scan) is validated in a
    /// transaction of its own, a scan that lets reads and writes go on (within one transaction
    /// with the ADD, the scan would hold its lock).
    func validate(_ constraint: String, on table: String) -> [String] {
        let sql = SQLRenderer(dialect: .postgresql)
        return [
            "with op.get_context().autocommit_block():",
            "    op.execute(\(q("ALTER TABLE \(sql.quote(table)) VALIDATE CONSTRAINT \(sql.constraintName(constraint))")))",
        ]
    }

    /// `search:` added to or dropped from a table: the statements `SearchDDL` spells for the database.
    func search(_ search: TextSearch, on table: String, adding: Bool) -> [String] {
        let ddl = SearchDDL(dialect: dialect)
        return (adding ? ddl.create(search, on: table) : ddl.drop(search, on: table)).map { "op.execute(\(q($0)))" }
    }

    /// One operation (tables are handled together by `render(_:imports:)`).
    func render(_ operation: MigrationOperation, imports: inout PythonImports) -> [String] {
        switch operation {
        case let .addSearch(table, s):
            return search(s, on: table, adding: true)
        case let .dropSearch(table, s):
            return search(s, on: table, adding: false)
        case let .createEnum(e):
            guard dialect == .postgresql else { return [] }
            let values = e.values.map { SQLIdentifier.literal($0, for: .postgresql) }.joined(separator: ", ")
            return ["op.execute(\(q("CREATE TYPE \(SQLIdentifier.quoted(e.databaseName, for: .postgresql)) AS ENUM (\(values))")))"]
        case let .dropEnum(e):
            guard dialect == .postgresql else { return [] }
            return ["op.execute(\(q("DROP TYPE IF EXISTS \(SQLIdentifier.quoted(e.databaseName, for: .postgresql))")))"]
        case let .alterEnum(from, to, renames):
            if renames.isEmpty { return alterEnum(from: from, to: to, imports: &imports) }
            return alterEnum(from: from, to: to, renaming: renames, imports: &imports)
        case .createTable, .dropTable:
            return []
        case let .renameTable(from, to):
            var lines = ["op.rename_table(\(q(from)), \(q(to)))"]
            // SQLite: the CHECK of each enum column is named after the table; rename it with it.
            // Its columns carry the names they have when the table is renamed: the previous ones in
            // an upgrade (column renames come after), the target ones in a downgrade.
            if dialect == .sqlite, let table = isDowngrade ? schema.table(named: to) : previous.table(named: from) {
                var calls: [String] = []
                var seen: Set<String> = []
                for column in table.columns where column.nativeType(for: .sqlite) == nil {
                    guard case let .enumeration(name) = column.type, let e = schema.enumType(named: name) ?? previous.enumType(named: name) else {
                        continue
                    }
                    let first = seen.insert(name).inserted
                    let suffix = first ? e.databaseName : "\(column.name)_\(e.databaseName)"
                    calls.append("drop_constraint(op.f(\(q("ck_\(from)_\(suffix)"))), type_=\"check\")")
                    calls.append(
                        "create_check_constraint(op.f(\(q("ck_\(to)_\(suffix)"))), \(q(enumCheck(column.name, enumValuesWhenTablesChange(name)))))")
                }
                if !calls.isEmpty { lines += batch(to, calls) }
            }
            return lines
        case let .addColumn(table, column):
            guard let t = tableNamed(table) else { return [] }
            if !column.nullable, column.defaultValue == nil, column.backfill != nil {
                // Added nullable, then made NOT NULL: that step fills the existing rows (all NULL)
                // with the backfill first.
                var nullable = column
                nullable.nullable = true
                return render(.addColumn(table: table, nullable), imports: &imports)
                    + render(.alterColumn(table: table, from: nullable, to: column), imports: &imports)
            }
            let expression = columnExpression(column, in: t, imports: &imports)
            guard dialect == .sqlite else { return ["op.add_column(\(q(table)), \(expression))"] }
            var calls = ["add_column(\(expression))"]
            if case let .enumeration(name) = column.type, column.nativeType(for: .sqlite) == nil, let e = schema.enumType(named: name) {
                calls.append(
                    "create_check_constraint(op.f(\(q(enumCheckName(table: table, column: column.name, enumType: e)))), \(q(enumCheck(column.name, e.values))))"
                )
            }
            return batch(table, calls)
        case let .dropColumn(table, column):
            var calls: [String] = []
            if dialect == .sqlite, case let .enumeration(name) = column.type, let e = previous.enumType(named: name) ?? schema.enumType(named: name) {
                calls.append("drop_constraint(op.f(\(q(enumCheckName(table: table, column: column.name, enumType: e)))), type_=\"check\")")
            }
            calls.append("drop_column(\(q(column.name)))")
            if dialect == .sqlite { return batch(table, calls) }
            return ["op.drop_column(\(q(table)), \(q(column.name)))"]
        case let .renameColumn(table, from, to):
            guard let column = tableNamed(table)?.column(named: to) ?? previous.table(named: table)?.column(named: from) else { return [] }
            let existing = existingArguments(column, imports: &imports)
            guard dialect == .sqlite else { return ["op.alter_column(\(q(table)), \(q(from)), new_column_name=\(q(to))\(existing))"] }
            let rename = "alter_column(\(q(from)), new_column_name=\(q(to))\(existing))"
            // SQLite keeps a CHECK's text as written: an enum column's CHECK is re-created on the new name.
            guard case let .enumeration(name) = column.type, column.nativeType(for: .sqlite) == nil,
                let e = schema.enumType(named: name) ?? previous.enumType(named: name)
            else { return batch(table, [rename]) }
            // The first column of an enum names its CHECK after the table only; others add their name.
            let versions = [tableNamed(table), previous.table(named: table)].compactMap { $0 }
            let firstOfEnum =
                versions.lazy.compactMap { t in
                    t.columns.first { $0.type == .enumeration(name) && $0.nativeType(for: .sqlite) == nil }.map { [from, to].contains($0.name) }
                }.first ?? true
            let base = "ck_\(table)_\(e.databaseName)"
            let oldName = firstOfEnum ? base : "ck_\(table)_\(from)_\(e.databaseName)"
            let newName = firstOfEnum ? base : "ck_\(table)_\(to)_\(e.databaseName)"
            return batch(
                table,
                [
                    "drop_constraint(op.f(\(q(oldName))), type_=\"check\")", rename,
                    "create_check_constraint(op.f(\(q(newName))), \(q(enumCheck(to, enumValuesWhenTablesChange(name)))))",
                ])
        case let .alterColumn(table, from, to):
            return alterColumn(table: table, from: from, to: to, imports: &imports)
        case let .addIndex(table, index):
            return createIndex(index, table: table, concurrently: true, imports: &imports)
        case let .dropIndex(table, index):
            guard !(dialect == .mysql && isUnsupportedOnMySQL(index, table: table)) else { return [] }
            let call = "op.drop_index(op.f(\(q(index.name))), table_name=\(q(table))"
            // PostgreSQL drops it without blocking the table, outside a transaction.
            guard dialect == .postgresql else { return [call + ")"] }
            return ["with op.get_context().autocommit_block():", "    " + call + ", postgresql_concurrently=True)"]
        case let .addUnique(table, unique):
            let cols = unique.columns.map(q).joined(separator: ", ")
            if dialect == .sqlite { return batch(table, ["create_unique_constraint(op.f(\(q(unique.name))), [\(cols)])"]) }
            if dialect == .postgresql {
                // A unique index built without blocking writes, then made the constraint.
                let sql = SQLRenderer(dialect: .postgresql)
                let name = sql.constraintName(unique.name)
                return [
                    "with op.get_context().autocommit_block():",
                    "    op.create_index(op.f(\(q(unique.name))), \(q(table)), [\(cols)], unique=True, postgresql_concurrently=True)",
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) ADD CONSTRAINT \(name) UNIQUE USING INDEX \(name)")))",
                ]
            }
            return ["op.create_unique_constraint(op.f(\(q(unique.name))), \(q(table)), [\(cols)])"]
        case let .dropUnique(table, unique):
            if dialect == .sqlite { return batch(table, ["drop_constraint(op.f(\(q(unique.name))), type_=\"unique\")"]) }
            return ["op.drop_constraint(op.f(\(q(unique.name))), \(q(table)), type_=\"unique\")"]
        case let .addCheck(table, check):
            let expression = q(check.expression(for: dialect))
            if dialect == .sqlite { return batch(table, ["create_check_constraint(op.f(\(q(check.name))), \(expression))"]) }
            if dialect == .postgresql {
                return ["op.create_check_constraint(op.f(\(q(check.name))), \(q(table)), \(expression), postgresql_not_valid=True)"]
                    + validate(check.name, on: table)
            }
            return ["op.create_check_constraint(op.f(\(q(check.name))), \(q(table)), \(expression))"]
        case let .dropCheck(table, check):
            if dialect == .sqlite { return batch(table, ["drop_constraint(op.f(\(q(check.name))), type_=\"check\")"]) }
            return ["op.drop_constraint(op.f(\(q(check.name))), \(q(table)), type_=\"check\")"]
        case let .addForeignKey(table, fk):
            if dialect == .sqlite {
                var call =
                    "create_foreign_key(op.f(\(q(fk.name))), \(q(fk.referencedTable)), [\(fk.columns.map(q).joined(separator: ", "))], [\(fk.referencedColumns.map(q).joined(separator: ", "))]"
                if let a = fk.onDelete { call += ", ondelete=\(q(action(a)))" }
                if let a = fk.onUpdate { call += ", onupdate=\(q(action(a)))" }
                return batch(table, [call + ")"])
            }
            if dialect == .postgresql { return [createForeignKey(fk, table: table, notValid: true)] + validate(fk.name, on: table) }
            return [createForeignKey(fk, table: table)]
        case let .dropForeignKey(table, fk):
            if dialect == .sqlite { return batch(table, ["drop_constraint(op.f(\(q(fk.name))), type_=\"foreignkey\")"]) }
            return ["op.drop_constraint(op.f(\(q(fk.name))), \(q(table)), type_=\"foreignkey\")"]
        case let .renamePrimaryKey(table, from, to, columns):
            switch dialect {
            case .postgresql:
                let sql = SQLRenderer(dialect: .postgresql)  // names shortened as the convention's are
                return [
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) RENAME CONSTRAINT \(sql.constraintName(from)) TO \(sql.constraintName(to))")))"
                ]
            case .mysql:
                return []  // MySQL names every primary key PRIMARY
            case .sqlite:
                return batch(
                    table,
                    [
                        "drop_constraint(op.f(\(q(from))), type_=\"primary\")",
                        "create_primary_key(op.f(\(q(to))), [\(columns.map(q).joined(separator: ", "))])",
                    ])
            }
        case let .renameIndex(table, from, to):
            let sql = SQLRenderer(dialect: dialect)
            switch dialect {
            case .postgresql:
                return ["op.execute(\(q("ALTER INDEX \(sql.constraintName(from.name)) RENAME TO \(sql.constraintName(to.name))")))"]
            case .mysql:
                guard !isUnsupportedOnMySQL(to, table: table) else { return [] }
                return [
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) RENAME INDEX \(sql.constraintName(from.name)) TO \(sql.constraintName(to.name))")))"
                ]
            case .sqlite:  // no index renames: dropped and created under the new name
                return render(.dropIndex(table: table, from), imports: &imports)
                    + createIndex(to, table: table, concurrently: false, imports: &imports)
            }
        case let .renameUnique(table, from, to):
            let sql = SQLRenderer(dialect: dialect)
            switch dialect {
            case .postgresql:
                return [
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) RENAME CONSTRAINT \(sql.constraintName(from.name)) TO \(sql.constraintName(to.name))")))"
                ]
            case .mysql:
                return [
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) RENAME INDEX \(sql.constraintName(from.name)) TO \(sql.constraintName(to.name))")))"
                ]
            case .sqlite:  // one rebuild: the old unique dropped, the same one created under the new name
                return batch(
                    table,
                    [
                        "drop_constraint(op.f(\(q(from.name))), type_=\"unique\")",
                        "create_unique_constraint(op.f(\(q(to.name))), [\(to.columns.map(q).joined(separator: ", "))])",
                    ])
            }
        case let .renameCheck(table, from, to):
            if dialect == .postgresql {
                let sql = SQLRenderer(dialect: dialect)
                return [
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) RENAME CONSTRAINT \(sql.constraintName(from.name)) TO \(sql.constraintName(to.name))")))"
                ]
            }
            // MariaDB and SQLite cannot rename a CHECK: dropped and added under the new name.
            return render(.dropCheck(table: table, from), imports: &imports) + render(.addCheck(table: table, to), imports: &imports)
        case let .renameForeignKey(table, from, to):
            if dialect == .postgresql {
                let sql = SQLRenderer(dialect: dialect)
                return [
                    "op.execute(\(q("ALTER TABLE \(sql.quote(table)) RENAME CONSTRAINT \(sql.constraintName(from.name)) TO \(sql.constraintName(to.name))")))"
                ]
            }
            // MariaDB and SQLite cannot rename a foreign key: dropped and added under the new name.
            return render(.dropForeignKey(table: table, from), imports: &imports) + render(.addForeignKey(table: table, to), imports: &imports)
        case let .alterTableComment(table, from, to):
            guard dialect != .sqlite else { return [] }  // SQLite has no comments
            if let to {
                return ["op.create_table_comment(\(q(table)), \(q(to))\(from.map { ", existing_comment=\(q($0))" } ?? ""))"]
            }
            return ["op.drop_table_comment(\(q(table))\(from.map { ", existing_comment=\(q($0))" } ?? ""))"]
        case let .alterPrimaryKey(table, from, to):
            var calls: [String] = []
            if let from { calls.append("drop_constraint(op.f(\(q(from.name))), \(q(table)), type_=\"primary\")") }
            if let to { calls.append("create_primary_key(op.f(\(q(to.name))), \(q(table)), [\(to.columns.map(q).joined(separator: ", "))])") }
            if dialect == .sqlite { return batch(table, calls.map { $0.replacingOccurrences(of: "\(q(table)), ", with: "") }) }
            return calls.map { "op." + $0 }
        }
    }

    func tableNamed(_ name: String) -> Table? { schema.table(named: name) ?? previous.table(named: name) }

    func isUnsupportedOnMySQL(_ index: Index, table: String) -> Bool {
        guard let t = tableNamed(table) else { return false }
        return SQLAlchemyModelsGenerator.isUnsupportedOnMySQL(index, in: t)
    }

    func createIndex(_ index: Index, table: String, concurrently: Bool, imports: inout PythonImports) -> [String] {
        guard !(dialect == .mysql && isUnsupportedOnMySQL(index, table: table)) else { return [] }
        if !index.expressions.isEmpty || (index.predicate != nil && dialect != .mysql) { imports.module(Self.sqlalchemy) }
        var parts = index.columns.map(q)
        parts += index.expressions.map { "sa.text(\(q($0)))" }
        var call =
            "op.create_index(op.f(\(q(index.name))), \(q(table)), [\(parts.joined(separator: ", "))], unique=\(index.unique ? "True" : "False")"
        if let predicate = index.predicate, dialect != .mysql { call += ", \(dialect.rawValue)_where=sa.text(\(q(predicate)))" }
        if let method = index.method, method != .btree, dialect == .postgresql { call += ", postgresql_using=\(q(method.rawValue))" }
        guard dialect == .postgresql, concurrently else { return [call + ")"] }
        // On a table that already has rows, PostgreSQL builds the index without blocking writes,
        // which it can only do outside a transaction.
        return ["with op.get_context().autocommit_block():", "    " + call + ", postgresql_concurrently=True)"]
    }

    /// `existing_type=..., existing_nullable=...`: what MySQL needs to re-state a column it alters.
    /// The column as it is while the step's tables and columns change (MySQL re-states it whole).
    func existingArguments(_ column: Column, imports: inout PythonImports) -> String {
        var enumValues: [String]?
        if case let .enumeration(name) = column.type { enumValues = enumValuesWhenTablesChange(name) }
        let type = columnType(column, isAutoKey: false, enumValues: enumValues, imports: &imports)
        var s = ", existing_type=\(flat(type)), existing_nullable=\(column.nullable ? "True" : "False")"
        if let d = column.defaultValue, let server = types.serverDefault(d, column: column, dialect: dialect, imports: &imports) {
            s += ", existing_server_default=\(flat(server))"
        }
        if let comment = column.comment, dialect != .sqlite { s += ", existing_comment=\(q(comment))" }
        return s
    }

    func alterColumn(table: String, from: Column, to: Column, imports: inout PythonImports) -> [String] {
        var lines: [String] = []
        var args: [String] = []
        let oldType = flat(columnType(from, isAutoKey: false, imports: &imports))
        let newType = flat(columnType(to, isAutoKey: false, imports: &imports))
        if oldType != newType {
            args.append("type_=\(newType)")
            if dialect == .postgresql {
                let target = SQLTypeMapper(dialect: .postgresql).sqlType(to.type, schema: schema)
                args.append("postgresql_using=\(q("\(SQLIdentifier.quoted(to.name, for: .postgresql))::\(target)"))")
            }
        }
        args.append("existing_type=\(oldType)")
        if from.nullable != to.nullable {
            args.append("nullable=\(to.nullable ? "True" : "False")")
            if !to.nullable, to.defaultValue == nil, let backfill = to.backfill {
                let column = SQLIdentifier.quoted(to.name, for: dialect)
                lines.append(
                    "op.execute(\(q("UPDATE \(SQLIdentifier.quoted(table, for: dialect)) SET \(column) = \(backfill) WHERE \(column) IS NULL")))")
            } else if !to.nullable, let d = to.defaultValue {
                // Existing NULLs take the default before the column becomes NOT NULL.
                let value = SQLTypeMapper(dialect: dialect).defaultExpression(d, type: to.type, schema: schema)
                let column = SQLIdentifier.quoted(to.name, for: dialect)
                lines.append(
                    "op.execute(\(q("UPDATE \(SQLIdentifier.quoted(table, for: dialect)) SET \(column) = \(value) WHERE \(column) IS NULL")))")
            }
        } else {
            args.append("existing_nullable=\(to.nullable ? "True" : "False")")
        }
        let oldDefault = from.defaultValue.flatMap { types.serverDefault($0, column: from, dialect: dialect, imports: &imports) }.map(flat)
        let newDefault = to.defaultValue.flatMap { types.serverDefault($0, column: to, dialect: dialect, imports: &imports) }.map(flat)
        if oldDefault != newDefault {
            args.append("server_default=\(newDefault ?? "None")")
            if let oldDefault { args.append("existing_server_default=\(oldDefault)") }
        } else if let oldDefault {
            args.append("existing_server_default=\(oldDefault)")
        }
        if from.comment != to.comment, dialect != .sqlite {
            args.append("comment=\(to.comment.map(q) ?? "None")")
            if let c = from.comment { args.append("existing_comment=\(q(c))") }
        } else if let c = from.comment, dialect != .sqlite {
            args.append("existing_comment=\(q(c))")
        }
        let call = "alter_column(\(q(to.name)), \(args.joined(separator: ", ")))"
        if dialect == .sqlite { return lines + batch(table, [call]) }
        let alter = "op.alter_column(\(q(table)), \(q(to.name)), \(args.joined(separator: ", ")))"
        if dialect == .postgresql, from.nullable, !to.nullable {
            // NOT NULL through a validated CHECK, which SET NOT NULL trusts instead of scanning the
            // table under its lock (PostgreSQL 12 and later); the CHECK goes afterwards.
            let check = schema.namingConvention.checkName(table: table, constraint: "\(to.name)_not_null")
            let column = SQLIdentifier.quoted(to.name, for: .postgresql)
            return lines
                + ["op.create_check_constraint(op.f(\(q(check))), \(q(table)), \(q("\(column) IS NOT NULL")), postgresql_not_valid=True)"]
                + validate(check, on: table) + [alter, "op.drop_constraint(op.f(\(q(check))), \(q(table)), type_=\"check\")"]
        }
        return lines + [alter]
    }

    func enumCheck(_ column: String, _ values: [String]) -> String {
        "\(SQLIdentifier.quoted(column, for: .sqlite)) IN (\(values.map { SQLIdentifier.literal($0, for: .sqlite) }.joined(separator: ", ")))"
    }

    /// The SQLite CHECK of an enum column: `ck_<table>_<enum>`, or with the column for a second one.
    func enumCheckName(table: String, column: String, enumType: EnumType) -> String {
        guard let t = tableNamed(table) else { return "ck_\(table)_\(enumType.databaseName)" }
        let first = t.columns.first { if case let .enumeration(n) = $0.type { return n == enumType.name } else { return false } }
        return first?.name == column || first == nil ? "ck_\(table)_\(enumType.databaseName)" : "ck_\(table)_\(column)_\(enumType.databaseName)"
    }

    /// The columns that store values of `enumType` as the enum (not through a native type override),
    /// as they are named when the change runs. The planner puts an enum change without removals
    /// first (before the step's renames) and one with removals last, so an upgrade finds the
    /// previous names in the first case; a downgrade runs the inverses in reverse order, so there
    /// the inverse of a change without removals (one without additions) runs last.
    func enumUsages(_ enumType: EnumType, added: [String], removed: [String]) -> [(table: Table, column: Column)] {
        (enumChangeRunsFirst(added: added, removed: removed) ? previous : schema).columns(ofEnum: enumType.name, on: dialect)
    }

    /// The values of enum `name` while the step's tables and columns change: the new ones when the
    /// enum's own change runs first, the previous ones when it runs last.
    func enumValuesWhenTablesChange(_ name: String) -> [String] {
        guard let now = schema.enumType(named: name), let before = previous.enumType(named: name) else {
            return (schema.enumType(named: name) ?? previous.enumType(named: name))?.values ?? []
        }
        // The renames of this direction (a downgrade undoes those the newer version declares).
        let renames =
            isDowngrade
            ? Dictionary(EnumChange.declaredRenames(from: now, to: before).map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
            : EnumChange.declaredRenames(from: before, to: now)
        let change = EnumChange(from: before, to: now, renames: renames)
        return enumChangeRunsFirst(added: change.added, removed: change.removed) ? now.values : before.values
    }

    /// Whether an enum change with these additions and removals runs before the rest of its step.
    func enumChangeRunsFirst(added: [String], removed: [String]) -> Bool {
        isDowngrade ? !added.isEmpty : removed.isEmpty
    }

    /// `UPDATE`s that move rows holding a removed value to the column's default, to NULL where the
    /// column takes it, or to the first remaining value.
    func replaceRemovedValues(_ removed: [String], of to: EnumType, in usages: [(table: Table, column: Column)]) -> [String] {
        guard !removed.isEmpty else { return [] }
        return usages.compactMap { table, column in
            guard let value = EnumChange.replacement(for: column, in: to) else { return nil }
            let c = SQLIdentifier.quoted(column.name, for: dialect)
            let list = removed.map { SQLIdentifier.literal($0, for: dialect) }.joined(separator: ", ")
            let cast = dialect == .postgresql ? "::text" : ""
            return
                "op.execute(\(q("UPDATE \(SQLIdentifier.quoted(table.name, for: dialect)) SET \(c) = \(value.spelled { SQLIdentifier.literal($0, for: dialect) }) WHERE \(c)\(cast) IN (\(list))")))"
        }
    }

    /// Enum values renamed (`renamed_from`; `renames` maps old -> new), possibly with values added
    /// or removed: rows holding a renamed value keep it under its new name.
    ///
    /// PostgreSQL renames the labels in place (`ALTER TYPE ... RENAME VALUE`). MySQL and SQLite
    /// first widen the column to both sets of values, relabel the rows, then narrow it.
    func alterEnum(from: EnumType, to: EnumType, renaming renames: [String: String], imports: inout PythonImports) -> [String] {
        let change = EnumChange(from: from, to: to, renames: renames)
        var relabelled = from
        relabelled.values = change.relabelled
        let removed = change.removed, renamed = change.renamed, added = change.added
        let usages = enumUsages(to, added: added, removed: removed)
        let runsFirst = enumChangeRunsFirst(added: added, removed: removed)
        if dialect == .postgresql {
            let typeName = SQLIdentifier.quoted(to.databaseName, for: .postgresql)
            let lines = renamed.map { pair in
                "op.execute(\(q("ALTER TYPE \(typeName) RENAME VALUE \(SQLIdentifier.literal(pair.old, for: .postgresql)) TO \(SQLIdentifier.literal(pair.new, for: .postgresql))")))"
            }
            return relabelled.values == to.values ? lines : lines + alterEnum(from: relabelled, to: to, imports: &imports)
        }
        var widened = to
        widened.values = from.values + to.values.filter { !from.values.contains($0) }
        var lines: [String] = []
        for (table, column) in usages {
            lines += retypeEnumColumn(table: table, column: column, from: from, to: widened, dropCheck: true, imports: &imports)
        }
        for (table, column) in usages {
            let c = SQLIdentifier.quoted(column.name, for: dialect)
            for pair in renamed {
                lines.append(
                    "op.execute(\(q("UPDATE \(SQLIdentifier.quoted(table.name, for: dialect)) SET \(c) = \(SQLIdentifier.literal(pair.new, for: dialect)) WHERE \(c) = \(SQLIdentifier.literal(pair.old, for: dialect))")))"
                )
            }
        }
        lines += replaceRemovedValues(removed, of: to, in: usages)
        for (table, column) in usages {
            // A default naming a renamed value follows it (a column of the previous state still has
            // the old value, one of the new state already the new one); one naming a removed value
            // is dropped here (the step that sets the new default comes later).
            var narrowed = column
            var renamedDefault = false
            if narrowed.defaultValue?.kind == .literal, let value = narrowed.defaultValue?.value {
                let relabelledDefault = runsFirst ? renames[value] ?? value : value
                renamedDefault = runsFirst ? relabelledDefault != value : renames.values.contains(value)
                narrowed.defaultValue = to.values.contains(relabelledDefault) ? ColumnDefault(.literal, relabelledDefault) : nil
            }
            lines += retypeEnumColumn(
                table: table, column: narrowed, from: widened, to: to, dropCheck: false, setsDefault: renamedDefault, imports: &imports)
        }
        return lines
    }

    /// One step of a widen-relabel-narrow enum change on MySQL (the `ENUM` column retyped) or SQLite
    /// (the CHECK dropped when widening and created when narrowing, the `VARCHAR` length adjusted).
    /// On SQLite, `setsDefault` also sets the column's server default (one that names a renamed value).
    func retypeEnumColumn(
        table: Table, column: Column, from: EnumType, to: EnumType, dropCheck: Bool, setsDefault: Bool = false, imports: inout PythonImports
    ) -> [String] {
        let nullable = column.nullable ? "True" : "False"
        if dialect == .mysql {
            imports.module(Self.sqlalchemy)
            func enumType(_ e: EnumType) -> String {
                flat(PythonExpr.dotted("sa.Enum").call(e.values.map { .positional(.string($0)) } + [.keyword("name", .string(e.databaseName))]))
            }
            var args = "type_=\(enumType(to)), existing_type=\(enumType(from)), existing_nullable=\(nullable)"
            if let d = column.defaultValue, let server = types.serverDefault(d, column: column, dialect: dialect, imports: &imports) {
                args += ", existing_server_default=\(flat(server))"
            }
            return ["op.alter_column(\(q(table.name)), \(q(column.name)), \(args))"]
        }
        let name = enumCheckName(table: table.name, column: column.name, enumType: to)
        var calls = [
            dropCheck
                ? "drop_constraint(op.f(\(q(name))), type_=\"check\")"
                : "create_check_constraint(op.f(\(q(name))), \(q(enumCheck(column.name, to.values))))"
        ]
        let oldLength = from.values.map(\.count).max() ?? 1, newLength = to.values.map(\.count).max() ?? 1
        var alter = oldLength != newLength ? ["type_=sa.String(\(newLength))"] : []
        // A default that names a renamed value is set when the column is narrowed to the new values.
        if setsDefault, let d = column.defaultValue, let server = types.serverDefault(d, column: column, dialect: dialect, imports: &imports) {
            alter.append("server_default=\(flat(server))")
        }
        if !alter.isEmpty {
            imports.module(Self.sqlalchemy)
            calls.insert(
                "alter_column(\(q(column.name)), \(alter.joined(separator: ", ")), existing_type=sa.String(\(oldLength)), existing_nullable=\(nullable))",
                at: 0)
        }
        return batch(table.name, calls)
    }

    /// Enum values added, removed or changed, for every column that uses the enum.
    func alterEnum(from: EnumType, to: EnumType, imports: inout PythonImports) -> [String] {
        let added = to.values.filter { !from.values.contains($0) }
        let removed = from.values.filter { !to.values.contains($0) }
        let usages = enumUsages(to, added: added, removed: removed)
        // Rows holding a removed value take the column's default, or the first remaining value.
        var lines = replaceRemovedValues(removed, of: to, in: usages)
        switch dialect {
        case .postgresql:
            let typeName = SQLIdentifier.quoted(to.databaseName, for: .postgresql)
            if removed.isEmpty, from.values == Array(to.values.prefix(from.values.count)) {
                lines.append("with op.get_context().autocommit_block():")
                for value in added {
                    lines.append(
                        "    op.execute(\(q("ALTER TYPE \(typeName) ADD VALUE IF NOT EXISTS \(SQLIdentifier.literal(value, for: .postgresql))")))")
                }
                return lines
            }
            // Removing or reordering values: a new type, the columns cast over, the old type dropped.
            let old = SQLIdentifier.quoted(to.databaseName + "_old", for: .postgresql)
            lines.append("op.execute(\(q("ALTER TYPE \(typeName) RENAME TO \(old)")))")
            let values = to.values.map { SQLIdentifier.literal($0, for: .postgresql) }.joined(separator: ", ")
            lines.append("op.execute(\(q("CREATE TYPE \(typeName) AS ENUM (\(values))")))")
            for (table, column) in usages {
                let t = SQLIdentifier.quoted(table.name, for: .postgresql), c = SQLIdentifier.quoted(column.name, for: .postgresql)
                if column.defaultValue != nil { lines.append("op.execute(\(q("ALTER TABLE \(t) ALTER COLUMN \(c) DROP DEFAULT")))") }
                lines.append("op.execute(\(q("ALTER TABLE \(t) ALTER COLUMN \(c) TYPE \(typeName) USING \(c)::text::\(typeName)")))")
                if let d = column.defaultValue {
                    let expression = SQLTypeMapper(dialect: .postgresql).defaultExpression(d, type: column.type, schema: schema)
                    lines.append("op.execute(\(q("ALTER TABLE \(t) ALTER COLUMN \(c) SET DEFAULT \(expression)")))")
                }
            }
            lines.append("op.execute(\(q("DROP TYPE \(old)")))")
        case .mysql:
            for (table, column) in usages {
                var oldColumn = column
                oldColumn.type = .enumeration(from.name)
                let oldRenderer = AlembicOperationRenderer(schema: previous, previous: schema, dialect: dialect)
                let oldType = flat(oldRenderer.columnType(oldColumn, isAutoKey: false, imports: &imports))
                var args =
                    "type_=\(flat(columnType(column, isAutoKey: false, imports: &imports))), existing_type=\(oldType), existing_nullable=\(column.nullable ? "True" : "False")"
                if let d = column.defaultValue, let server = types.serverDefault(d, column: column, dialect: dialect, imports: &imports) {
                    args += ", existing_server_default=\(flat(server))"
                }
                lines.append("op.alter_column(\(q(table.name)), \(q(column.name)), \(args))")
            }
        case .sqlite:
            for (table, column) in usages {
                let name = enumCheckName(table: table.name, column: column.name, enumType: to)
                var calls = [
                    "drop_constraint(op.f(\(q(name))), type_=\"check\")",
                    "create_check_constraint(op.f(\(q(name))), \(q(enumCheck(column.name, to.values))))",
                ]
                let oldLength = from.values.map(\.count).max() ?? 1, newLength = to.values.map(\.count).max() ?? 1
                if oldLength != newLength {
                    imports.module(Self.sqlalchemy)
                    calls.insert(
                        "alter_column(\(q(column.name)), type_=sa.String(\(newLength)), existing_type=sa.String(\(oldLength)), existing_nullable=\(column.nullable ? "True" : "False"))",
                        at: 1)
                }
                lines += batch(table.name, calls)
            }
        }
        return lines
    }
}
