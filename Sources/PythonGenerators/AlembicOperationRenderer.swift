import CodeRendering
import MigrationPlanner
import SchemaModel
import SQLGenerator

/// Renders migration operations as Alembic `op.*` calls for one database.
///
/// Every constraint and index is named with `op.f(...)` (the convention's name, which SQLAlchemy
/// shortens per dialect exactly as it does for the models), PostgreSQL enum types are created and
/// dropped explicitly, and on SQLite an enum column's CHECK is its own named constraint.
struct AlembicOperationRenderer {
    let schema: Schema
    let previous: Schema
    let dialect: Dialect
    let types: SQLAlchemyTypeMapping
    /// Renders a downgrade: the inverses of the plan's steps, in reverse order.
    let isDowngrade: Bool

    init(schema: Schema, previous: Schema, dialect: Dialect, isDowngrade: Bool = false) {
        self.schema = schema
        self.previous = previous
        self.dialect = dialect
        self.types = SQLAlchemyTypeMapping(schema: schema)
        self.isDowngrade = isDowngrade
    }

    var database: TargetDatabase { TargetDatabase(rawValue: dialect.rawValue) ?? .sqlite }

    private func flat(_ e: PythonExpr) -> String { PythonRenderer.flat(e) }
    private func q(_ s: String) -> String { PythonRenderer.quote(s) }

    // MARK: Plans

    /// The body of `upgrade()`: the plan's steps as `op.*` calls, tables created in foreign-key order.
    /// The import of every `sa.` name a revision uses; added where an operation writes one.
    static let sqlalchemy = "sqlalchemy as sa"

    func upgrade(_ plan: MigrationPlan, imports: inout PythonImports) -> [String] {
        // PostgreSQL extensions that the new native types need come first (never dropped again).
        let extensions =
            dialect == .postgresql && !plan.isEmpty
            ? PostgresExtensions.added(from: previous, to: schema).map { "op.execute(\(q(PostgresExtensions.createStatement($0))))" } : []
        return extensions + render(orderedForDialect(plan.steps.map(\.operation)), imports: &imports)
    }

    /// The plan drops a unique that goes away only after the new ones exist (MySQL refuses to drop
    /// the last index a foreign key can use). SQLite reflects one unique per column set, so there a
    /// unique is dropped before a unique is added to the same table (a renamed unique would
    /// otherwise vanish in the batch rebuild).
    func orderedForDialect(_ operations: [MigrationOperation]) -> [MigrationOperation] {
        guard dialect == .sqlite else { return operations }
        var result = operations
        for j in result.indices {
            guard case let .dropUnique(table, _) = result[j] else { continue }
            let firstAdd = result[..<j].firstIndex { if case let .addUnique(t, _) = $0 { return t == table } else { return false } }
            guard let firstAdd else { continue }
            let drop = result.remove(at: j)
            result.insert(drop, at: firstAdd)
        }
        return result
    }

    /// The body of `downgrade()`: every step's inverse, in reverse order, rendered against the old schema.
    func downgrade(_ plan: MigrationPlan, imports: inout PythonImports) -> [String] {
        let reverse = AlembicOperationRenderer(schema: previous, previous: schema, dialect: dialect, isDowngrade: true)
        return reverse.render(reverse.orderedForDialect(plan.steps.reversed().map(\.operation.inverse)), imports: &imports)
    }

    func render(_ operations: [MigrationOperation], imports: inout PythonImports) -> [String] {
        var lines: [String] = []
        var emittedCreates = false
        let creates = operations.compactMap { op -> Table? in
            if case let .createTable(t) = op { return t }
            return nil
        }
        let drops = operations.compactMap { op -> Table? in
            if case let .dropTable(t) = op { return t }
            return nil
        }
        var emittedDrops = false
        for operation in operations {
            switch operation {
            case .createTable:
                guard !emittedCreates else { continue }
                emittedCreates = true
                lines += createTables(creates, imports: &imports)
            case .dropTable:
                guard !emittedDrops else { continue }
                emittedDrops = true
                lines += dropTables(drops)
            default:
                lines += render(operation, imports: &imports)
            }
        }
        return lines
    }

    func createTables(_ tables: [Table], imports: inout PythonImports) -> [String] {
        let creating = Schema(name: schema.name, namingConvention: schema.namingConvention, enums: schema.enums, tables: tables)
        let (order, deferred) = DDLGenerator(dialect: dialect).creationOrder(creating)
        var lines: [String] = []
        for table in order { lines += createTable(table, deferring: deferred[table.name] ?? [], imports: &imports) }
        for table in order {
            for fk in table.foreignKeys where (deferred[table.name] ?? []).contains(fk.name) {
                lines.append(createForeignKey(fk, table: table.name))
            }
        }
        return lines
    }

    func dropTables(_ tables: [Table]) -> [String] {
        let dropping = Schema(name: schema.name, namingConvention: schema.namingConvention, enums: [], tables: tables)
        let (order, deferred) = DDLGenerator(dialect: dialect).creationOrder(dropping)
        var lines: [String] = []
        for table in order.reversed() {
            for fk in table.foreignKeys where (deferred[table.name] ?? []).contains(fk.name) {
                lines.append("op.drop_constraint(op.f(\(q(fk.name))), \(q(table.name)), type_=\"foreignkey\")")
            }
        }
        for table in order.reversed() { lines.append("op.drop_table(\(q(table.name)))") }
        return lines
    }

    func usesEnum(_ name: String, in schema: Schema) -> Bool {
        func uses(_ type: ColumnType) -> Bool {
            switch type {
            case let .enumeration(n): return n == name
            case let .array(element): return uses(element)
            default: return false
            }
        }
        return schema.tables.contains { $0.columns.contains { uses($0.type) && $0.nativeType(for: dialect) == nil } }
    }

    // MARK: Tables

    func createTable(_ table: Table, deferring: Set<String>, imports: inout PythonImports) -> [String] {
        imports.module(Self.sqlalchemy)
        var args: [String] = [q(table.name)]
        for column in table.columns { args.append(columnExpression(column, in: table, imports: &imports)) }
        if let pk = table.primaryKey {
            args.append("sa.PrimaryKeyConstraint(\(pk.columns.map(q).joined(separator: ", ")), name=op.f(\(q(pk.name))))")
        }
        for fk in table.foreignKeys where !deferring.contains(fk.name) {
            args.append(foreignKeyConstraint(fk))
        }
        for unique in table.uniques {
            args.append("sa.UniqueConstraint(\(unique.columns.map(q).joined(separator: ", ")), name=op.f(\(q(unique.name))))")
        }
        for check in table.checks {
            args.append("sa.CheckConstraint(\(q(check.expression(for: dialect))), name=op.f(\(q(check.name))))")
        }
        if dialect == .sqlite {
            var seen: Set<String> = []
            for column in table.columns {
                guard case let .enumeration(name) = column.type, column.nativeType(for: dialect) == nil, let e = schema.enumType(named: name) else {
                    continue
                }
                var constraint = "ck_\(table.name)_\(e.databaseName)"
                if seen.contains(constraint) { constraint = "ck_\(table.name)_\(column.name)_\(e.databaseName)" }
                seen.insert(constraint)
                let values = e.values.map { SQLIdentifier.literal($0, for: .sqlite) }.joined(separator: ", ")
                args.append(
                    "sa.CheckConstraint(\(q("\(SQLIdentifier.quoted(column.name, for: .sqlite)) IN (\(values))")), name=op.f(\(q(constraint))))")
            }
        }
        if let comment = table.comment, dialect != .sqlite { args.append("comment=\(q(comment))") }
        var lines = ["op.create_table(\(args.joined(separator: ", ")))"]
        for index in table.indexes where !(dialect == .mysql && SQLAlchemyModelsGenerator.isUnsupportedOnMySQL(index, in: table)) {
            var parts = index.columns.map(q)
            parts += index.expressions.map { "sa.text(\(q($0)))" }
            var call =
                "op.create_index(op.f(\(q(index.name))), \(q(table.name)), [\(parts.joined(separator: ", "))], unique=\(index.unique ? "True" : "False")"
            if let predicate = index.predicate, dialect != .mysql {
                call += ", \(dialect.rawValue)_where=sa.text(\(q(predicate)))"
            }
            if let method = index.method, method != .btree, dialect == .postgresql {
                call += ", postgresql_using=\(q(method.rawValue))"
            }
            lines.append(call + ")")
        }
        return lines
    }

    func foreignKeyConstraint(_ fk: ForeignKey) -> String {
        var s =
            "sa.ForeignKeyConstraint([\(fk.columns.map(q).joined(separator: ", "))], [\(fk.referencedColumns.map { q("\(fk.referencedTable).\($0)") }.joined(separator: ", "))], name=op.f(\(q(fk.name)))"
        if let a = fk.onDelete { s += ", ondelete=\(q(action(a)))" }
        if let a = fk.onUpdate { s += ", onupdate=\(q(action(a)))" }
        return s + ")"
    }

    func createForeignKey(_ fk: ForeignKey, table: String, notValid: Bool = false) -> String {
        var s = "op.create_foreign_key(op.f(\(q(fk.name))), \(q(table)), \(q(fk.referencedTable))"
        s += ", [\(fk.columns.map(q).joined(separator: ", "))], [\(fk.referencedColumns.map(q).joined(separator: ", "))]"
        if let a = fk.onDelete { s += ", ondelete=\(q(action(a)))" }
        if let a = fk.onUpdate { s += ", onupdate=\(q(action(a)))" }
        return s + (notValid ? ", postgresql_not_valid=True)" : ")")
    }

    /// The action as the dialect gets it (`Dialect.effective`: RESTRICT for SET DEFAULT on
    /// MySQL/MariaDB), as the DDL and the models spell it.
    func action(_ a: ReferentialAction) -> String { dialect.effective(a).sql }

    // MARK: Columns

    func columnExpression(_ column: Column, in table: Table, imports: inout PythonImports) -> String {
        imports.module(Self.sqlalchemy)
        let keyColumns = table.primaryKey?.columns ?? []
        let isAutoKey = column.autoincrement && keyColumns == [column.name]
        var args = [q(column.name), flat(columnType(column, isAutoKey: isAutoKey, imports: &imports))]
        if isAutoKey { args.append("sa.Identity()") }
        args.append("nullable=\(column.nullable ? "True" : "False")")
        if let d = column.defaultValue, let server = types.serverDefault(d, column: column, dialect: dialect, imports: &imports) {
            args.append("server_default=\(flat(server))")
        }
        if let comment = column.comment, dialect != .sqlite { args.append("comment=\(q(comment))") }
        return "sa.Column(\(args.joined(separator: ", ")))"
    }

    /// The column type as the migration spells it: like the models, but enums by their values.
    /// `enumValues` replaces the values of an enum type (those it has at a given point of a step).
    func columnType(_ column: Column, isAutoKey: Bool, enumValues: [String]? = nil, imports: inout PythonImports) -> PythonExpr {
        if let native = types.nativeType(column, dialect: dialect, imports: &imports) { return native }
        return migrationType(column.type, isAutoKey: isAutoKey, enumValues: enumValues, imports: &imports)
    }

    func migrationType(_ type: ColumnType, isAutoKey: Bool = false, enumValues: [String]? = nil, imports: inout PythonImports) -> PythonExpr {
        switch type {
        case let .enumeration(name):
            let e = schema.enumType(named: name) ?? previous.enumType(named: name)
            let values = (enumValues ?? e?.values ?? []).map { PythonArgument.positional(.string($0)) }
            let typeName = PythonArgument.keyword("name", .string(e?.databaseName ?? Identifiers.snakeCase(name)))
            switch dialect {
            case .postgresql:
                imports.from("sqlalchemy.dialects", import: "postgresql")
                return PythonExpr.dotted("postgresql.ENUM").call(values + [typeName, .keyword("create_type", .bool(false))])
            case .mysql:
                imports.module(Self.sqlalchemy)
                return PythonExpr.dotted("sa.Enum").call(values + [typeName])
            case .sqlite:
                imports.module(Self.sqlalchemy)
                return PythonExpr.dotted("sa.Enum").call(values + [typeName, .keyword("create_constraint", .bool(false))])
            }
        case let .array(element):
            guard dialect == .postgresql else {
                imports.module(Self.sqlalchemy)
                return PythonExpr.dotted("sa.JSON").call()
            }
            imports.from("sqlalchemy.dialects", import: "postgresql")
            return PythonExpr.dotted("postgresql.ARRAY").call(.positional(migrationType(element, imports: &imports)))
        case .datetime:
            // The column type only (the models' UTCDateTime converts values, which DDL needs not).
            imports.from("sqlalchemy.dialects", import: "mysql")
            imports.module(Self.sqlalchemy)
            return PythonExpr.dotted("sa.DateTime").call(.keyword("timezone", .bool(true))).dot("with_variant")
                .call(
                    .positional(.dotted("mysql.DATETIME").call(.keyword("fsp", .int(6)))), .positional(.string("mysql")),
                    .positional(.string("mariadb")))
        default:
            return types.sqlType(type, isAutoincrementKey: isAutoKey, imports: &imports)
        }
    }
}
