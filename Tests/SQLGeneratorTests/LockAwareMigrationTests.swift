import SchemaforgeKit
import Testing

@Suite("PostgreSQL migration scripts that do not block")
struct LockAwareMigrationTests {
    static let before = """
        entities:
          User:
            fields:
              email: string(100)
          Post:
            fields:
              title: {type: string, length: 200, nullable: true}
        """
    static let after = """
        entities:
          User:
            fields:
              email: {type: string, length: 100, unique: true}
          Post:
            fields:
              title: {type: string, length: 200}
              views: {type: int, default: 0, min: 0}
            relations:
              author: {to: User, nullable: true}
          Tag:
            fields:
              label: {type: string, length: 30, unique: true}
            relations:
              owner: {to: User}
        """

    func script(_ dialect: Dialect) throws -> String {
        let old = try #require(Snippet.load(Self.before)?.schema)
        let new = try #require(Snippet.load(Self.after)?.schema)
        return MigrationSQLGenerator(old: old, new: new, dialect: dialect).render(MigrationPlanner.plan(from: old, to: new), title: "t")
    }

    @Test("existing tables: timeouts first, NOT VALID then VALIDATE, a unique from a concurrent index, NOT NULL from a CHECK")
    func existingTables() throws {
        let sql = try script(.postgresql)
        expectContains(sql, "SET lock_timeout = '5s';\n\nSET statement_timeout = '15min';")
        expectContains(
            sql, "ALTER TABLE post ADD CONSTRAINT fk_post_author_id_user FOREIGN KEY (author_id) REFERENCES \"user\" (id) NOT VALID;")
        expectContains(sql, "ALTER TABLE post VALIDATE CONSTRAINT fk_post_author_id_user;")
        expectContains(sql, "CREATE UNIQUE INDEX CONCURRENTLY uq_user_email ON \"user\" (email);")
        expectContains(sql, "ALTER TABLE \"user\" ADD CONSTRAINT uq_user_email UNIQUE USING INDEX uq_user_email;")
        expectContains(sql, "ALTER TABLE post ADD CONSTRAINT ck_post_title_not_null CHECK (title IS NOT NULL) NOT VALID;")
        expectContains(sql, "ALTER TABLE post ALTER COLUMN title SET NOT NULL;\n\nALTER TABLE post DROP CONSTRAINT ck_post_title_not_null;")
        expectContains(sql, "ALTER TABLE post VALIDATE CONSTRAINT ck_post_views_range;")
    }

    @Test("a table the script creates gets its constraints in CREATE TABLE, as before")
    func newTables() throws {
        let sql = try script(.postgresql)
        expectContains(sql, "CONSTRAINT uq_tag_label UNIQUE (label)")
        expectNotContains(sql, "VALIDATE CONSTRAINT fk_tag_owner_id_user")
    }

    @Test("MySQL and SQLite keep their forms")
    func otherDialects() throws {
        for dialect in [Dialect.mysql, .sqlite] {
            let sql = try script(dialect)
            expectNotContains(sql, "NOT VALID")
            expectNotContains(sql, "lock_timeout")
        }
    }
}
