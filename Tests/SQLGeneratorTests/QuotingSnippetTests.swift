import SchemaforgeKit
import Testing

@Suite("Snippets: quoting")
struct QuotingSnippetTests {
    static let yaml = """
        entities:
          User:
            comment: Accounts
            fields:
              select: {type: bool, default: false}
              email: string
          Group:
            fields:
              name: string
          Order:
            fields:
              number: int
            relations:
              user: {to: User}
              group: {to: Group, nullable: true}
            indexes:
              - {fields: [user, number]}
        """

    @Test("reserved words are double-quoted on PostgreSQL and SQLite, backquoted on MySQL, everywhere they appear")
    func reservedWords() {
        for dialect in [Dialect.postgresql, .sqlite] {
            let sql = Snippet.sql(Self.yaml, dialect)
            expectContains(sql, #"CREATE TABLE "user" ("#)
            expectContains(sql, #"CREATE TABLE "order" ("#)
            expectContains(sql, #"CREATE TABLE "group" ("#)
            expectContains(sql, #"    "select" BOOLEAN NOT NULL DEFAULT "#)
            expectContains(sql, #"CONSTRAINT fk_order_user_id_user FOREIGN KEY (user_id) REFERENCES "user" (id)"#)
            expectContains(sql, #"CONSTRAINT fk_order_group_id_group FOREIGN KEY (group_id) REFERENCES "group" (id)"#)
            expectContains(sql, #"CREATE INDEX ix_order_user_id_number ON "order" (user_id, number);"#)
            expectNotContains(sql, "`")
        }
        let mysql = Snippet.sql(Self.yaml, .mysql)
        expectContains(mysql, "CREATE TABLE `user` (")
        expectContains(mysql, "CREATE TABLE `order` (")
        expectContains(mysql, "    `select` BOOL NOT NULL DEFAULT 0,\n")
        expectContains(mysql, "REFERENCES `user` (id)")
        expectContains(mysql, "REFERENCES `group` (id)")
        expectContains(mysql, "CREATE INDEX ix_order_user_id_number ON `order` (user_id, number);")
        expectNotContains(mysql, "\"user\"")
        expectContains(Snippet.sql(Self.yaml, .postgresql), #"COMMENT ON TABLE "user" IS 'Accounts';"#)
    }

    @Test("names that are not reserved stay bare")
    func plainNamesStayBare() {
        for dialect in Dialect.allCases {
            let sql = Snippet.sql(Self.yaml, dialect)
            expectContains(sql, "    email VARCHAR(255) NOT NULL")
            expectContains(sql, "    user_id ")
        }
    }

    @Test("an explicit table name with capitals keeps its spelling by being quoted")
    func mixedCaseTable() {
        let yaml = """
            entities:
              Legacy:
                table: LegacyItems
                fields:
                  code: string
            """
        expectContains(Snippet.sql(yaml, .postgresql), #"CREATE TABLE "LegacyItems" ("#)
        expectContains(Snippet.sql(yaml, .mysql), "CREATE TABLE `LegacyItems` (")
    }
}
