import SchemaforgeKit
import Testing

/// Expected names computed with Python, SQLAlchemy's scheme:
/// `name[:limit - 8] + "_" + hashlib.md5(name.encode()).hexdigest()[-4:]`.
@Suite("Snippets: long generated names")
struct NameSnippetTests {
    static let yaml = """
        entities:
          CustomerShippingAddress:
            fields:
              line1: string
          CustomerShippingAddressHistoryEntry:
            fields:
              valid_from: date
            relations:
              previous_shipping_address: {to: CustomerShippingAddress, kind: one_to_one, nullable: true}
            indexes:
              - {fields: [valid_from, previous_shipping_address]}
            checks:
              - {name: previous_shipping_address_valid_from_not_in_the_future, expr: "valid_from < '2100-01-01'"}
        """

    static let longFK =
        "fk_customer_shipping_address_history_entry_previous_shipping_address_id_customer_shipping_address"
    static let longUnique = "uq_customer_shipping_address_history_entry_previous_shipping_address_id"

    @Test("foreign key and unique names: 63 bytes on PostgreSQL, 64 on MySQL, untouched on SQLite")
    func constraintNamesShortenedPerDialect() {
        let pg = Snippet.sql(Self.yaml, .postgresql)
        expectContains(
            pg,
            "CONSTRAINT fk_customer_shipping_address_history_entry_previous_shi_2997 FOREIGN KEY (previous_shipping_address_id)"
        )
        expectContains(
            pg,
            "CONSTRAINT uq_customer_shipping_address_history_entry_previous_shi_f882 UNIQUE (previous_shipping_address_id)"
        )
        let mysql = Snippet.sql(Self.yaml, .mysql)
        expectContains(
            mysql,
            "CONSTRAINT fk_customer_shipping_address_history_entry_previous_ship_2997 FOREIGN KEY (previous_shipping_address_id)"
        )
        expectContains(
            mysql,
            "CONSTRAINT uq_customer_shipping_address_history_entry_previous_ship_f882 UNIQUE (previous_shipping_address_id)"
        )
        let sqlite = Snippet.sql(Self.yaml, .sqlite)
        expectContains(sqlite, "CONSTRAINT \(Self.longFK) FOREIGN KEY")
        expectContains(sqlite, "CONSTRAINT \(Self.longUnique) UNIQUE")
        // Short names are left alone everywhere.
        for sql in [pg, mysql, sqlite] {
            expectContains(sql, "CONSTRAINT pk_customer_shipping_address_history_entry PRIMARY KEY (id)")
        }
    }

    @Test("the IR keeps the full convention name; only the DDL shortens it")
    func irKeepsFullNames() {
        let schema = Snippet.load(Self.yaml)?.schema
        let table = schema?.table(named: "customer_shipping_address_history_entry")
        #expect(table?.foreignKeys.map(\.name) == [Self.longFK])
        #expect(table?.uniques.map(\.name) == [Self.longUnique])
    }

    @Test("entity-level index and check names are shortened per dialect like every other generated name")
    func entityLevelNamesShortenedPerDialect() {
        let pg = Snippet.sql(Self.yaml, .postgresql)
        expectContains(pg, "CREATE INDEX ix_customer_shipping_address_history_entry_valid_from_p_ad9f ON")
        expectContains(pg, "CONSTRAINT ck_customer_shipping_address_history_entry_previous_shi_2a08 CHECK")
        let mysql = Snippet.sql(Self.yaml, .mysql)
        expectContains(mysql, "CREATE INDEX ix_customer_shipping_address_history_entry_valid_from_pr_ad9f ON")
        expectContains(mysql, "CONSTRAINT ck_customer_shipping_address_history_entry_previous_ship_2a08 CHECK")
        let sqlite = Snippet.sql(Self.yaml, .sqlite)
        expectContains(
            sqlite, "CREATE INDEX ix_customer_shipping_address_history_entry_valid_from_previous_shipping_address_id ON"
        )
        expectContains(
            sqlite,
            "CONSTRAINT ck_customer_shipping_address_history_entry_previous_shipping_address_valid_from_not_in_the_future CHECK"
        )
    }

    @Test("every identifier in the PostgreSQL and MySQL output fits the dialect's limit")
    func everythingFits() {
        for dialect in [Dialect.postgresql, .mysql] {
            let limit = dialect.maxIdentifierLength ?? Int.max
            let sql = Snippet.sql(Self.yaml, dialect)
            let words = sql.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            for word in words where word.utf8.count > limit {
                Issue.record("\(word) is \(word.utf8.count) bytes, over \(dialect)'s \(limit)")
            }
        }
    }
}
