import Testing

@testable import SchemaModel

@Suite("Identifiers")
struct IdentifiersTests {
    @Test(
        "snakeCase",
        arguments: [
            ("BlogPost", "blog_post"),
            ("HTTPRequest", "http_request"),
            ("userID", "user_id"),
            ("already_snake", "already_snake"),
            ("OrderLine", "order_line"),
            ("Category", "category"),
            ("IOError", "io_error"),
            ("getHTTPResponseCode", "get_http_response_code"),
            ("Address2Line", "address2_line"),
            ("A", "a"),
            ("", ""),
        ])
    func snakeCase(input: String, expected: String) {
        #expect(Identifiers.snakeCase(input) == expected)
    }

    @Test("snakeCase never doubles an existing underscore")
    func snakeCaseKeepsSingleUnderscores() {
        #expect(Identifiers.snakeCase("Order_Line") == "order_line")
        #expect(Identifiers.snakeCase("user_ID") == "user_id")
    }

    @Test("plain identifiers are letters, digits and underscores, not starting with a digit")
    func plainIdentifier() {
        for name in ["a", "_x", "user_id", "Order2", "ABC"] { #expect(Identifiers.isPlainIdentifier(name), "\(name)") }
        for name in ["", "2fast", "my-col", "with space", "naïve", "a.b", "x\"y"] {
            #expect(!Identifiers.isPlainIdentifier(name), "\(name)")
        }
    }

    // Expected names computed with Python:
    //   name[:limit - 8] + "_" + hashlib.md5(name.encode()).hexdigest()[-4:]
    // which is SQLAlchemy's `_truncate_and_render_maxlen_name`.
    static let longForeignKey =
        "fk_customer_shipping_address_history_entry_shipping_address_id_customer_shipping_address"

    @Test("shorten matches SQLAlchemy's truncation for PostgreSQL (63) and MySQL (64)")
    func shortenMatchesSQLAlchemy() {
        #expect(Self.longForeignKey.count == 88)
        #expect(
            Identifiers.shorten(Self.longForeignKey, limit: 63)
                == "fk_customer_shipping_address_history_entry_shipping_add_21b3")
        #expect(
            Identifiers.shorten(Self.longForeignKey, limit: 64)
                == "fk_customer_shipping_address_history_entry_shipping_addr_21b3")
        let index = "ix_" + String(repeating: "a", count: 70)
        #expect(Identifiers.shorten(index, limit: 63) == "ix_" + String(repeating: "a", count: 52) + "_33ae")
        #expect(Identifiers.shorten(index, limit: 64) == "ix_" + String(repeating: "a", count: 53) + "_33ae")
    }

    @Test("shortened names keep the prefix, fit the limit and end in the MD5's last four hex digits")
    func shortenShape() {
        for limit in [30, 63, 64] {
            let short = Identifiers.shorten(Self.longForeignKey, limit: limit)
            #expect(short.utf8.count == limit - 3)
            #expect(short.hasPrefix(String(Self.longForeignKey.prefix(limit - 8)) + "_"))
            #expect(short.hasSuffix(String(MD5.hex(Array(Self.longForeignKey.utf8)).suffix(4))))
        }
    }

    @Test("names within the limit, or without a limit, are unchanged")
    func shortenLeavesShortNames() {
        let exactly63 = String(repeating: "n", count: 63)
        #expect(Identifiers.shorten(exactly63, limit: 63) == exactly63)
        #expect(Identifiers.shorten(exactly63 + "n", limit: 63) != exactly63 + "n")
        #expect(Identifiers.shorten("pk_user", limit: 63) == "pk_user")
        #expect(Identifiers.shorten(Self.longForeignKey, limit: nil) == Self.longForeignKey)
    }

    @Test("shortening is deterministic and distinguishes names with the same prefix")
    func shortenDistinguishes() {
        let a = Self.longForeignKey + "_a"
        let b = Self.longForeignKey + "_b"
        #expect(Identifiers.shorten(a, limit: 63) == Identifiers.shorten(a, limit: 63))
        #expect(Identifiers.shorten(a, limit: 63) != Identifiers.shorten(b, limit: 63))
    }

    @Test(
        "fragment(fromSQL:) turns SQL into a name part",
        arguments: [
            ("lower(email)", "lower_email"),
            ("length(sku) > 0", "length_sku_0"),
            ("a > 0", "a_0"),
            ("  (price * 2) ", "price_2"),
            ("Status = 'Pending'", "status_pending"),
            ("()", "expr"),
        ])
    func fragment(sql: String, expected: String) {
        #expect(Identifiers.fragment(fromSQL: sql) == expected)
    }
}
