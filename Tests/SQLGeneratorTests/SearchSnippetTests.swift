import SchemaforgeKit
import Testing

@Suite("Snippets: full-text search")
struct SearchSnippetTests {
    static let yaml = """
        entities:
          Post:
            search: {fields: [title, body], language: french}
            fields:
              title: {type: string, length: 200}
              body: text
              search_vector: {type: string, length: 10, nullable: true}
        """

    @Test("PostgreSQL: a stored tsvector column (weights A, B in field order, the schema's language) and a GIN index")
    func postgresql() {
        let sql = Snippet.sql(Self.yaml, .postgresql)
        expectContains(
            sql,
            "ALTER TABLE post ADD COLUMN search_vector_ tsvector GENERATED ALWAYS AS (setweight(to_tsvector('french'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('french'::regconfig, coalesce(body, '')), 'B')) STORED;"
        )
        expectContains(sql, "CREATE INDEX ix_post_search_vector_ ON post USING GIN (search_vector_);")
    }

    @Test("MySQL/MariaDB: a FULLTEXT index on the fields")
    func mysql() {
        expectContains(Snippet.sql(Self.yaml, .mysql), "CREATE FULLTEXT INDEX ix_post_search_vector_ ON post (title, body);")
    }

    @Test("SQLite: an external-content FTS5 table, bm25 weights in field order, three triggers, the rows indexed")
    func sqlite() {
        let sql = Snippet.sql(Self.yaml, .sqlite)
        expectContains(
            sql, "CREATE VIRTUAL TABLE ix_post_search_vector_ USING fts5(title, body, content='post', tokenize='unicode61 remove_diacritics 2');")
        expectContains(sql, "INSERT INTO ix_post_search_vector_(ix_post_search_vector_, rank) VALUES ('rank', 'bm25(1.0, 0.4)');")
        expectContains(
            sql,
            "CREATE TRIGGER ix_post_search_vector__update AFTER UPDATE ON post BEGIN INSERT INTO ix_post_search_vector_(ix_post_search_vector_, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body); INSERT INTO ix_post_search_vector_(rowid, title, body) VALUES (new.rowid, new.title, new.body); END;"
        )
        expectContains(sql, "INSERT INTO ix_post_search_vector_(ix_post_search_vector_) VALUES ('rebuild');")
    }

    @Test("English stems with the Porter tokenizer on SQLite")
    func englishOnSQLite() {
        let sql = Snippet.sql("entities:\n  Post:\n    search: [title]\n    fields:\n      title: text\n", .sqlite)
        expectContains(sql, "tokenize='porter unicode61 remove_diacritics 2'")
    }

    @Test("search added to a table with rows, and removed: the SQL migration builds and drops it")
    func migration() throws {
        let before = "entities:\n  Post:\n    fields:\n      title: text\n"
        let after = "entities:\n  Post:\n    search: [title]\n    fields:\n      title: text\n"
        let old = try #require(Snippet.load(before)?.schema)
        let new = try #require(Snippet.load(after)?.schema)
        let plan = MigrationPlanner.plan(from: old, to: new)
        #expect(plan.steps.map { "\($0.safety.rawValue) \($0.operation.kind)" } == ["locking add_search"])
        let postgres = MigrationSQLGenerator(old: old, new: new, dialect: .postgresql).render(plan, title: "t")
        expectContains(postgres, "CREATE INDEX ix_post_search_vector ON post USING GIN (search_vector);")
        let sqlite = MigrationSQLGenerator(old: old, new: new, dialect: .sqlite).render(plan, title: "t")
        expectContains(sqlite, "INSERT INTO ix_post_search_vector(ix_post_search_vector) VALUES ('rebuild');")
        let back = MigrationPlanner.plan(from: new, to: old)
        let down = MigrationSQLGenerator(old: new, new: old, dialect: .postgresql).render(back, title: "t")
        expectContains(down, "DROP INDEX ix_post_search_vector;")
        expectContains(down, "ALTER TABLE post DROP COLUMN search_vector;")
        expectContains(
            MigrationSQLGenerator(old: new, new: old, dialect: .mysql).render(back, title: "t"), "DROP INDEX ix_post_search_vector ON post;")
    }

    @Test("a searched column that changes its type: the search is dropped before and built again after")
    func retypedColumn() throws {
        let before = "entities:\n  Post:\n    search: [title]\n    fields:\n      title: string(50)\n"
        let after = "entities:\n  Post:\n    search: [title]\n    fields:\n      title: text\n"
        let old = try #require(Snippet.load(before)?.schema)
        let new = try #require(Snippet.load(after)?.schema)
        let kinds = MigrationPlanner.plan(from: old, to: new).steps.map(\.operation.kind)
        #expect(kinds == ["drop_search", "alter_column", "add_search"])
    }

    @Test("SQLite: a rebuilt table gets the triggers of its unchanged search back, and the index rebuilt")
    func rebuildKeepsTheSearch() throws {
        let before = "entities:\n  Post:\n    search: [title]\n    fields:\n      title: text\n"
        let after =
            "entities:\n  Post:\n    search: [title]\n    fields:\n      title: text\n      views: {type: int, default: 0}\n      stars: {type: int, default: 0, min: 0}\n"
        let old = try #require(Snippet.load(before)?.schema)
        let new = try #require(Snippet.load(after)?.schema)
        let sql = MigrationSQLGenerator(old: old, new: new, dialect: .sqlite).render(MigrationPlanner.plan(from: old, to: new), title: "t")
        expectContains(sql, "CREATE TRIGGER IF NOT EXISTS ix_post_search_vector_insert AFTER INSERT ON post")
        expectContains(sql, "INSERT INTO ix_post_search_vector(ix_post_search_vector) VALUES ('rebuild');")
    }
}
