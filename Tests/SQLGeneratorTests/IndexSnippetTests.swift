import SchemaforgeKit
import Testing

@Suite("Snippets: indexes")
struct IndexSnippetTests {
    // Line numbers matter: the warnings must point at the index entries (lines 8 and 9, column 9) or,
    // for a named index, at its name (line 10, column 47).
    static let yaml = """
        entities:
          Post:
            fields:
              title: {type: string, length: 200}
              slug: {type: string, length: 200}
              published: bool
            indexes:
              - {fields: [title], where: "published"}
              - {fields: [slug], unique: true, where: "published"}
              - {expressions: ["lower(title)"], name: ix_post_title_lower}
        """

    @Test("partial and expression indexes on PostgreSQL and SQLite")
    func partialAndExpression() {
        for dialect in [Dialect.postgresql, .sqlite] {
            let output = Snippet.ddl(Self.yaml, dialect)
            let sql = output?.sql ?? ""
            expectContains(sql, "CREATE INDEX ix_post_title ON post (title) WHERE published;")
            expectContains(sql, "CREATE UNIQUE INDEX ix_post_slug ON post (slug) WHERE published;")
            expectContains(sql, "CREATE INDEX ix_post_title_lower ON post ((lower(title)));")
            #expect(output?.diagnostics.isEmpty == true, "\(output?.diagnostics.map(\.description) ?? [])")
        }
    }

    @Test("MySQL: a partial index becomes a full index, with a warning at the index")
    func partialIndexOnMySQL() {
        let output = Snippet.ddl(Self.yaml, .mysql)
        expectContains(output?.sql ?? "", "CREATE INDEX ix_post_title ON post (title);")
        let warning = output?.diagnostics.first { $0.message.contains("'ix_post_title'") }
        #expect(warning?.severity == .warning)
        #expect(warning?.message.contains("full index") == true)
        #expect(warning.flatMap(position) == "8:9")
        #expect(warning?.location?.file == Snippet.file)
    }

    @Test("MySQL: a partial unique index is skipped (a full one would reject valid rows), with a warning")
    func partialUniqueOnMySQL() {
        let output = Snippet.ddl(Self.yaml, .mysql)
        expectNotContains(output?.sql ?? "", "ix_post_slug")
        let warning = output?.diagnostics.first { $0.message.contains("'ix_post_slug'") }
        #expect(warning?.severity == .warning)
        #expect(warning?.message.contains("not created") == true)
        #expect(warning.flatMap(position) == "9:9")
    }

    @Test("MySQL: an expression index is skipped, with a warning")
    func expressionIndexOnMySQL() {
        let output = Snippet.ddl(Self.yaml, .mysql)
        expectNotContains(output?.sql ?? "", "ix_post_title_lower")
        expectNotContains(output?.sql ?? "", "lower(title)")
        let warning = output?.diagnostics.first { $0.message.contains("'ix_post_title_lower'") }
        #expect(warning?.severity == .warning)
        // An index with an explicit name is located at its name.
        #expect(warning.flatMap(position) == "10:47")
        #expect(output?.diagnostics.count == 3)
    }

    @Test("dialect warnings come in source order")
    func warningsInSourceOrder() {
        let positions = (Snippet.ddl(Self.yaml, .mysql)?.diagnostics ?? []).compactMap {
            $0.location.map { [$0.line, $0.column] }
        }
        #expect(positions == positions.sorted { $0.lexicographicallyPrecedes($1) })
    }

    static let methods = """
        entities:
          Doc:
            fields:
              body: json
              code: {type: string, length: 20}
              area: {type: string, length: 20}
              name: {type: string, length: 20}
            indexes:
              - {fields: [body], method: gin}
              - {fields: [code], method: hash}
              - {fields: [area], method: gist}
              - {fields: [name], method: btree}
        """

    @Test("index methods are rendered with USING on PostgreSQL; btree is the default and left out")
    func methodsOnPostgres() {
        let output = Snippet.ddl(Self.methods, .postgresql)
        let sql = output?.sql ?? ""
        expectContains(sql, "CREATE INDEX ix_doc_body ON doc USING GIN (body);")
        expectContains(sql, "CREATE INDEX ix_doc_code ON doc USING HASH (code);")
        expectContains(sql, "CREATE INDEX ix_doc_area ON doc USING GIST (area);")
        expectContains(sql, "CREATE INDEX ix_doc_name ON doc (name);")
        #expect(output?.diagnostics.isEmpty == true)
    }

    @Test("SQLite ignores non-btree methods with a warning at each index")
    func methodsOnSQLite() {
        let output = Snippet.ddl(Self.methods, .sqlite)
        let sql = output?.sql ?? ""
        expectNotContains(sql, "USING")
        expectContains(sql, "CREATE INDEX ix_doc_body ON doc (body);")
        expectContains(sql, "CREATE INDEX ix_doc_code ON doc (code);")
        let warned = (output?.diagnostics ?? []).filter { $0.severity == .warning }
        #expect(Set(warned.compactMap(position)) == ["9:9", "10:9", "11:9"])
        #expect(warned.contains { $0.message.contains("'gin'") && $0.message.contains("ix_doc_body") })
    }

    @Test("MySQL ignores non-btree methods with a warning and cannot index a JSON column without a prefix")
    func methodsOnMySQL() {
        let output = Snippet.ddl(Self.methods, .mysql)
        let sql = output?.sql ?? ""
        expectNotContains(sql, "USING")
        expectContains(sql, "CREATE INDEX ix_doc_code ON doc (code);")
        expectNotContains(sql, "ix_doc_body")
        let messages = (output?.diagnostics ?? []).map(\.message)
        #expect(messages.contains { $0.contains("'hash'") && $0.contains("ix_doc_code") })
        #expect(messages.contains { $0.contains("ix_doc_body") && $0.contains("not created") })
    }

    @Test("a field-level index and a unique index")
    func fieldIndexAndUniqueIndex() {
        let yaml = """
            entities:
              Page:
                fields:
                  path: {type: string, length: 100, index: true}
                  lang: {type: string, length: 5}
                indexes:
                  - {fields: [lang, path], unique: true}
            """
        for dialect in Dialect.allCases {
            let sql = Snippet.sql(yaml, dialect)
            expectContains(sql, "CREATE INDEX ix_page_path ON page (path);")
            expectContains(sql, "CREATE UNIQUE INDEX ix_page_lang_path ON page (lang, path);")
        }
    }
}
