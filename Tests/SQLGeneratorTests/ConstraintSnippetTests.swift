import SchemaforgeKit
import Testing

@Suite("Snippets: unique and check constraints")
struct ConstraintSnippetTests {
    @Test("unique together, with relation members and an explicit name")
    func uniqueTogether() {
        let yaml = """
            entities:
              User:
                fields:
                  name: string
              Membership:
                fields:
                  role: {type: string, length: 20}
                  number: int
                relations:
                  user: {to: User}
                unique:
                  - [user, role]
                  - {fields: [number, role], name: uq_membership_seat}
            """
        for dialect in Dialect.allCases {
            let sql = Snippet.sql(yaml, dialect)
            expectContains(sql, "    CONSTRAINT uq_membership_user_id_role UNIQUE (user_id, role),\n")
            expectContains(sql, "    CONSTRAINT uq_membership_seat UNIQUE (number, role),\n")
        }
    }

    @Test("a field-level unique on a reserved word is quoted per dialect")
    func uniqueReservedColumn() {
        let yaml = """
            entities:
              Slot:
                fields:
                  order: {type: int, unique: true}
            """
        expectContains(Snippet.sql(yaml, .postgresql), #"CONSTRAINT uq_slot_order UNIQUE ("order")"#)
        expectContains(Snippet.sql(yaml, .mysql), "CONSTRAINT uq_slot_order UNIQUE (`order`)")
    }

    static let checks = """
        entities:
          Product:
            fields:
              sku: {type: string, length: 32}
            checks:
              - {name: sku_not_blank, expr: "length(sku) > 0", postgresql: "char_length(sku) > 0"}
              - "sku <> 'none'"
        """

    @Test("a CHECK uses the dialect's override where there is one")
    func checkOverride() {
        expectContains(
            Snippet.sql(Self.checks, .postgresql), "CONSTRAINT ck_product_sku_not_blank CHECK (char_length(sku) > 0)")
        expectContains(Snippet.sql(Self.checks, .sqlite), "CONSTRAINT ck_product_sku_not_blank CHECK (length(sku) > 0)")
        expectContains(Snippet.sql(Self.checks, .mysql), "CONSTRAINT ck_product_sku_not_blank CHECK (length(sku) > 0)")
    }

    @Test("an unnamed CHECK is named after its expression")
    func checkNamedFromExpression() {
        for dialect in Dialect.allCases {
            expectContains(Snippet.sql(Self.checks, dialect), "CONSTRAINT ck_product_sku_none CHECK (sku <> 'none')")
        }
    }

    static let ranges = """
        entities:
          Item:
            fields:
              quantity: {type: int, min: 1, max: 1000}
              price: {type: decimal, precision: 8, scale: 2, min: 0.5}
              order: {type: smallint, min: 0}
              select: {type: float, max: 2.5}
        """

    @Test("min and max become a range CHECK")
    func rangeChecks() {
        for dialect in Dialect.allCases {
            let sql = Snippet.sql(Self.ranges, dialect)
            expectContains(sql, "CONSTRAINT ck_item_quantity_range CHECK (quantity >= 1 AND quantity <= 1000)")
            expectContains(sql, "CONSTRAINT ck_item_price_range CHECK (price >= 0.5)")
        }
    }

    @Test("a range CHECK on a reserved word quotes the column per dialect")
    func rangeCheckReservedWord() {
        expectContains(Snippet.sql(Self.ranges, .postgresql), #"CONSTRAINT ck_item_order_range CHECK ("order" >= 0)"#)
        expectContains(Snippet.sql(Self.ranges, .sqlite), #"CONSTRAINT ck_item_order_range CHECK ("order" >= 0)"#)
        expectContains(Snippet.sql(Self.ranges, .mysql), "CONSTRAINT ck_item_order_range CHECK (`order` >= 0)")
        expectContains(
            Snippet.sql(Self.ranges, .postgresql), #"CONSTRAINT ck_item_select_range CHECK ("select" <= 2.5)"#)
        expectContains(Snippet.sql(Self.ranges, .mysql), "CONSTRAINT ck_item_select_range CHECK (`select` <= 2.5)")
    }
}
