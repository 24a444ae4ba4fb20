import SchemaModel

extension ResolutionContext {
    func relationDecl(_ name: String, of i: Int) -> RelationDecl? {
        entities[i].relations.first { $0.name.value == name }
    }

    /// The columns a foreign key of entity `target` must point at: its primary key, or the unique
    /// fields named by `references`.
    func referencedColumns(of target: Int, for relation: RelationDecl, from i: Int) -> [PendingColumn]? {
        let targetName = entities[target].name.value
        if let references = relation.references {
            var result: [PendingColumn] = []
            for ref in references {
                guard let column = fieldColumns[target].first(where: { $0.column.field == ref.value || $0.column.name == ref.value }) else {
                    diagnostics.error(
                        "relation '\(relation.name.value)' references '\(ref.value)', which is not a field of '\(targetName)'\(Suggestions.hint(for: ref.value, in: entities[target].fields.map(\.name.value)))",
                        at: ref.location)
                    return nil
                }
                result.append(column)
            }
            let names = Set(result.map(\.column.field))
            let keyNames = Set((keyMembers[target] ?? []).map(\.value))
            let uniqueField =
                result.count == 1 && entities[target].fields.contains { $0.name.value == result[0].column.field && $0.unique?.value == true }
            let uniqueSet = entities[target].uniques.contains { Set($0.fields.map(\.value)) == names }
            guard names == keyNames || uniqueField || uniqueSet else {
                let what =
                    references.count == 1
                    ? "'\(targetName).\(references[0].value)', which is"
                    : "\(references.map { "'\(targetName).\($0.value)'" }.joined(separator: ", ")), which are"
                diagnostics.error(
                    "relation '\(relation.name.value)' references \(what) neither the primary key nor unique; a foreign key needs a unique target (add 'unique: true' or a 'unique' constraint on \(references.count == 1 ? "it" : "them"))",
                    at: references[0].location)
                return nil
            }
            return result
        }
        guard let key = keyColumns(target) else {
            if keyMembers[target]?.isEmpty ?? false {
                diagnostics.error(
                    "relation '\(relation.name.value)' points at '\(targetName)', which has no primary key ('primary_key: false'); a foreign key needs a usable key (add a key or 'references' a unique field)",
                    at: relation.target.location)
            }
            return nil
        }
        return key
    }

    /// The foreign-key columns of a many-to-one or one-to-one relation, creating them (and the FK,
    /// the unique of a one-to-one, and the inverse side) on first use.
    func columns(forRelation name: String, of i: Int) -> [PendingColumn]? {
        guard let relation = relationDecl(name, of: i) else { return nil }
        let key = RelationRef(entity: i, name: name)
        // The cycle check comes before the memo: the memo holds a placeholder while in progress.
        if relationInProgress.contains(key) {
            diagnostics.error(
                "relation '\(name)' of '\(entities[i].name.value)' depends on itself through primary keys (its target's key leads back to it); give one of the entities a key of its own",
                at: relation.name.location)
            relationColumns[i][name] = []
            return nil
        }
        if let memo = relationColumns[i][name] { return memo.isEmpty ? nil : memo }
        relationInProgress.insert(key)
        defer { relationInProgress.remove(key) }
        relationColumns[i][name] = []  // failure unless replaced below
        guard checkIdentifier(relation.name, what: "relation", use: .schemaOnly) else { return nil }
        if let from = relation.renamedFrom { checkIdentifier(from, what: "renamed_from", use: .database) }
        guard let target = entity(named: relation.target, from: name) else { return nil }
        if relation.through != nil || relation.joinTable != nil {
            diagnostics.error(
                "'through' and 'join_table' apply to many_to_many relations only", at: (relation.through ?? relation.joinTable)!.location)
        }
        guard let referenced = referencedColumns(of: target, for: relation, from: i) else { return nil }

        let names: [Located<String>]
        if let explicit = relation.columns {
            guard explicit.count == referenced.count else {
                diagnostics.error(
                    "relation '\(name)' names \(explicit.count) column(s) but the key of '\(relation.target.value)' has \(referenced.count); name one column per key column",
                    at: explicit[0].location)
                return nil
            }
            var seenColumns: [String: SourceLocation] = [:]
            for column in explicit {
                guard checkIdentifier(column, what: "column", use: .quotedDatabaseName) else { return nil }
                if let first = seenColumns[column.value] {
                    diagnostics.error(
                        "relation '\(name)' names the column '\(column.value)' twice; each key column needs its own foreign key column",
                        at: column.location, notes: [.init("first named here", at: first)])
                    return nil
                }
                seenColumns[column.value] = column.location
            }
            names = explicit
        } else {
            names = referenced.map { Located(Identifiers.derived("\(name)_\($0.column.name)"), at: relation.name.location) }
        }

        let nullableDefault = relation.nullable?.value ?? false
        var result: [PendingColumn] = []
        for (columnName, ref) in zip(names, referenced) {
            var expected = ref.column.type
            if case .array = expected { expected = ref.column.type }
            if let c = fieldColumns[i].firstIndex(where: { $0.column.name == columnName.value }) {
                // The foreign-key column is declared as a field: its type must match the key.
                let existing = fieldColumns[i][c]
                if existing.column.type != expected {
                    diagnostics.error(
                        "foreign key column '\(columnName.value)' of relation '\(name)' is \(existing.column.type) but it references '\(relation.target.value).\(ref.column.name)', which is \(expected); declare the field as \(expected)",
                        at: existing.typeLocation, notes: [.init("the referenced column is declared here", at: ref.location)])
                    return nil
                }
                fieldColumns[i][c].column.relation = name
                result.append(fieldColumns[i][c])
            } else if relationColumns[i].values.contains(where: { $0.contains { $0.column.name == columnName.value } })
                || timestampColumns[i].contains(where: { $0.column.name == columnName.value })
            {
                diagnostics.error(
                    "column '\(columnName.value)' of relation '\(name)' is already used by another relation or column", at: columnName.location)
                return nil
            } else {
                // A renamed relation with derived column names renames its columns.
                let renamedFrom = relation.columns == nil ? relation.renamedFrom.map { Identifiers.derived("\($0.value)_\(ref.column.name)") } : nil
                let column = Column(
                    name: columnName.value, field: columnName.value, type: expected, nullable: nullableDefault,
                    comment: relation.comment, renamedFrom: renamedFrom, relation: name)
                result.append(PendingColumn(column: column, location: columnName.location, typeLocation: relation.target.location))
            }
        }
        let table = tableNames[i]
        let columnNames = result.map(\.column.name)
        let nullable = result.contains { $0.column.nullable }
        func checkAction(_ action: Located<ReferentialAction>?, _ label: String) {
            guard let action else { return }
            if action.value == .setNull, result.contains(where: { !$0.column.nullable }) {
                diagnostics.error("\(label): set_null needs a nullable foreign key; add 'nullable: true' to relation '\(name)'", at: action.location)
            }
            if action.value == .setDefault, result.contains(where: { $0.column.defaultValue == nil }) {
                diagnostics.error("\(label): set_default needs a default on the foreign key column '\(columnNames[0])'", at: action.location)
            }
        }
        checkAction(relation.onDelete, "on_delete")
        checkAction(relation.onUpdate, "on_update")
        let fk = ForeignKey(
            name: convention.foreignKeyName(table: table, columns: columnNames, referredTable: tableNames[target]),
            columns: columnNames, referencedTable: tableNames[target], referencedColumns: referenced.map(\.column.name),
            onDelete: relation.onDelete?.value, onUpdate: relation.onUpdate?.value)
        foreignKeys[i].append(fk)
        sourceMap[table: table, object: fk.name] = relation.name.location
        for column in columnNames where sourceMap[table: table, column: column] == nil {
            sourceMap[table: table, column: column] = relation.name.location
        }
        if relation.kind.value == .oneToOne, Set(columnNames) != Set(primaryKeyMemberColumns(i, resolving: name, as: columnNames)) {
            let unique = UniqueConstraint(name: convention.uniqueName(table: table, columns: columnNames), columns: columnNames)
            uniques[i].append(unique)
            sourceMap[table: table, object: unique.name] = relation.name.location
        }
        let isOneToOne = relation.kind.value == .oneToOne
        var forward = Relation(
            name: name, kind: isOneToOne ? .oneToOne : .manyToOne, targetEntity: relation.target.value, targetTable: tableNames[target],
            back: relation.back?.value, foreignKey: fk.name, nullable: nullable)
        if relation.embed { forward.embed = true }
        relations[i].append(forward)
        if let back = relation.back, checkBackName(back, on: target, for: relation, of: i) {
            relations[target].append(
                Relation(
                    name: back.value, kind: isOneToOne ? .oneToOneInverse : .oneToMany, targetEntity: entities[i].name.value,
                    targetTable: table, back: name, foreignKey: fk.name, nullable: true))
        }
        relationColumns[i][name] = result
        return result
    }

    /// Names of the columns of the primary key of `i` as far as they are known without recursion.
    func primaryKeyMemberColumns(_ i: Int, resolving relation: String, as columns: [String]) -> [String] {
        (keyMembers[i] ?? []).flatMap { member -> [String] in
            if member.value == relation { return columns }
            if let c = fieldColumns[i].first(where: { $0.column.field == member.value }) { return [c.column.name] }
            return relationColumns[i][member.value]?.map(\.column.name) ?? ["\u{0}"]
        }
    }

    /// A back-reference becomes an attribute of the target: it must not collide with its members.
    func checkBackName(_ back: Located<String>, on target: Int, for relation: RelationDecl, of i: Int) -> Bool {
        guard checkIdentifier(back, what: "back", use: .schemaOnly) else { return false }
        let targetDecl = entities[target]
        if target == i, back.value == relation.name.value {
            diagnostics.error(
                "'back: \(back.value)' names the relation itself; a self-referencing relation needs a different name for its other side",
                at: back.location)
            return false
        }
        if let field = targetDecl.fields.first(where: { $0.name.value == back.value }) {
            diagnostics.error(
                "'back: \(back.value)' collides with the field '\(back.value)' of '\(targetDecl.name.value)'; choose another 'back' name",
                at: back.location,
                notes: [.init("the field is declared here", at: field.name.location)])
            return false
        }
        if let other = targetDecl.relations.first(where: { $0.name.value == back.value }) {
            // A relation declared on both sides (many-to-many pairs) is linked elsewhere.
            let isPartner = relation.kind.value == .manyToMany && other.kind.value == .manyToMany && other.target.value == entities[i].name.value
            if !isPartner {
                diagnostics.error(
                    "'back: \(back.value)' collides with the relation '\(back.value)' of '\(targetDecl.name.value)'; choose another 'back' name",
                    at: back.location,
                    notes: [.init("the relation is declared here", at: other.name.location)])
            }
            return false
        }
        if let existing = relations[target].first(where: { $0.name == back.value }) {
            diagnostics.error(
                "'back: \(back.value)' is already a back-reference on '\(targetDecl.name.value)' (from relation '\(existing.back ?? "?")' of '\(existing.targetEntity)')",
                at: back.location)
            return false
        }
        return true
    }

    // MARK: Many-to-many

    /// The relation on the target that declares the same many-to-many from the other side, if any.
    func partner(of relation: RelationDecl, in i: Int, target: Int) -> RelationDecl? {
        entities[target].relations.first { other in
            other.kind.value == .manyToMany && other.target.value == entities[i].name.value
                && !(target == i && other.name.value == relation.name.value)
                && (other.name.value == relation.back?.value || other.back?.value == relation.name.value)
        }
    }

    func resolveManyToMany(_ relation: RelationDecl, of i: Int) {
        let name = relation.name.value
        guard checkIdentifier(relation.name, what: "relation", use: .schemaOnly) else { return }
        if let from = relation.renamedFrom { checkIdentifier(from, what: "renamed_from", use: .database) }
        guard let target = entity(named: relation.target, from: name) else { return }
        if let partner = partner(of: relation, in: i, target: target) {
            // Declared on both sides: the side declared first owns the join table.
            let partnerFirst =
                target < i
                || (target == i
                    && entities[i].relations.firstIndex { $0.name.value == partner.name.value }! < entities[i].relations.firstIndex {
                        $0.name.value == name
                    }!)
            if partnerFirst { return }
            if let back = relation.back, back.value != partner.name.value {
                diagnostics.error(
                    "'back: \(back.value)' does not match the relation '\(partner.name.value)' declared on '\(relation.target.value)'",
                    at: back.location)
                return
            }
            if let otherBack = partner.back, otherBack.value != name {
                diagnostics.error(
                    "'\(relation.target.value).\(partner.name.value)' says its inverse is '\(otherBack.value)', not '\(name)'", at: otherBack.location
                )
                return
            }
        }
        for (label, flag) in [
            ("on_delete", relation.onDelete?.location), ("on_update", relation.onUpdate?.location), ("column", relation.columns?.first?.location),
            ("references", relation.references?.first?.location),
        ] {
            if let flag { diagnostics.error("'\(label)' does not apply to a many_to_many relation", at: flag) }
        }
        let back = relation.back ?? partner(of: relation, in: i, target: target)?.name
        if let through = relation.through {
            resolveThrough(relation, through: through, of: i, target: target, back: back)
            return
        }
        let sourceKey = keyColumns(i), targetKey = keyColumns(target)
        guard let sourceKey, let targetKey else {
            let keyless = sourceKey == nil ? entities[i].name : entities[target].name
            if keyMembers[sourceKey == nil ? i : target]?.isEmpty ?? false {
                diagnostics.error(
                    "many_to_many relation '\(name)' needs a primary key on both sides, but '\(keyless.value)' has none ('primary_key: false')",
                    at: relation.name.location)
            }
            return
        }
        var tableName = Identifiers.shorten("\(tableNames[i])_\(name)", limit: Identifiers.maxExplicitLength)
        if let explicit = relation.joinTable, checkIdentifier(explicit, what: "join table", use: .database) { tableName = explicit.value }
        let sourcePrefix = Identifiers.snakeCase(entities[i].name.value)
        var targetPrefix = Identifiers.snakeCase(entities[target].name.value)
        if targetPrefix == sourcePrefix { targetPrefix = name }
        if targetPrefix == sourcePrefix { targetPrefix = "other_\(name)" }
        let sourceColumns = sourceKey.map { Column(name: Identifiers.derived("\(sourcePrefix)_\($0.column.name)"), type: $0.column.type) }
        let targetColumns = targetKey.map { Column(name: Identifiers.derived("\(targetPrefix)_\($0.column.name)"), type: $0.column.type) }
        let all = sourceColumns + targetColumns
        let sourceFK = ForeignKey(
            name: convention.foreignKeyName(table: tableName, columns: sourceColumns.map(\.name), referredTable: tableNames[i]),
            columns: sourceColumns.map(\.name), referencedTable: tableNames[i], referencedColumns: sourceKey.map(\.column.name), onDelete: .cascade)
        let targetFK = ForeignKey(
            name: convention.foreignKeyName(table: tableName, columns: targetColumns.map(\.name), referredTable: tableNames[target]),
            columns: targetColumns.map(\.name), referencedTable: tableNames[target], referencedColumns: targetKey.map(\.column.name),
            onDelete: .cascade)
        let index = Index(name: convention.indexName(table: tableName, columns: targetColumns.map(\.name)), columns: targetColumns.map(\.name))
        for object in [sourceFK.name, targetFK.name, index.name, convention.primaryKeyName(table: tableName)] {
            sourceMap[table: tableName, object: object] = relation.name.location
        }
        sourceMap[table: tableName, object: nil] = relation.name.location
        // A renamed relation renames its derived join table.
        let renamedFrom =
            relation.joinTable == nil
            ? relation.renamedFrom.map { Identifiers.shorten("\(tableNames[i])_\($0.value)", limit: Identifiers.maxExplicitLength) } : nil
        joinTables.append(
            Table(
                name: tableName, entity: nil, renamedFrom: renamedFrom, columns: all,
                primaryKey: PrimaryKey(name: convention.primaryKeyName(table: tableName), columns: all.map(\.name)),
                foreignKeys: [sourceFK, targetFK].sorted { $0.name < $1.name }, indexes: [index]))
        relations[i].append(
            Relation(
                name: name, kind: .manyToMany, targetEntity: relation.target.value, targetTable: tableNames[target], back: back?.value,
                foreignKey: sourceFK.name, joinTable: tableName, targetForeignKey: targetFK.name))
        if let back,
            (relation.back == nil || checkBackName(back, on: target, for: relation, of: i) || partner(of: relation, in: i, target: target) != nil)
        {
            relations[target].append(
                Relation(
                    name: back.value, kind: .manyToMany, targetEntity: entities[i].name.value, targetTable: tableNames[i], back: name,
                    foreignKey: targetFK.name, joinTable: tableName, targetForeignKey: sourceFK.name))
        }
    }

    /// A many-to-many through an explicit association entity with its own many-to-ones.
    func resolveThrough(_ relation: RelationDecl, through: Located<String>, of i: Int, target: Int, back: Located<String>?) {
        let name = relation.name.value
        if relation.joinTable != nil {
            diagnostics.error("'join_table' and 'through' exclude each other", at: relation.joinTable!.location)
        }
        guard let t = entity(named: through, from: name) else { return }
        let toSource = entities[t].relations.filter {
            ($0.kind.value == .manyToOne || $0.kind.value == .oneToOne) && $0.target.value == entities[i].name.value
        }
        let toTarget = entities[t].relations.filter {
            ($0.kind.value == .manyToOne || $0.kind.value == .oneToOne) && $0.target.value == entities[target].name.value
        }
        let sourceRel: RelationDecl?, targetRel: RelationDecl?
        if i == target {
            sourceRel = toSource.count == 2 ? toSource[0] : nil
            targetRel = toSource.count == 2 ? toSource[1] : nil
            if toSource.count != 2 {
                diagnostics.error(
                    "'through: \(through.value)' of a self-referencing many_to_many needs exactly two many_to_one relations to '\(entities[i].name.value)' on '\(through.value)' (found \(toSource.count))",
                    at: through.location)
                return
            }
        } else {
            for (list, end) in [(toSource, entities[i].name.value), (toTarget, entities[target].name.value)] where list.count != 1 {
                let hint = list.isEmpty ? "; add e.g. '\(Identifiers.snakeCase(end)): \(end)' to the relations of '\(through.value)'" : ""
                diagnostics.error(
                    "'through: \(through.value)' needs exactly one many_to_one to '\(end)' on '\(through.value)' (found \(list.count))\(hint)",
                    at: through.location)
                return
            }
            sourceRel = toSource[0]
            targetRel = toTarget[0]
        }
        guard let sourceRel, let targetRel,
            columns(forRelation: sourceRel.name.value, of: t) != nil, columns(forRelation: targetRel.name.value, of: t) != nil,
            let sourceFK = relations[t].first(where: { $0.name == sourceRel.name.value })?.foreignKey,
            let targetFK = relations[t].first(where: { $0.name == targetRel.name.value })?.foreignKey
        else { return }
        relations[i].append(
            Relation(
                name: name, kind: .manyToMany, targetEntity: relation.target.value, targetTable: tableNames[target], back: back?.value,
                foreignKey: sourceFK, joinTable: tableNames[t], targetForeignKey: targetFK, throughEntity: through.value))
        if let back,
            relation.back == nil || checkBackName(back, on: target, for: relation, of: i) || partner(of: relation, in: i, target: target) != nil
        {
            relations[target].append(
                Relation(
                    name: back.value, kind: .manyToMany, targetEntity: entities[i].name.value, targetTable: tableNames[i], back: name,
                    foreignKey: targetFK, joinTable: tableNames[t], targetForeignKey: sourceFK, throughEntity: through.value))
        }
    }
}
