import SchemaModel

extension ResolutionContext {
    /// Each entity's `search:`, checked against its assembled table: text fields only (neither
    /// encrypted nor sensitive), each once, and a language PostgreSQL knows. The generated column takes
    /// a name no column of the table has; the index (the FTS5 table on SQLite) its name from the
    /// naming convention.
    func resolveSearch(_ tables: inout [Table]) {
        let tableNames = Set(tables.map(\.name))
        for t in tables.indices {
            guard let entity = tables[t].entity, let i = entityIndex[entity], let decl = entities[i].search else { continue }
            let table = tables[t]
            var columns: [String] = []
            var ok = true
            for field in decl.fields {
                let column =
                    table.columns.first { $0.field == field.value && $0.relation == nil } ?? table.columns.first { $0.name == field.value }
                guard let column else {
                    let names = table.columns.map(\.field)
                    diagnostics.error(
                        "'search' names unknown field '\(field.value)' of '\(entity)'\(Suggestions.hint(for: field.value, in: names))",
                        at: field.location)
                    ok = false
                    continue
                }
                if columns.contains(column.name) {
                    diagnostics.error("'search' lists '\(field.value)' twice", at: field.location)
                    ok = false
                    continue
                }
                switch column.type {
                case .string, .text: break
                default:
                    diagnostics.error(
                        "'search' covers text fields (string or text); '\(field.value)' is \(column.type.description)", at: field.location)
                    ok = false
                }
                if ["rank", "rowid"].contains(column.name.lowercased()) {
                    diagnostics.error(
                        "'search' cannot cover a column named '\(column.name)': SQLite's full-text tables reserve that name; give the field another 'column:'",
                        at: field.location)
                    ok = false
                }
                if column.encrypted == true {
                    diagnostics.error("encrypted field '\(field.value)' cannot be searched: the database only sees ciphertext", at: field.location)
                    ok = false
                } else if column.sensitive {
                    diagnostics.error(
                        "sensitive field '\(field.value)' cannot be searched: a search would reveal what it holds", at: field.location)
                    ok = false
                }
                columns.append(column.name)
            }
            let language = decl.language?.value ?? "english"
            if !TextSearch.languages.contains(language) {
                diagnostics.error(
                    "unknown search language '\(language)'\(Suggestions.hint(for: language, in: TextSearch.languages)) (PostgreSQL's text search configurations: \(TextSearch.languages.joined(separator: ", ")))",
                    at: decl.language?.location ?? decl.location)
                ok = false
            }
            guard ok, !columns.isEmpty else { continue }
            var vector = "search_vector"
            while table.columns.contains(where: { $0.name == vector }) { vector += "_" }
            let name = convention.indexName(table: table.name, columns: [vector])
            if tableNames.contains(name) {
                diagnostics.error(
                    "the search of '\(entity)' needs the name '\(name)' (its index, an FTS5 table on SQLite), which a table has; rename that table",
                    at: decl.location)
                continue
            }
            tables[t].search = TextSearch(columns: columns, language: language, vectorColumn: vector, name: name)
            sourceMap[table: table.name, object: name] = decl.location
        }
    }
}
