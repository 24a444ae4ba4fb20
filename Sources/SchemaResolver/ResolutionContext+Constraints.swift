import SchemaModel

extension ResolutionContext {
    /// Field flags (`unique`, `index`), entity `unique`, `indexes`, `checks`, range checks and the
    /// indexes every foreign key gets unless another index already leads with its columns.
    func resolveEntityConstraints(_ i: Int) {
        let decl = entities[i]
        let table = tableNames[i]
        let keyColumns = primaryKeys[i]?.columns ?? []
        for f in decl.fields.indices {
            let unique = decl.fields[f].unique, index = decl.fields[f].index
            guard unique?.value == true || index?.value == true else { continue }  // nothing to add
            let fieldName = decl.fields[f].name.value
            guard let c = fieldColumns[i].firstIndex(where: { $0.column.field == fieldName }) else { continue }
            let columnName = fieldColumns[i][c].column.name
            if unique?.value == true, keyColumns != [columnName] {
                addUnique(
                    UniqueConstraint(name: convention.uniqueName(table: table, columns: [columnName]), columns: [columnName]), to: i,
                    at: unique!.location)
            }
            if index?.value == true {
                addIndex(Index(name: convention.indexName(table: table, columns: [columnName]), columns: [columnName]), to: i, at: index!.location)
            }
        }
        for unique in decl.uniques {
            guard let columns = resolveMembers(unique.fields, of: i, what: "unique constraint") else { continue }
            var name = convention.uniqueName(table: table, columns: columns)
            if let explicit = unique.name, checkIdentifier(explicit, what: "constraint", use: .quotedDatabaseName) { name = explicit.value }
            addUnique(UniqueConstraint(name: name, columns: columns), to: i, at: unique.name?.location ?? unique.location)
        }
        for index in decl.indexes { resolveIndex(index, of: i) }
        for check in decl.checks {
            var constraint = Identifiers.fragment(fromSQL: check.expression.value)
            if let explicit = check.name, checkIdentifier(explicit, what: "check", use: .database) { constraint = explicit.value }
            if FastText.isBlank(check.expression.value) {
                diagnostics.error("a check expression must not be empty", at: check.expression.location)
                continue
            }
            // The IR keeps the full convention name; the SQL renderer shortens it per dialect.
            let name = convention.checkName(table: table, constraint: constraint)
            let perDialect =
                check.dialectExpressions.isEmpty
                ? nil : Dictionary(uniqueKeysWithValues: check.dialectExpressions.map { ($0.key.rawValue, $0.value) })
            checks[i].append(CheckConstraint(name: name, expression: check.expression.value, dialectExpressions: perDialect))
            sourceMap[table: table, object: name] = check.location
        }
        for pending in pendingRangeChecks[table] ?? [] {
            checks[i].append(pending.check)
            sourceMap[table: table, object: pending.check.name] = pending.location
        }
        // Index every foreign key whose columns no other index or key starts with.
        for fk in foreignKeys[i] {
            let relationName = relations[i].first(where: { $0.foreignKey == fk.name })?.name
            let relation = decl.relations.first { relationName == $0.name.value }
            if relation?.index?.value == false { continue }
            // Some key, unique or full index already leads with the foreign key's columns.
            if keyColumns.starts(with: fk.columns) || uniques[i].contains(where: { $0.columns.starts(with: fk.columns) })
                || indexes[i].contains(where: { $0.predicate == nil && $0.columns.starts(with: fk.columns) })
            {
                continue
            }
            addIndex(
                Index(name: convention.indexName(table: table, columns: fk.columns), columns: fk.columns), to: i,
                at: relation?.name.location ?? decl.name.location)
        }
    }

    func addUnique(_ unique: UniqueConstraint, to i: Int, at location: SourceLocation) {
        if uniques[i].contains(where: { $0.columns == unique.columns }) { return }
        uniques[i].append(unique)
        sourceMap[table: tableNames[i], object: unique.name] = location
    }

    func addIndex(_ index: Index, to i: Int, at location: SourceLocation) {
        if let existing = indexes[i].first(where: { $0.name == index.name }) {
            if existing != index {
                diagnostics.error(
                    "index name '\(index.name)' is used twice in '\(entities[i].name.value)'; give one an explicit 'name'", at: location,
                    notes: [.init("first defined here", at: sourceMap[table: tableNames[i], object: index.name])])
            }
            return
        }
        indexes[i].append(index)
        sourceMap[table: tableNames[i], object: index.name] = location
    }

    /// Resolves member names (fields, relations, or column names) to column names.
    func resolveMembers(_ names: [Located<String>], of i: Int, what: String) -> [String]? {
        var result: [String] = []
        var ok = true
        var seen = SmallStringMap<SourceLocation>()
        for name in names {
            if let first = seen[name.value] {
                diagnostics.error("\(what) lists '\(name.value)' twice", at: name.location, notes: [.init("first listed here", at: first)])
                ok = false
                continue
            }
            seen[name.value] = name.location
            if let c = fieldColumns[i].firstIndex(where: { $0.column.field == name.value }) {
                result.append(fieldColumns[i][c].column.name)
            } else if let columns = relationColumns[i][name.value], !columns.isEmpty {
                result.append(contentsOf: columns.map(\.column.name))
            } else if let c = (fieldColumns[i] + timestampColumns[i] + relationColumns[i].values.flatMap { $0 }).first(where: {
                $0.column.name == name.value
            }) {
                result.append(c.column.name)
            } else if entities[i].fields.contains(where: { $0.name.value == name.value })
                || entities[i].relations.contains(where: { $0.name.value == name.value })
            {
                ok = false  // declared but invalid: already reported
            } else {
                diagnostics.error(
                    "\(what) on unknown field '\(name.value)' of '\(entities[i].name.value)'\(Suggestions.hint(for: name.value, in: memberNames(of: i)))",
                    at: name.location)
                ok = false
            }
        }
        if ok, Self.containsDuplicate(result) {
            diagnostics.error(
                "\(what) lists a column twice (\(names.map(\.value).joined(separator: ", ")) name the same columns)", at: names[0].location)
            ok = false
        }
        return ok ? result : nil
    }

    /// `Set(names).count != names.count`, without a set for the usual handful of names.
    static func containsDuplicate(_ names: [String]) -> Bool {
        guard names.count > 16 else {
            for j in names.indices { for k in names.indices where k > j && names[j] == names[k] { return true } }
            return false
        }
        return Set(names).count != names.count
    }

    func resolveIndex(_ decl: IndexDecl, of i: Int) {
        let table = tableNames[i]
        guard let columns = resolveMembers(decl.fields, of: i, what: "index") else { return }
        var method: IndexMethod?
        if let m = decl.method {
            guard let parsed = IndexMethod(rawValue: m.value.lowercased()) else {
                let names = IndexMethod.allCases.map(\.rawValue)
                diagnostics.error(
                    "unknown index method '\(m.value)'\(Suggestions.hint(for: m.value, in: names)) (expected one of \(names.joined(separator: ", ")))",
                    at: m.location)
                return
            }
            method = parsed
        }
        for expression in decl.expressions where FastText.isBlank(expression.value) {
            diagnostics.error("an index expression must not be empty", at: expression.location)
            return
        }
        if let predicate = decl.predicate, FastText.isBlank(predicate.value) {
            diagnostics.error("an index 'where' must not be empty", at: predicate.location)
            return
        }
        var name: String
        if let explicit = decl.name {
            guard checkIdentifier(explicit, what: "index", use: .quotedDatabaseName) else { return }
            name = explicit.value
        } else {
            var parts = columns
            parts += decl.expressions.map { Identifiers.fragment(fromSQL: $0.value) }
            name = convention.indexName(table: table, columns: parts)
            if decl.predicate != nil, indexes[i].contains(where: { $0.name == name }) || uniques[i].contains(where: { $0.name == name }) {
                name += "_partial"
            }
        }
        addIndex(
            Index(
                name: name, columns: columns, expressions: decl.expressions.map(\.value), unique: decl.unique, predicate: decl.predicate?.value,
                method: method), to: i, at: decl.name?.location ?? decl.location)
    }
}
