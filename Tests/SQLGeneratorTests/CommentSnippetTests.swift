import SchemaforgeKit
import Testing

@Suite("Snippets: comments")
struct CommentSnippetTests {
    static let yaml = """
        entities:
          Thing:
            comment: "It's a thing"
            fields:
              note: {type: text, comment: "a note"}
              size: int
        """

    @Test("PostgreSQL: COMMENT ON statements after the tables, nothing inline")
    func postgres() {
        let sql = Snippet.sql(Self.yaml, .postgresql)
        expectContains(sql, "COMMENT ON TABLE thing IS 'It''s a thing';")
        expectContains(sql, "COMMENT ON COLUMN thing.note IS 'a note';")
        expectContains(sql, "    note TEXT NOT NULL,\n")
        if let table = sql.range(of: "CREATE TABLE thing"), let comment = sql.range(of: "COMMENT ON TABLE") {
            #expect(table.lowerBound < comment.lowerBound)
        }
    }

    @Test("MySQL: inline COMMENT on the column, COMMENT= on the table")
    func mysql() {
        let sql = Snippet.sql(Self.yaml, .mysql)
        expectContains(sql, "    note TEXT NOT NULL COMMENT 'a note',\n")
        expectContains(
            sql, ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='It''s a thing';")
        expectNotContains(sql, "COMMENT ON")
    }

    @Test("SQLite: -- lines above the table and the column")
    func sqlite() {
        let sql = Snippet.sql(Self.yaml, .sqlite)
        expectContains(sql, "-- It's a thing\nCREATE TABLE thing (\n")
        expectContains(sql, "    -- a note\n    note TEXT NOT NULL,\n")
        expectNotContains(sql, "COMMENT")
    }

    @Test("a multi-line comment cannot break out of an SQLite -- comment")
    func multiLineOnSQLite() {
        let yaml = """
            entities:
              Thing:
                comment: "first line\\nDROP TABLE x"
                fields:
                  note: {type: text, comment: "one\\ntwo"}
            """
        let sql = Snippet.sql(yaml, .sqlite)
        expectContains(sql, "-- first line DROP TABLE x\n")
        expectContains(sql, "    -- one two\n")
        expectNotContains(sql, "\nDROP TABLE")
    }

    @Test("a relation's comment documents its foreign-key column")
    func relationComment() {
        let yaml = """
            entities:
              Owner:
                fields:
                  name: string
              Pet:
                relations:
                  owner: {to: Owner, comment: "who feeds it"}
            """
        expectContains(Snippet.sql(yaml, .postgresql), "COMMENT ON COLUMN pet.owner_id IS 'who feeds it';")
        expectContains(Snippet.sql(yaml, .mysql), "    owner_id INT NOT NULL COMMENT 'who feeds it',\n")
    }
}
