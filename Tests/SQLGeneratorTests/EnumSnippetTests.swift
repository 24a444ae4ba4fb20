import SchemaforgeKit
import Testing

@Suite("Snippets: enums")
struct EnumSnippetTests {
    static let yaml = """
        enums:
          Role: [admin, editor, reader]
          OrderStatus: [pending, paid]
          Unused: [a, b]
        entities:
          User:
            fields:
              role: {type: Role, default: reader}
          Order:
            fields:
              status: OrderStatus
        """

    @Test("PostgreSQL creates a type for each used enum, before the tables, named in snake case")
    func postgresTypes() {
        let sql = Snippet.sql(Self.yaml, .postgresql)
        expectContains(sql, "CREATE TYPE role AS ENUM ('admin', 'editor', 'reader');")
        expectContains(sql, "CREATE TYPE order_status AS ENUM ('pending', 'paid');")
        expectNotContains(sql, "unused")
        expectContains(sql, "    role role NOT NULL DEFAULT 'reader',\n")
        expectContains(sql, #"    "status" order_status NOT NULL,"#)
        if let type = sql.range(of: "CREATE TYPE role"), let table = sql.range(of: "CREATE TABLE") {
            #expect(type.lowerBound < table.lowerBound)
        }
        // The type is in the IR's statements too, not only in the text.
        let statements = Snippet.ddl(Self.yaml, .postgresql)?.statements ?? []
        #expect(statements.contains(.createEnumType(name: "role", values: ["admin", "editor", "reader"])))
    }

    @Test("MySQL spells the values inline")
    func mysqlEnum() {
        let sql = Snippet.sql(Self.yaml, .mysql)
        expectContains(sql, "    role ENUM('admin', 'editor', 'reader') NOT NULL DEFAULT 'reader',\n")
        expectContains(sql, "    `status` ENUM('pending', 'paid') NOT NULL,\n")
        expectNotContains(sql, "CREATE TYPE")
    }

    @Test("SQLite stores the value in a VARCHAR as long as the longest value, kept in range by a CHECK")
    func sqliteEnum() {
        let sql = Snippet.sql(Self.yaml, .sqlite)
        expectContains(sql, "    role VARCHAR(6) NOT NULL DEFAULT 'reader',\n")
        expectContains(sql, "    CONSTRAINT ck_user_role CHECK (role IN ('admin', 'editor', 'reader'))\n")
        expectContains(sql, #"    CONSTRAINT ck_order_order_status CHECK ("status" IN ('pending', 'paid'))"#)
        expectNotContains(sql, "CREATE TYPE")
    }

    @Test("an enum used only as an array element still gets its PostgreSQL type")
    func enumInArray() {
        let yaml = """
            enums:
              Color: [red, green]
            entities:
              Palette:
                fields:
                  colors: {type: "array<Color>", default: '["red"]'}
            """
        let pg = Snippet.sql(yaml, .postgresql)
        expectContains(pg, "CREATE TYPE color AS ENUM ('red', 'green');")
        expectContains(pg, "    colors color[] NOT NULL DEFAULT ARRAY['red']::color[],\n")
        expectContains(Snippet.sql(yaml, .mysql), "    colors JSON NOT NULL DEFAULT ('[\"red\"]'),\n")
    }

    @Test("quotes inside enum values are escaped")
    func valueEscaping() {
        let yaml = """
            enums:
              Answer: ["it's", "no"]
            entities:
              Poll:
                fields:
                  answer: Answer
            """
        expectContains(Snippet.sql(yaml, .postgresql), "CREATE TYPE answer AS ENUM ('it''s', 'no');")
        expectContains(Snippet.sql(yaml, .mysql), "answer ENUM('it''s', 'no') NOT NULL")
        expectContains(Snippet.sql(yaml, .sqlite), "CHECK (answer IN ('it''s', 'no'))")
    }
}
