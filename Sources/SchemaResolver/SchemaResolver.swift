import Foundation
import SchemaModel

/// The result of resolving a document: the IR (when there were no errors), where its parts came
/// from, and every diagnostic.
public struct Resolution: Sendable {
    public var schema: Schema?
    public var sourceMap: SourceMap
    public var diagnostics: [Diagnostic]
}

/// Turns a `SchemaDocument` into the resolved `Schema`: types, keys, relations -> foreign-key
/// columns, join tables and back-references, and names for every constraint from the convention.
public enum SchemaResolver {
    /// Resolves `document`. All problems are collected; `schema` is `nil` when any is an error.
    public static func resolve(_ document: SchemaDocument, convention: NamingConvention = .standard) -> Resolution {
        let context = ResolutionContext(document: document, convention: convention)
        let schema = context.run()
        let diagnostics = context.diagnostics.sorted
        let failed = diagnostics.contains { $0.severity == .error }
        return Resolution(schema: failed ? nil : schema, sourceMap: context.sourceMap, diagnostics: diagnostics)
    }
}

/// A relation of entity `entity` by name (the key of the relation cycle check).
struct RelationRef: Hashable {
    var entity: Int
    var name: String
}

/// One column of an entity while it is being resolved, with where it was declared.
struct PendingColumn {
    var column: Column
    var location: SourceLocation
    /// Location of the type token (for type mismatch diagnostics).
    var typeLocation: SourceLocation
}

/// Mutable state of one resolution. A class so the memoised key lookups can recurse.
final class ResolutionContext {
    let document: SchemaDocument
    let convention: NamingConvention
    var diagnostics = DiagnosticBag()
    var sourceMap = SourceMap()

    var enums: [String: EnumDecl] = [:]
    var entities: [EntityDecl] = []
    /// `read:` of the one_to_many relations, which become the inverse sides of many-to-ones.
    var oneToManyReads: [(entity: Int, name: String, read: Located<String>)] = []
    var entityIndex: [String: Int] = [:]
    var tableNames: [String] = []  // per entity index
    /// Scalar columns per entity (fields and timestamps), in order.
    var fieldColumns: [[PendingColumn]] = []
    /// `created_at` / `updated_at` added by `timestamps: true`.
    var timestampColumns: [[PendingColumn]] = []
    /// Foreign-key columns per entity and relation name, memoised.
    var relationColumns: [[String: [PendingColumn]]] = []
    var relationInProgress: Set<RelationRef> = []
    var foreignKeys: [[ForeignKey]] = []
    var uniques: [[UniqueConstraint]] = []
    var checks: [[CheckConstraint]] = []
    var indexes: [[Index]] = []
    var relations: [[Relation]] = []
    var primaryKeys: [PrimaryKey?] = []
    var joinTables: [Table] = []
    /// Names of fields that are primary-key members, per entity (resolved lazily).
    var keyMembers: [[Located<String>]?] = []
    var keyColumnsMemo: [Int: [PendingColumn]] = [:]
    var keyInProgress: Set<Int> = []
    /// Range CHECKs from `min`/`max` by table name, in declaration order, attached to their tables
    /// once entities are resolved (by name: entities whose table names clash each get both lists).
    var pendingRangeChecks: [String: [(check: CheckConstraint, location: SourceLocation)]] = [:]

    init(document: SchemaDocument, convention: NamingConvention) {
        self.document = document
        self.convention = convention
    }

    func run() -> Schema {
        collectEnums()
        collectEntities()
        normaliseOneToMany()
        for i in entities.indices { resolveFieldColumns(i) }
        for i in entities.indices { resolvePrimaryKey(i) }
        for i in entities.indices {
            for relation in entities[i].relations where relation.kind.value == .manyToOne || relation.kind.value == .oneToOne {
                _ = columns(forRelation: relation.name.value, of: i)
            }
        }
        for i in entities.indices {
            for relation in entities[i].relations where relation.kind.value == .manyToMany {
                resolveManyToMany(relation, of: i)
            }
        }
        for i in entities.indices { _ = keyColumns(i) }
        for i in entities.indices { resolveEntityConstraints(i) }
        var tables = entities.indices.map(assembleTable)
        tables.append(contentsOf: joinTables)
        resolveSearch(&tables)
        checkTableNames(tables)
        checkConstraintNames(tables)
        checkEnumTypeNames(tables)
        checkEncryptedColumns(tables)
        checkFilterIndexes(tables)
        let auth = resolveAccess(&tables)
        let schemaName = document.name?.value ?? ((document.file as NSString).lastPathComponent as NSString).deletingPathExtension
        for decl in enums.values { sourceMap[enumeration: decl.name.value] = decl.name.location }
        let enumTypes = enums.values.map { decl in
            EnumType(
                name: decl.name.value, databaseName: enumTypeName(decl), values: decl.values.map(\.value),
                comment: decl.comment,
                renamedValues: decl.renamedValues.isEmpty
                    ? nil : Dictionary(decl.renamedValues.map { ($0.new.value, $0.old.value) }, uniquingKeysWith: { a, _ in a }))
        }
        var schema = Schema(
            name: schemaName, namingConvention: convention, enums: enumTypes.sorted { $0.name < $1.name },
            tables: tables.sorted { $0.name < $1.name })
        schema.auth = auth
        if !diagnostics.hasErrors { warnAboutRequiredReferenceCycles(in: schema) }
        return schema
    }

    // MARK: Required reference cycles

    /// A warning per cycle of required many-to-one / one-to-one relations (no row of it can be
    /// inserted first), at the relation of the cycle declared first, with a note at each other one.
    func warnAboutRequiredReferenceCycles(in schema: Schema) {
        for cycle in RequiredReferenceCycles(schema: schema).cycles {
            let located = cycle.references.compactMap { ref -> (ref: RequiredReferenceCycles.Reference, at: SourceLocation)? in
                guard let i = entityIndex[ref.entity], let decl = entities[i].relations.first(where: { $0.name.value == ref.relation }) else {
                    return nil
                }
                return (ref, decl.name.location)
            }.sorted { ($0.at.line, $0.at.column) < ($1.at.line, $1.at.column) }
            guard let first = located.first else { continue }
            let fix = "or, on PostgreSQL, make its foreign key DEFERRABLE INITIALLY DEFERRED (by hand, in a migration)"
            let message: String
            if cycle.references.count == 1 {
                let ref = first.ref
                message =
                    "required relation \(ref) references its own entity: no \(ref.entity) can be created first (it needs an existing \(ref.target)), "
                    + "so the API cannot create it nor anything that requires it. Make the relation optional ('nullable: true'), " + fix
            } else {
                var seen: Set<String> = []
                let names = located.map(\.ref.entity).filter { seen.insert($0).inserted }
                let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
                message =
                    "required relations form a cycle: \(located.map { "\($0.ref)" }.joined(separator: ", ")); "
                    + "no \(list) can be created first (each needs an existing row of the cycle), "
                    + "so the API cannot create them nor anything that requires them. Make one relation of each cycle optional ('nullable: true'), "
                    + fix
            }
            diagnostics.warning(
                message,
                at: first.at,
                notes: located.dropFirst().map { .init("'\($0.ref.entity).\($0.ref.relation)' is required here", at: $0.at) })
        }
    }

    // MARK: Names

    /// Where a checked name ends up, which decides whether the dialects' length limit applies to it.
    enum NameUse {
        /// Only in the schema and the Python code (entity, relation and `back` names whose database
        /// names are set or derived and shortened): no length limit.
        case schemaOnly
        /// In the database as it is (an explicit table, column, constraint, index, join table or
        /// enum type name): at most `Identifiers.maxExplicitLength` bytes.
        case database
        /// In the database as the name of `object` (a table, a column) unless the schema sets `key`.
        case databaseUnlessSet(object: String, key: String)
        /// Only in the database, always quoted where needed (an explicit table, column, index or
        /// constraint name): any name the databases accept, so that an imported schema keeps
        /// `Order Details` or `first-name`; at most `Identifiers.maxExplicitLength` bytes.
        case quotedDatabaseName
    }

    /// Checks that a name is usable in SQL, Python and JSON alike, and, when it reaches the database
    /// (`use`), that it fits the dialects' length limit.
    @discardableResult
    func checkIdentifier(_ name: Located<String>, what: String, use: NameUse) -> Bool {
        let value = name.value
        // The usual case in one pass: a plain identifier (so not empty, no quotes, no leading digit)
        // within the length limit passes every check below.
        if Identifiers.isPlainIdentifier(value), value.utf8.count <= Identifiers.maxExplicitLength { return true }
        if case .quotedDatabaseName = use, !value.isEmpty, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            guard value.utf8.count > Identifiers.maxExplicitLength else { return true }
            diagnostics.error(
                "\(what) name '\(value)' is \(value.utf8.count) bytes long; the limit is \(Identifiers.maxExplicitLength) bytes (PostgreSQL); use a shorter name",
                at: name.location)
            return false
        }
        if value.isEmpty {
            diagnostics.error("\(what) name is empty; use letters, digits and '_'", at: name.location)
            return false
        }
        let hasQuote =
            FastText.isASCII(value)
            ? value.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "`") }
            : value.contains("\"") || value.contains("'") || value.contains("`")
        if hasQuote {
            diagnostics.error("\(what) name '\(value)' contains a quote character; use letters, digits and '_'", at: name.location)
            return false
        }
        if let first = value.unicodeScalars.first, first >= "0", first <= "9" {
            diagnostics.error("\(what) name '\(value)' starts with a digit; start it with a letter or '_'", at: name.location)
            return false
        }
        if !Identifiers.isPlainIdentifier(value) {
            diagnostics.error("\(what) name '\(value)' is not a valid identifier; use letters, digits and '_'", at: name.location)
            return false
        }
        let length = value.utf8.count, limit = Identifiers.maxExplicitLength
        guard length > limit else { return true }
        switch use {
        case .schemaOnly:
            return true
        case .database, .quotedDatabaseName:
            diagnostics.error(
                "\(what) name '\(value)' is \(length) bytes long; the limit is \(limit) bytes (PostgreSQL); use a shorter name", at: name.location)
        case let .databaseUnlessSet(object, key):
            diagnostics.error(
                "\(what) name '\(value)' is \(length) bytes long, too long for the \(object) name it gives (the limit is \(limit) bytes, PostgreSQL); set '\(key)' to a shorter name, or rename the \(what)",
                at: name.location)
        }
        return false
    }

    func collectEnums() {
        var seen: [String: SourceLocation] = [:]
        for decl in document.enums {
            if let first = seen[decl.name.value] {
                diagnostics.error("duplicate enum '\(decl.name.value)'", at: decl.name.location, notes: [.init("first defined here", at: first)])
                continue
            }
            seen[decl.name.value] = decl.name.location
            checkIdentifier(decl.name, what: "enum", use: .database)
            if ColumnType.scalarNames.contains(decl.name.value.lowercased()) || ColumnType.aliases[decl.name.value.lowercased()] != nil {
                diagnostics.error(
                    "enum '\(decl.name.value)' has the name of the built-in type '\(ColumnType.aliases[decl.name.value.lowercased()] ?? decl.name.value.lowercased())'; rename the enum",
                    at: decl.name.location)
            }
            if decl.values.isEmpty {
                diagnostics.error("enum '\(decl.name.value)' has no values", at: decl.name.location)
            }
            var values: [String: SourceLocation] = [:]
            for value in decl.values {
                if value.value.isEmpty {
                    diagnostics.error("enum '\(decl.name.value)' has an empty value", at: value.location)
                } else if let first = values[value.value] {
                    diagnostics.error(
                        "duplicate value '\(value.value)' in enum '\(decl.name.value)'", at: value.location,
                        notes: [.init("first defined here", at: first)])
                }
                values[value.value] = value.location
            }
            var renamedOld: [String: SourceLocation] = [:]
            for (new, old) in decl.renamedValues {
                if values[new.value] == nil {
                    diagnostics.error(
                        "'renamed_from' names '\(new.value)', which is not a value of enum '\(decl.name.value)' (its keys are the new values)\(Suggestions.hint(for: new.value, in: decl.values.map(\.value)))",
                        at: new.location)
                } else if values[old.value] != nil {
                    diagnostics.error(
                        "'\(new.value)' is renamed from '\(old.value)', which is still a value of enum '\(decl.name.value)'; remove it from 'values' or from 'renamed_from'",
                        at: old.location)
                } else if let first = renamedOld[old.value] {
                    diagnostics.error(
                        "'\(old.value)' is renamed twice in enum '\(decl.name.value)'", at: old.location,
                        notes: [.init("first renamed here", at: first)])
                }
                renamedOld[old.value] = old.location
            }
            enums[decl.name.value] = decl
        }
    }

    func collectEntities() {
        if document.entities.isEmpty {
            diagnostics.error("the schema declares no entities; add at least one under 'entities:'", at: document.location)
        }
        for decl in document.entities {
            if let first = entityIndex[decl.name.value] {
                diagnostics.error(
                    "duplicate entity '\(decl.name.value)'", at: decl.name.location,
                    notes: [.init("first defined here", at: entities[first].name.location)])
                continue
            }
            checkIdentifier(decl.name, what: "entity", use: decl.table == nil ? .databaseUnlessSet(object: "table", key: "table") : .schemaOnly)
            if enums[decl.name.value] != nil {
                diagnostics.error(
                    "'\(decl.name.value)' is both an entity and an enum", at: decl.name.location,
                    notes: [.init("the enum is defined here", at: enums[decl.name.value]!.name.location)])
            }
            entityIndex[decl.name.value] = entities.count
            entities.append(decl)
            var table = Identifiers.derived(Identifiers.snakeCase(decl.name.value))
            if let explicit = decl.table, checkIdentifier(explicit, what: "table", use: .quotedDatabaseName) { table = explicit.value }
            tableNames.append(table)
            // Warnings about the entity as a whole (a target's, raised after resolution) point here.
            if sourceMap[table: table, object: nil] == nil { sourceMap[table: table, object: nil] = decl.name.location }
        }
        let n = entities.count
        fieldColumns = Array(repeating: [], count: n)
        timestampColumns = Array(repeating: [], count: n)
        relationColumns = Array(repeating: [:], count: n)
        foreignKeys = Array(repeating: [], count: n)
        uniques = Array(repeating: [], count: n)
        checks = Array(repeating: [], count: n)
        indexes = Array(repeating: [], count: n)
        relations = Array(repeating: [], count: n)
        primaryKeys = Array(repeating: nil, count: n)
        keyMembers = Array(repeating: nil, count: n)
        // About a dozen named objects per entity (keys, foreign keys, indexes, checks, join tables).
        sourceMap.reserveCapacity(n * 12)
    }

    func entity(named target: Located<String>, from relation: String) -> Int? {
        if let i = entityIndex[target.value] { return i }
        diagnostics.error(
            "unknown entity '\(target.value)' in relation '\(relation)'\(Suggestions.hint(for: target.value, in: entities.map(\.name.value)))",
            at: target.location)
        return nil
    }

    /// Every name an entity's member lists may use: fields, relations, and their columns.
    func memberNames(of i: Int) -> [String] {
        var names = entities[i].fields.map(\.name.value) + entities[i].relations.map(\.name.value)
        names += (fieldColumns[i] + timestampColumns[i]).map(\.column.name)
        names += relationColumns[i].values.flatMap { $0.map(\.column.name) }
        return Array(Set(names)).sorted()
    }

    // MARK: one_to_many -> the target's many_to_one

    /// A `one_to_many` declared on the parent is the inverse of a many-to-one on the child: link it
    /// to the child's relation named by `back`, or create that relation.
    func normaliseOneToMany() {
        for i in entities.indices {
            // Remove the one_to_many relations first: a self-referencing one adds its many_to_one
            // to this same entity, which must survive.
            let oneToMany = entities[i].relations.filter { $0.kind.value == .oneToMany }
            if oneToMany.isEmpty { continue }  // nothing to remove (and no copy of the shared list)
            entities[i].relations.removeAll { $0.kind.value == .oneToMany }
            for relation in oneToMany {
                if let read = relation.read { oneToManyReads.append((i, relation.name.value, read)) }
                guard let target = entity(named: relation.target, from: relation.name.value) else { continue }
                guard let back = relation.back else {
                    diagnostics.error(
                        "one_to_many relation '\(relation.name.value)' needs 'back': the name of the many_to_one on '\(relation.target.value)' that holds the foreign key (e.g. 'back: \(Identifiers.snakeCase(entities[i].name.value))')",
                        at: relation.name.location)
                    continue
                }
                if let field = entities[target].fields.first(where: { $0.name.value == back.value }) {
                    diagnostics.error(
                        "'back: \(back.value)' of one_to_many '\(relation.name.value)' collides with the field '\(back.value)' of '\(relation.target.value)'; choose another name for the many_to_one",
                        at: back.location, notes: [.init("the field is declared here", at: field.name.location)])
                    continue
                }
                if let j = entities[target].relations.firstIndex(where: { $0.name.value == back.value }) {
                    var inverse = entities[target].relations[j]
                    guard inverse.kind.value == .manyToOne || inverse.kind.value == .oneToOne, inverse.target.value == entities[i].name.value else {
                        diagnostics.error(
                            "'back: \(back.value)' of one_to_many '\(relation.name.value)' must name a many_to_one to '\(entities[i].name.value)' on '\(relation.target.value)'",
                            at: back.location, notes: [.init("'\(back.value)' is defined here", at: inverse.name.location)])
                        continue
                    }
                    if let existing = inverse.back, existing.value != relation.name.value {
                        diagnostics.error(
                            "'\(relation.target.value).\(back.value)' says its inverse is '\(existing.value)', not '\(relation.name.value)'",
                            at: relation.name.location, notes: [.init("declared here", at: existing.location)])
                        continue
                    }
                    inverse.back = relation.name
                    entities[target].relations[j] = inverse
                } else {
                    var synthesized = RelationDecl(
                        name: back, target: Located(entities[i].name.value, at: relation.target.location),
                        kind: Located(.manyToOne, at: relation.kind.location), location: relation.location)
                    synthesized.back = relation.name
                    synthesized.nullable = relation.nullable
                    synthesized.onDelete = relation.onDelete
                    synthesized.onUpdate = relation.onUpdate
                    synthesized.columns = relation.columns
                    synthesized.references = relation.references
                    synthesized.index = relation.index
                    entities[target].relations.append(synthesized)
                }
            }
        }
    }

    // MARK: Assembly

    func assembleTable(_ i: Int) -> Table {
        let decl = entities[i]
        var columns: [Column] = []
        columns.reserveCapacity(fieldColumns[i].count + timestampColumns[i].count + 2 * decl.relations.count)
        var seen = SmallStringSet()
        func add(_ pending: PendingColumn) {
            guard !seen.contains(pending.column.name) else { return }
            columns.append(pending.column)
            seen.insert(pending.column.name)
        }
        // Defaulted id, then fields, then relation columns in declaration order, then timestamps.
        fieldColumns[i].forEach(add)
        for relation in decl.relations { (relationColumns[i][relation.name.value] ?? []).forEach(add) }
        timestampColumns[i].forEach(add)
        // Nothing reads an entity's working state once its table is assembled: hand the lists over
        // (sorted in place, the same order `sorted` gives) and free the rest now, which keeps the
        // peak memory of a large schema down.
        fieldColumns[i] = []
        timestampColumns[i] = []
        relationColumns[i] = [:]
        applyReadStyles(
            of: decl.relations.compactMap { r in r.read.map { (r.name.value, $0) } }
                + oneToManyReads.filter { $0.entity == i }.map { ($0.name, $0.read) }, to: &relations[i])
        var table = Table(
            name: tableNames[i], entity: decl.name.value, comment: decl.comment, renamedFrom: decl.renamedFrom?.value,
            columns: columns, primaryKey: primaryKeys[i],
            foreignKeys: Self.takeSorted(&foreignKeys[i]) { $0.name < $1.name },
            uniques: Self.takeSorted(&uniques[i]) { $0.name < $1.name },
            checks: Self.takeSorted(&checks[i]) { $0.name < $1.name },
            indexes: Self.takeSorted(&indexes[i]) { $0.name < $1.name },
            relations: Self.takeSorted(&relations[i]) { $0.name < $1.name })
        table.mongo = decl.mongo
        return table
    }

    /// `read: ids|nested` of the relations an entity declares, on the side that declares them.
    func applyReadStyles(of styles: [(name: String, read: Located<String>)], to relations: inout [Relation]) {
        for (name, read) in styles {
            guard let style = RelationRead(rawValue: read.value) else {
                let names = RelationRead.allCases.map(\.rawValue)
                diagnostics.error(
                    "unknown read style '\(read.value)' (expected \(names.joined(separator: " or ")))\(Suggestions.hint(for: read.value, in: names))",
                    at: read.location)
                continue
            }
            if let k = relations.firstIndex(where: { $0.name == name }) { relations[k].read = style }
        }
    }

    /// `list.sorted(by:)`, leaving `list` empty: sorts the (then unshared) storage in place.
    private static func takeSorted<T>(_ list: inout [T], by areInIncreasingOrder: (T, T) -> Bool) -> [T] {
        var taken: [T] = []
        swap(&taken, &list)
        taken.sort(by: areInIncreasingOrder)
        return taken
    }

    /// Where a table comes from: its explicit `table:` name, its entity, or the many_to_many that
    /// makes a join table.
    func location(of table: Table) -> SourceLocation? {
        if let e = table.entity, let i = entityIndex[e] { return entities[i].table?.location ?? entities[i].name.location }
        return sourceMap[table: table.name, object: nil]
    }

    /// Table names that more than one entity or join table produce (reported by `checkTableNames`).
    var clashingTableNames: Set<String> {
        var seen: Set<String> = [], clashing: Set<String> = []
        for name in tableNames + joinTables.map(\.name) where !seen.insert(name).inserted { clashing.insert(name) }
        return clashing
    }

    func checkTableNames(_ tables: [Table]) {
        var seen: [String: Table] = [:]
        for table in tables {
            if let other = seen[table.name] {
                let describe = { (t: Table) in t.entity.map { "entity '\($0)'" } ?? "a many_to_many join table" }
                diagnostics.error(
                    "table name '\(table.name)' is used twice (by \(describe(other)) and \(describe(table))); give one of them another 'table' name",
                    at: location(of: table), notes: [.init("first used here", at: location(of: other))])
            }
            seen[table.name] = seen[table.name] ?? table
        }
    }

    /// PostgreSQL puts index names (and the indexes behind PK/unique constraints) in one namespace
    /// per schema; keep every generated name unique across the whole schema.
    func checkConstraintNames(_ tables: [Table]) {
        var seen: [String: String] = [:]
        seen.reserveCapacity(tables.reduce(0) { $0 + 1 + $1.foreignKeys.count + $1.uniques.count + $1.checks.count + $1.indexes.count })
        let clashing = clashingTableNames
        for table in tables where !clashing.contains(table.name) {
            func visit(_ name: String) {
                if let other = seen.updateValue(table.name, forKey: name) {
                    diagnostics.error(
                        "constraint or index name '\(name)' is used twice (\(other == table.name ? "both in table '\(other)'" : "tables '\(other)' and '\(table.name)'")); give one of them an explicit 'name'",
                        at: sourceMap[table: table.name, object: name],
                        notes: other == table.name ? [] : [.init("first used here", at: sourceMap[table: other, object: name])])
                }
            }
            if let pk = table.primaryKey { visit(pk.name) }
            for fk in table.foreignKeys { visit(fk.name) }
            for unique in table.uniques { visit(unique.name) }
            for check in table.checks { visit(check.name) }
            for index in table.indexes { visit(index.name) }
            if let search = table.search { visit(search.name) }
        }
    }

    /// A PostgreSQL enum type shares the type namespace with the row types of tables.
    /// An enum's type name in the database: its `type:`, or its name in snake case.
    func enumTypeName(_ decl: EnumDecl) -> String {
        decl.typeName?.value ?? Identifiers.derived(Identifiers.snakeCase(decl.name.value))
    }

    func checkEnumTypeNames(_ tables: [Table]) {
        for decl in enums.values.sorted(by: { $0.name.value < $1.name.value }) {
            if let explicit = decl.typeName { checkIdentifier(explicit, what: "enum type", use: .quotedDatabaseName) }
            let typeName = enumTypeName(decl)
            if let table = tables.first(where: { $0.name == typeName }) {
                diagnostics.error(
                    "enum '\(decl.name.value)' becomes the PostgreSQL type '\(typeName)', which clashes with the table '\(typeName)'; rename the enum\(decl.typeName == nil ? " or set its 'type'" : "")",
                    at: decl.name.location, notes: location(of: table).map { [.init("the table comes from here", at: $0)] } ?? [])
            }
        }
    }
}
