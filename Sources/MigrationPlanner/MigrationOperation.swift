import SchemaModel

/// How risky an operation is for the data already in the database.
public enum SafetyClass: String, Codable, Sendable, Comparable, CaseIterable {
    /// Nothing is lost and nothing waits.
    case safe
    /// Rows are locked or the table is rewritten for a while (PostgreSQL index builds, type rewrites).
    case locking
    /// The previous version of the app, still running while the migration is applied, breaks on it:
    /// a table or column it uses is renamed, an enum value it sends is renamed, a value changes its
    /// type. Deploy the new app with the migration (or expand, deploy, then contract).
    case breaking
    /// Existing rows need a value before a constraint can hold (NOT NULL without a default).
    case needsBackfill = "needs-backfill"
    /// Data is destroyed (drop table/column, narrowing type, removing an enum value).
    case dataLoss = "data-loss"

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: SafetyClass, rhs: SafetyClass) -> Bool { lhs.rank < rhs.rank }
}

/// One step of a migration plan, with both states so the step can be reversed.
public enum MigrationOperation: Equatable, Sendable {
    case createEnum(EnumType)
    case dropEnum(EnumType)
    /// Values added, removed or renamed (`renames` maps old value -> new value).
    case alterEnum(from: EnumType, to: EnumType, renames: [String: String])
    case createTable(Table)
    case dropTable(Table)
    case renameTable(from: String, to: String)
    case addColumn(table: String, Column)
    case dropColumn(table: String, Column)
    case renameColumn(table: String, from: String, to: String)
    /// Type, nullability, default or comment of a column.
    case alterColumn(table: String, from: Column, to: Column)
    case addIndex(table: String, Index)
    case dropIndex(table: String, Index)
    case addUnique(table: String, UniqueConstraint)
    case dropUnique(table: String, UniqueConstraint)
    case addCheck(table: String, CheckConstraint)
    case dropCheck(table: String, CheckConstraint)
    case addForeignKey(table: String, ForeignKey)
    case dropForeignKey(table: String, ForeignKey)
    case alterPrimaryKey(table: String, from: PrimaryKey?, to: PrimaryKey?)
    case alterTableComment(table: String, from: String?, to: String?)
    /// A renamed table's primary key takes the name the convention gives the new table.
    case renamePrimaryKey(table: String, from: String, to: String, columns: [String])
    /// An index, unique or check whose name follows a renamed table or column, its definition
    /// unchanged: renamed where the database can, never rebuilt for the name alone. `from` is the
    /// old object on the new column names (what the downgrade re-creates where it cannot rename).
    case renameIndex(table: String, from: Index, to: Index)
    case renameUnique(table: String, from: UniqueConstraint, to: UniqueConstraint)
    case renameCheck(table: String, from: CheckConstraint, to: CheckConstraint)
    case renameForeignKey(table: String, from: ForeignKey, to: ForeignKey)
    /// `search:` appears on a table (or changes: dropped, then added): built over the rows it has.
    case addSearch(table: String, TextSearch)
    case dropSearch(table: String, TextSearch)

    /// The operation's kind as it appears in plans: `create_table`, `rename_column`, ...
    public var kind: String {
        switch self {
        case .createEnum: return "create_enum"
        case .dropEnum: return "drop_enum"
        case .alterEnum: return "alter_enum"
        case .createTable: return "create_table"
        case .dropTable: return "drop_table"
        case .renameTable: return "rename_table"
        case .addColumn: return "add_column"
        case .dropColumn: return "drop_column"
        case .renameColumn: return "rename_column"
        case .alterColumn: return "alter_column"
        case .addIndex: return "add_index"
        case .dropIndex: return "drop_index"
        case .addUnique: return "add_unique"
        case .dropUnique: return "drop_unique"
        case .addCheck: return "add_check"
        case .dropCheck: return "drop_check"
        case .addForeignKey: return "add_foreign_key"
        case .dropForeignKey: return "drop_foreign_key"
        case .alterPrimaryKey: return "alter_primary_key"
        case .alterTableComment: return "alter_table_comment"
        case .renamePrimaryKey: return "rename_primary_key"
        case .renameIndex: return "rename_index"
        case .renameUnique: return "rename_unique"
        case .renameCheck: return "rename_check"
        case .renameForeignKey: return "rename_foreign_key"
        case .addSearch: return "add_search"
        case .dropSearch: return "drop_search"
        }
    }

    /// The table the operation touches (the enum's name for enum operations).
    public var subject: String {
        switch self {
        case let .createEnum(e), let .dropEnum(e): return e.name
        case let .alterEnum(_, to, _): return to.name
        case let .createTable(t), let .dropTable(t): return t.name
        case let .renameTable(from, to): return "\(from) -> \(to)"
        case let .addColumn(t, c), let .dropColumn(t, c): return "\(t).\(c.name)"
        case let .renameColumn(t, from, to): return "\(t).\(from) -> \(t).\(to)"
        case let .alterColumn(t, _, to): return "\(t).\(to.name)"
        case let .addIndex(t, i), let .dropIndex(t, i): return "\(t).\(i.name)"
        case let .addUnique(t, u), let .dropUnique(t, u): return "\(t).\(u.name)"
        case let .addCheck(t, c), let .dropCheck(t, c): return "\(t).\(c.name)"
        case let .addForeignKey(t, f), let .dropForeignKey(t, f): return "\(t).\(f.name)"
        case let .alterPrimaryKey(t, _, to): return "\(t).\(to?.name ?? "(none)")"
        case let .alterTableComment(t, _, _): return t
        case let .renamePrimaryKey(t, from, to, _): return "\(t).\(from) -> \(t).\(to)"
        case let .renameIndex(t, from, to): return "\(t).\(from.name) -> \(t).\(to.name)"
        case let .renameUnique(t, from, to): return "\(t).\(from.name) -> \(t).\(to.name)"
        case let .renameCheck(t, from, to): return "\(t).\(from.name) -> \(t).\(to.name)"
        case let .renameForeignKey(t, from, to): return "\(t).\(from.name) -> \(t).\(to.name)"
        case let .addSearch(t, s), let .dropSearch(t, s): return "\(t).\(s.name)"
        }
    }

    /// The operation that undoes this one.
    public var inverse: MigrationOperation {
        switch self {
        case let .createEnum(e): return .dropEnum(e)
        case let .dropEnum(e): return .createEnum(e)
        case let .alterEnum(from, to, renames):
            return .alterEnum(from: to, to: from, renames: Dictionary(uniqueKeysWithValues: renames.map { ($0.value, $0.key) }))
        case let .createTable(t): return .dropTable(t)
        case let .dropTable(t): return .createTable(t)
        case let .renameTable(from, to): return .renameTable(from: to, to: from)
        case let .addColumn(t, c): return .dropColumn(table: t, c)
        case let .dropColumn(t, c): return .addColumn(table: t, c)
        case let .renameColumn(t, from, to): return .renameColumn(table: t, from: to, to: from)
        case let .alterColumn(t, from, to): return .alterColumn(table: t, from: to, to: from)
        case let .addIndex(t, i): return .dropIndex(table: t, i)
        case let .dropIndex(t, i): return .addIndex(table: t, i)
        case let .addUnique(t, u): return .dropUnique(table: t, u)
        case let .dropUnique(t, u): return .addUnique(table: t, u)
        case let .addCheck(t, c): return .dropCheck(table: t, c)
        case let .dropCheck(t, c): return .addCheck(table: t, c)
        case let .addForeignKey(t, f): return .dropForeignKey(table: t, f)
        case let .dropForeignKey(t, f): return .addForeignKey(table: t, f)
        case let .alterPrimaryKey(t, from, to): return .alterPrimaryKey(table: t, from: to, to: from)
        case let .alterTableComment(t, from, to): return .alterTableComment(table: t, from: to, to: from)
        case let .renamePrimaryKey(t, from, to, columns): return .renamePrimaryKey(table: t, from: to, to: from, columns: columns)
        case let .renameIndex(t, from, to): return .renameIndex(table: t, from: to, to: from)
        case let .renameUnique(t, from, to): return .renameUnique(table: t, from: to, to: from)
        case let .renameCheck(t, from, to): return .renameCheck(table: t, from: to, to: from)
        case let .renameForeignKey(t, from, to): return .renameForeignKey(table: t, from: to, to: from)
        case let .addSearch(t, s): return .dropSearch(table: t, s)
        case let .dropSearch(t, s): return .addSearch(table: t, s)
        }
    }
}

/// What an `alter_enum` does to the values: `renames` (old -> new) first, then values added and
/// removed. Every renderer of the operation (Alembic, SQL, MongoDB, the plan) reads it from here.
public struct EnumChange: Sendable {
    public let from: EnumType
    public let to: EnumType
    public let renames: [String: String]

    public init(from: EnumType, to: EnumType, renames: [String: String]) {
        self.from = from
        self.to = to
        self.renames = renames
    }

    /// The old values under their new names, in the old order.
    public var relabelled: [String] { from.values.map { renames[$0] ?? $0 } }
    public var added: [String] { let old = relabelled; return to.values.filter { !old.contains($0) } }
    public var removed: [String] { relabelled.filter { !to.values.contains($0) } }
    /// The renamed values, in the old order.
    public var renamed: [(old: String, new: String)] { from.values.compactMap { old in renames[old].map { (old, $0) } } }

    /// The renames `renamed_from` on `after` declares that apply since `before`: old -> new.
    public static func declaredRenames(from before: EnumType, to after: EnumType) -> [String: String] {
        var renames: [String: String] = [:]
        for (new, old) in after.renamedValues ?? [:] where before.values.contains(old) && !before.values.contains(new) && after.values.contains(new) {
            renames[old] = new
        }
        return renames
    }

    /// What rows holding a removed value take.
    public enum Replacement: Equatable, Sendable {
        /// A value of the enum.
        case value(String)
        /// NULL (`None` in a document).
        case null

        /// The replacement as a literal: `literal` spells a value, `null` the missing one.
        public func spelled(_ literal: (String) -> String, null: String = "NULL") -> String {
            switch self {
            case let .value(v): return literal(v)
            case .null: return null
            }
        }
    }

    /// What rows holding a removed value take: the column's literal default; else NULL when the
    /// column takes it; else the first value left.
    public static func replacement(for column: Column, in enumType: EnumType) -> Replacement? {
        if column.defaultValue?.kind == .literal, let value = column.defaultValue?.value { return .value(value) }
        if column.nullable { return .null }
        return enumType.values.first.map(Replacement.value)
    }
}
