import SchemaModel

/// A planned step: the operation, how risky it is, and why.
public struct PlannedStep: Equatable, Sendable {
    public var operation: MigrationOperation
    public var safety: SafetyClass
    /// A short explanation of the safety class (empty when safe).
    public var note: String

    public init(_ operation: MigrationOperation, _ safety: SafetyClass, note: String = "") {
        self.operation = operation
        self.safety = safety
        self.note = note
    }
}

/// The difference between two schemas, in an order that can be applied, with warnings.
public struct MigrationPlan: Equatable, Sendable {
    public var steps: [PlannedStep]
    /// Probable renames without `renamed_from`, and other things the user should look at.
    public var warnings: [String]

    public var isEmpty: Bool { steps.isEmpty }
    public var worstSafety: SafetyClass { steps.map(\.safety).max() ?? .safe }
    public var dataLossSteps: [PlannedStep] { steps.filter { $0.safety == .dataLoss } }
}

/// Computes the operations that turn the `old` schema into the `new` one.
///
/// Renames come only from `renamed_from` (entity or field): they become renames, never drop + add.
/// An added and a dropped table or column of the same shape without it is reported as a probable
/// rename. Join tables of implicit many-to-many relations follow the renames of their entities.
public enum MigrationPlanner {
    public static func plan(from old: Schema, to new: Schema) -> MigrationPlan {
        var planner = Planner(old: old, new: new)
        return planner.run()
    }
}

struct Planner {
    let old: Schema
    let new: Schema
    var warnings: [String] = []
    /// new table name -> old table name, for tables present in both (renamed or not).
    var tableMatch: [String: String] = [:]
    /// enum name -> (old value -> new value) for the values renamed by this change.
    var enumValueRenames: [String: [String: String]] = [:]

    init(old: Schema, new: Schema) {
        self.old = old
        self.new = new
    }

    // MARK: Matching

    mutating func matchTables() {
        let oldByName = Dictionary(uniqueKeysWithValues: old.tables.map { ($0.name, $0) })
        var usedOld: Set<String> = []
        // Renamed entities first: their old table is the old entity's table.
        for table in new.tables where !table.isJoinTable {
            guard let from = table.renamedFrom, let oldTable = old.tables.first(where: { $0.entity == from }) else { continue }
            if oldByName[table.name] != nil, oldTable.name != table.name { continue }  // the name is taken as is
            tableMatch[table.name] = oldTable.name
            usedOld.insert(oldTable.name)
        }
        for table in new.tables where tableMatch[table.name] == nil {
            if oldByName[table.name] != nil, !usedOld.contains(table.name) {
                tableMatch[table.name] = table.name
                usedOld.insert(table.name)
            }
        }
        // Join tables follow their relation's rename (`renamed_from` on the relation names the old
        // join table) and their owner's: `<new table>_<relation>` was `<old table>_<relation>`.
        // A relation keeps its `renamed_from` after the rename, so its current name is tried too.
        for table in new.tables where table.isJoinTable && tableMatch[table.name] == nil {
            let names = (table.renamedFrom.map { [$0] } ?? []) + [table.name]
            var candidates = table.renamedFrom.map { [$0] } ?? []
            for name in names {
                for (newOwner, oldOwner) in tableMatch.sorted(by: { $0.key < $1.key }) where newOwner != oldOwner && name.hasPrefix(newOwner + "_") {
                    candidates.append(oldOwner + String(name.dropFirst(newOwner.count)))
                }
            }
            if let candidate = candidates.first(where: { oldByName[$0]?.isJoinTable == true && !usedOld.contains($0) }) {
                tableMatch[table.name] = candidate
                usedOld.insert(candidate)
            }
        }
    }

    /// The relation (`Entity.relation`) whose implicit join table is `name`, in the new schema.
    func joinTableRelation(_ name: String) -> String? {
        var sides: [String] = []
        for table in new.tables {
            for relation in table.relations where relation.joinTable == name && relation.throughEntity == nil && relation.kind == .manyToMany {
                // The declaring side names the default join table `<its table>_<relation>`.
                if name == "\(table.name)_\(relation.name)" { return "\(table.entity ?? table.name).\(relation.name)" }
                sides.append("\(table.entity ?? table.name).\(relation.name)")
            }
        }
        return sides.first
    }

    /// new column name -> old column name within matched tables.
    func matchColumns(_ newTable: Table, _ oldTable: Table) -> [String: String] {
        var result: [String: String] = [:]
        var usedOld: Set<String> = []
        for column in newTable.columns {
            if let from = column.renamedFrom, let oldColumn = oldTable.columns.first(where: { $0.field == from || $0.name == from }),
                newTable.column(named: oldColumn.name) == nil || oldColumn.name == column.name
            {
                result[column.name] = oldColumn.name
                usedOld.insert(oldColumn.name)
            }
        }
        for column in newTable.columns where result[column.name] == nil {
            if oldTable.column(named: column.name) != nil, !usedOld.contains(column.name) {
                result[column.name] = column.name
                usedOld.insert(column.name)
            }
        }
        // A renamed join table's key columns follow by position.
        if newTable.isJoinTable, newTable.name != oldTable.name {
            for (n, o) in zip(newTable.primaryKey?.columns ?? [], oldTable.primaryKey?.columns ?? []) where result[n] == nil && !usedOld.contains(o) {
                result[n] = o
                usedOld.insert(o)
            }
        }
        return result
    }

    // MARK: Plan

    mutating func run() -> MigrationPlan {
        matchTables()
        var early: [PlannedStep] = []  // enum additions
        var drops: [PlannedStep] = []  // constraints and indexes that go away or change
        var renames: [PlannedStep] = []
        var creates: [PlannedStep] = []
        var columns: [PlannedStep] = []
        var adds: [PlannedStep] = []  // constraints and indexes that appear
        var foreignKeyAdds: [PlannedStep] = []  // after the indexes they may use (MySQL needs one)
        var retiredIndexes: [PlannedStep] = []  // indexes that go away: after their replacements exist
        var late: [PlannedStep] = []  // column and table drops, enum removals

        // Enums
        let oldEnums = Dictionary(uniqueKeysWithValues: old.enums.map { ($0.name, $0) })
        let newEnums = Dictionary(uniqueKeysWithValues: new.enums.map { ($0.name, $0) })
        for e in new.enums {
            guard let before = oldEnums[e.name] else {
                early.append(PlannedStep(.createEnum(e), .safe))
                continue
            }
            guard before.values != e.values || before.databaseName != e.databaseName else { continue }
            // `renamed_from` pairs that apply to this change: old value -> new value.
            let renames = EnumChange.declaredRenames(from: before, to: e)
            if !renames.isEmpty { enumValueRenames[e.name] = renames }
            let removed = EnumChange(from: before, to: e, renames: renames).removed
            var safety: SafetyClass = removed.isEmpty ? .safe : .dataLoss
            var notes: [String] = []
            if !renames.isEmpty {
                let pairs = before.values.compactMap { old in renames[old].map { "'\(old)' -> '\($0)'" } }
                notes.append("renames \(pairs.joined(separator: ", ")); rows follow; the running app still sends the old values")
                safety = max(safety, .breaking)
            }
            if !removed.isEmpty { notes.append("rows holding \(removed.map { "'\($0)'" }.joined(separator: ", ")) cannot keep their value") }
            let step = PlannedStep(.alterEnum(from: before, to: e, renames: renames), safety, note: notes.joined(separator: "; "))
            if removed.isEmpty { early.append(step) } else { late.append(step) }
        }
        for e in old.enums where newEnums[e.name] == nil {
            late.append(PlannedStep(.dropEnum(e), .safe))
        }

        // Tables
        let matchedOld = Set(tableMatch.values)
        let created = new.tables.filter { tableMatch[$0.name] == nil }
        let dropped = old.tables.filter { !matchedOld.contains($0.name) }
        for table in created.sorted(by: { $0.name < $1.name }) {
            creates.append(PlannedStep(.createTable(table), .safe))
            if let search = table.search { adds.append(PlannedStep(.addSearch(table: table.name, search), .safe)) }
        }
        // Each created table is suggested as the rename of one dropped table at most.
        var suggested: Set<String> = []
        for table in dropped {
            if let search = table.search { drops.append(PlannedStep(.dropSearch(table: table.name, search), .safe)) }
            late.append(PlannedStep(.dropTable(table), .dataLoss, note: "the table and its rows are dropped"))
            guard let twin = created.first(where: { !suggested.contains($0.name) && $0.isJoinTable == table.isJoinTable && sameShape($0, table) })
            else { continue }
            suggested.insert(twin.name)
            if twin.isJoinTable, let relation = joinTableRelation(twin.name) {
                warnings.append(
                    "join table '\(table.name)' is dropped and '\(twin.name)' of the same shape is created: if this is a renamed relation, add 'renamed_from: <its old name>' to relation '\(relation)'"
                )
            } else {
                warnings.append(
                    "table '\(table.name)' is dropped and '\(twin.name)' of the same shape is created: if this is a rename, add 'renamed_from: \(table.entity ?? table.name)' to entity '\(twin.entity ?? twin.name)'"
                )
            }
        }
        for table in new.tables {
            guard let oldName = tableMatch[table.name], let oldTable = old.table(named: oldName) else { continue }
            if oldName != table.name {
                renames.append(
                    PlannedStep(
                        .renameTable(from: oldName, to: table.name), .breaking,
                        note: "the running app still uses '\(oldName)' until it is redeployed"))
            }
            // A search follows its columns and its table's name: a changed one is dropped before the
            // columns change and built again once they have. So is one whose column changes its type
            // (PostgreSQL cannot alter a column its generated column reads).
            let retyped = (table.search?.columns ?? []).contains { name in
                guard let before = oldTable.column(named: name), let after = table.column(named: name) else { return false }
                return before.type != after.type || before.nativeTypes != after.nativeTypes
            }
            if oldTable.search != table.search || retyped {
                if let search = oldTable.search { drops.append(PlannedStep(.dropSearch(table: oldName, search), .safe)) }
                if let search = table.search {
                    adds.append(
                        PlannedStep(.addSearch(table: table.name, search), .locking, note: "the search index is built over the table's rows"))
                }
            }
            diffTable(
                oldTable, table, drops: &drops, renames: &renames, columns: &columns, adds: &adds, foreignKeyAdds: &foreignKeyAdds,
                retiredIndexes: &retiredIndexes, late: &late)
        }
        // Creating tables: referenced tables first.
        creates = orderCreates(creates)
        // Dropping tables: referencing tables first.
        let tableDrops = late.filter { if case .dropTable = $0.operation { return true } else { return false } }
        let otherLate = late.filter { if case .dropTable = $0.operation { return false } else { return true } }
        late =
            otherLate.filter { if case .dropColumn = $0.operation { return true } else { return false } }
            + orderDrops(tableDrops)
            + otherLate.filter { if case .dropColumn = $0.operation { return false } else { return true } }
        return MigrationPlan(steps: early + drops + renames + creates + columns + adds + foreignKeyAdds + retiredIndexes + late, warnings: warnings)
    }

    func sameShape(_ a: Table, _ b: Table) -> Bool {
        a.columns.map { "\($0.type)|\($0.nullable)" } == b.columns.map { "\($0.type)|\($0.nullable)" }
    }

    func orderCreates(_ steps: [PlannedStep]) -> [PlannedStep] {
        var remaining = steps
        var done: Set<String> = []
        var result: [PlannedStep] = []
        let creating = Set(steps.compactMap { if case let .createTable(t) = $0.operation { return t.name } else { return nil } })
        while !remaining.isEmpty {
            let index =
                remaining.firstIndex { step in
                    guard case let .createTable(t) = step.operation else { return true }
                    return t.foreignKeys.allSatisfy {
                        $0.referencedTable == t.name || !creating.contains($0.referencedTable) || done.contains($0.referencedTable)
                    }
                } ?? 0
            let step = remaining.remove(at: index)
            if case let .createTable(t) = step.operation { done.insert(t.name) }
            result.append(step)
        }
        return result
    }

    func orderDrops(_ steps: [PlannedStep]) -> [PlannedStep] {
        let creationOrder = orderCreates(
            steps.map { step in
                if case let .dropTable(t) = step.operation { return PlannedStep(.createTable(t), step.safety, note: step.note) }
                return step
            })
        return creationOrder.reversed().map { step in
            if case let .createTable(t) = step.operation { return PlannedStep(.dropTable(t), step.safety, note: step.note) }
            return step
        }
    }

    // MARK: One table

    mutating func diffTable(
        _ oldTable: Table, _ newTable: Table, drops: inout [PlannedStep], renames: inout [PlannedStep], columns: inout [PlannedStep],
        adds: inout [PlannedStep], foreignKeyAdds: inout [PlannedStep], retiredIndexes: inout [PlannedStep], late: inout [PlannedStep]
    ) {
        let t = newTable.name
        // Constraints and indexes are dropped before tables are renamed: they use the old name.
        let o = oldTable.name
        let match = matchColumns(newTable, oldTable)
        let matchedOld = Set(match.values)
        var added: [Column] = []
        for column in newTable.columns {
            guard let oldName = match[column.name], let before = oldTable.column(named: oldName) else {
                added.append(column)
                let needsBackfill = !column.nullable && column.defaultValue == nil && !column.autoincrement
                let note =
                    column.backfill.map { "added nullable, filled with \($0), then NOT NULL" }
                    ?? "NOT NULL without a default: existing rows need a value (add a default or a backfill)"
                columns.append(PlannedStep(.addColumn(table: t, column), needsBackfill ? .needsBackfill : .safe, note: needsBackfill ? note : ""))
                continue
            }
            if oldName != column.name {
                renames.append(
                    PlannedStep(
                        .renameColumn(table: t, from: oldName, to: column.name), .breaking,
                        note: "the running app still reads and writes '\(oldName)' until it is redeployed"))
            }
            var renamedBefore = before
            renamedBefore.name = column.name
            // A default whose enum value was renamed follows the rename (it is part of `alter_enum`).
            if case let .enumeration(enumName) = column.type, before.type == column.type, before.defaultValue?.kind == .literal,
                let value = before.defaultValue?.value, let renamed = enumValueRenames[enumName]?[value]
            {
                renamedBefore.defaultValue?.value = renamed
            }
            if differs(renamedBefore, column) {
                let (safety, note) = classifyAlter(renamedBefore, column)
                columns.append(PlannedStep(.alterColumn(table: t, from: renamedBefore, to: column), safety, note: note))
            }
        }
        var suggested: Set<String> = []
        for column in oldTable.columns where !matchedOld.contains(column.name) {
            late.append(PlannedStep(.dropColumn(table: t, column), .dataLoss, note: "the column's values are dropped"))
            // A field is suggested for a field, a relation's column for a relation's column.
            guard
                let twin = added.first(where: {
                    !suggested.contains($0.name) && $0.type == column.type && ($0.relation == nil) == (column.relation == nil)
                })
            else { continue }
            suggested.insert(twin.name)
            if let relation = twin.relation, let oldRelation = column.relation {
                warnings.append(
                    "column '\(t).\(column.name)' of relation '\(oldRelation)' is dropped and '\(t).\(twin.name)' of relation '\(relation)' is added: if this is a rename, add 'renamed_from: \(oldRelation)' to relation '\(relation)'"
                )
            } else {
                warnings.append(
                    "column '\(t).\(column.name)' is dropped and '\(t).\(twin.name)' of the same type is added: if this is a rename, add 'renamed_from: \(column.field)' to field '\(twin.field)'"
                )
            }
        }
        // Constraints and indexes, compared by name and content (names follow the convention, so a
        // renamed column renames them too).
        func renamedColumns(_ names: [String]) -> [String] {
            names.map { old in match.first(where: { $0.value == old })?.key ?? old }
        }
        if oldTable.name != newTable.name, let before = oldTable.primaryKey, let after = newTable.primaryKey,
            before.name != after.name, renamedColumns(before.columns) == after.columns
        {
            columns.append(PlannedStep(.renamePrimaryKey(table: t, from: before.name, to: after.name, columns: after.columns), .safe))
        }
        if oldTable.comment != newTable.comment {
            columns.append(PlannedStep(.alterTableComment(table: t, from: oldTable.comment, to: newTable.comment), .safe))
        }
        let existing = !oldTable.columns.isEmpty
        if oldTable.primaryKey.map({ PrimaryKey(name: $0.name, columns: renamedColumns($0.columns)) }) != newTable.primaryKey,
            !(oldTable.primaryKey?.columns.map { renamedColumns([$0])[0] } == newTable.primaryKey?.columns
                && oldTable.primaryKey?.name != newTable.primaryKey?.name && oldTable.name != newTable.name)
        {
            columns.append(
                PlannedStep(
                    .alterPrimaryKey(table: t, from: oldTable.primaryKey, to: newTable.primaryKey), .locking, note: "the primary key is rebuilt"))
        }
        // An index or unique that disappears (rather than changes) is dropped only after the new ones
        // exist: MySQL refuses to drop the last index a foreign key can use.
        let newIndexNames = Set(newTable.indexes.map(\.name) + newTable.uniques.map(\.name))
        // A name that only follows a renamed table or column (same definition under the new name)
        // is a rename, not a rebuild.
        func renamePairs<T>(
            _ before: [T], _ after: [T], name: WritableKeyPath<T, String>, renamed: (T) -> T, equal: (T, T) -> Bool
        ) -> [(from: T, to: T)] {
            let beforeNames = Set(before.map { $0[keyPath: name] }), afterNames = Set(after.map { $0[keyPath: name] })
            var used: Set<String> = [], pairs: [(from: T, to: T)] = []
            for object in after where !beforeNames.contains(object[keyPath: name]) {
                let match = before.first { candidate in
                    guard !afterNames.contains(candidate[keyPath: name]), !used.contains(candidate[keyPath: name]) else { return false }
                    var moved = renamed(candidate)
                    moved[keyPath: name] = object[keyPath: name]
                    return equal(moved, object)
                }
                guard let match else { continue }
                used.insert(match[keyPath: name])
                pairs.append((renamed(match), object))
            }
            return pairs
        }
        let uniqueRenames = renamePairs(
            oldTable.uniques, newTable.uniques, name: \.name,
            renamed: { u in
                var u = u
                u.columns = renamedColumns(u.columns)
                return u
            }, equal: ==)
        let checkRenames = renamePairs(oldTable.checks, newTable.checks, name: \.name, renamed: { $0 }, equal: ==)
        let indexRenames = renamePairs(
            oldTable.indexes, newTable.indexes, name: \.name,
            renamed: { i in
                var i = i
                i.columns = renamedColumns(i.columns)
                return i
            }, equal: ==)
        // A foreign key whose name follows its renamed table, column or referenced table.
        func followingRenames(_ fk: ForeignKey) -> ForeignKey {
            var fk = fk
            fk.columns = renamedColumns(fk.columns)
            if let renamed = tableMatch.first(where: { $0.value == fk.referencedTable })?.key { fk.referencedTable = renamed }
            return fk
        }
        let foreignKeyRenames = renamePairs(oldTable.foreignKeys, newTable.foreignKeys, name: \.name, renamed: followingRenames, equal: ==)
        let foreignKeysRenamedAway = Set(foreignKeyRenames.map(\.from.name))
        let foreignKeysRenamedTo = Set(foreignKeyRenames.map(\.to.name))
        diffNamed(
            oldTable.foreignKeys.filter { !foreignKeysRenamedAway.contains($0.name) },
            newTable.foreignKeys.filter { !foreignKeysRenamedTo.contains($0.name) }, name: \.name,
            same: { a, b in followingRenames(a) == b }, drop: { drops.append(PlannedStep(.dropForeignKey(table: o, $0), .safe)) },
            add: {
                foreignKeyAdds.append(
                    PlannedStep(
                        .addForeignKey(table: t, $0), existing ? .locking : .safe,
                        note: existing ? "existing rows are checked while the table is locked" : ""))
            })
        for pair in uniqueRenames { columns.append(PlannedStep(.renameUnique(table: t, from: pair.from, to: pair.to), .safe)) }
        for pair in checkRenames { columns.append(PlannedStep(.renameCheck(table: t, from: pair.from, to: pair.to), .safe)) }
        for pair in indexRenames { columns.append(PlannedStep(.renameIndex(table: t, from: pair.from, to: pair.to), .safe)) }
        // After the indexes: MySQL re-creates a foreign key, which needs its index under its name.
        for pair in foreignKeyRenames { columns.append(PlannedStep(.renameForeignKey(table: t, from: pair.from, to: pair.to), .safe)) }
        let renamedAway = Set(uniqueRenames.map(\.from.name) + checkRenames.map(\.from.name) + indexRenames.map(\.from.name))
        let renamedTo = Set(uniqueRenames.map(\.to.name) + checkRenames.map(\.to.name) + indexRenames.map(\.to.name))
        diffNamed(
            oldTable.uniques.filter { !renamedAway.contains($0.name) }, newTable.uniques.filter { !renamedTo.contains($0.name) }, name: \.name,
            same: { a, b in renamedColumns(a.columns) == b.columns },
            drop: { unique in
                if newIndexNames.contains(unique.name) {
                    drops.append(PlannedStep(.dropUnique(table: o, unique), .safe))
                } else {
                    // Dropped after the renames: its downgrade re-creates it on the new column names.
                    var unique = unique
                    unique.columns = renamedColumns(unique.columns)
                    retiredIndexes.append(PlannedStep(.dropUnique(table: t, unique), .safe))
                }
            },
            add: { adds.append(PlannedStep(.addUnique(table: t, $0), .locking, note: "builds a unique index on existing rows")) })
        diffNamed(
            oldTable.checks.filter { !renamedAway.contains($0.name) }, newTable.checks.filter { !renamedTo.contains($0.name) }, name: \.name,
            same: { a, b in a.expression == b.expression && a.dialectExpressions == b.dialectExpressions },
            drop: { drops.append(PlannedStep(.dropCheck(table: o, $0), .safe)) },
            add: { adds.append(PlannedStep(.addCheck(table: t, $0), .safe)) })
        diffNamed(
            oldTable.indexes.filter { !renamedAway.contains($0.name) }, newTable.indexes.filter { !renamedTo.contains($0.name) }, name: \.name,
            same: { a, b in
                var a = a
                a.columns = renamedColumns(a.columns)
                return a == b
            },
            drop: { index in
                if newIndexNames.contains(index.name) {
                    drops.append(PlannedStep(.dropIndex(table: o, index), .safe))
                } else {
                    var index = index
                    index.columns = renamedColumns(index.columns)
                    retiredIndexes.append(PlannedStep(.dropIndex(table: t, index), .safe))
                }
            },
            add: { adds.append(PlannedStep(.addIndex(table: t, $0), .locking, note: "PostgreSQL builds it CONCURRENTLY, outside the transaction")) })
    }

    /// Calls `drop` for objects that disappear or change and `add` for objects that appear or change.
    func diffNamed<T>(_ before: [T], _ after: [T], name: (T) -> String, same: (T, T) -> Bool, drop: (T) -> Void, add: (T) -> Void) {
        let afterByName = Dictionary(after.map { (name($0), $0) }, uniquingKeysWith: { a, _ in a })
        let beforeByName = Dictionary(before.map { (name($0), $0) }, uniquingKeysWith: { a, _ in a })
        for object in before {
            if let counterpart = afterByName[name(object)], same(object, counterpart) { continue }
            drop(object)
        }
        for object in after {
            if let counterpart = beforeByName[name(object)], same(counterpart, object) { continue }
            add(object)
        }
    }

    func differs(_ a: Column, _ b: Column) -> Bool {
        a.type != b.type || a.nullable != b.nullable || a.defaultValue != b.defaultValue || a.comment != b.comment
            || a.nativeTypes != b.nativeTypes || a.onUpdateNow != b.onUpdateNow
    }

    func classifyAlter(_ a: Column, _ b: Column) -> (SafetyClass, String) {
        var safety = SafetyClass.safe
        var notes: [String] = []
        if a.type != b.type || a.nativeTypes != b.nativeTypes {
            switch TypeChange.classify(from: a.type, to: b.type) {
            case .widening:
                break
            case .rewrite:
                safety = max(safety, .locking)
                notes.append("\(a.type) -> \(b.type) rewrites the table on PostgreSQL")
            case .narrowing:
                safety = .dataLoss
                notes.append("\(a.type) -> \(b.type) can lose or reject existing values")
            }
            if TypeChange.valueKind(a.type) != TypeChange.valueKind(b.type) {
                safety = max(safety, .breaking)
                notes.append("the running app reads and writes \(TypeChange.valueKind(a.type)) values until it is redeployed")
            }
        }
        if a.nullable, !b.nullable {
            safety = max(safety, .needsBackfill)
            notes.append(
                b.backfill.map { "NULLs are filled with \($0) before NOT NULL" }
                    ?? (b.defaultValue == nil
                        ? "NULLs must be filled before NOT NULL (add a default or a backfill)" : "NULLs are filled with the default before NOT NULL"))
        }
        return (safety, notes.joined(separator: "; "))
    }
}

/// How a column type change treats existing values.
enum TypeChange {
    case widening, rewrite, narrowing

    /// What a column's values are to the app (its Python type): a change between two kinds breaks
    /// the running app; one within a kind (`int` -> `bigint`, `string(50)` -> `text`) does not.
    static func valueKind(_ type: ColumnType) -> String {
        switch type {
        case .smallint, .int, .bigint: return "integer"
        case .string, .text: return "text"
        case .decimal: return "decimal"
        case let .enumeration(name): return "enum \(name)"
        default: return type.description
        }
    }

    static func classify(from a: ColumnType, to b: ColumnType) -> TypeChange {
        let integerRank: [ColumnType: Int] = [.smallint: 0, .int: 1, .bigint: 2]
        switch (a, b) {
        case let (x, y) where integerRank[x] != nil && integerRank[y] != nil:
            return integerRank[y]! >= integerRank[x]! ? .rewrite : .narrowing
        case let (.string(n), .string(m)):
            return m >= n ? .widening : .narrowing
        case (.string, .text), (.enumeration, .text):
            return .widening
        case let (.enumeration, .string(m)):
            _ = m
            return .rewrite
        case let (.decimal(p, s), .decimal(p2, s2)):
            return s2 >= s && p2 - s2 >= p - s ? .rewrite : .narrowing
        case (.smallint, .decimal(let p, let s)), (.int, .decimal(let p, let s)):
            return p - s >= 10 ? .rewrite : .narrowing
        case (.bigint, .decimal(let p, let s)):
            return p - s >= 19 ? .rewrite : .narrowing
        default:
            return .narrowing
        }
    }
}
