import Testing

@testable import SchemaModel

@Suite("SQLIdentifier")
struct SQLIdentifierTests {
    @Test("plain lowercase non-keywords stay bare on every dialect")
    func bareNames() {
        for dialect in Dialect.allCases {
            for name in ["email", "order_id", "user_name", "_x", "col2"] {
                #expect(SQLIdentifier.quoted(name, for: dialect) == name, "\(name) on \(dialect)")
            }
        }
    }

    @Test("reserved words are quoted per dialect")
    func reservedWords() {
        for word in ["user", "order", "group", "select", "table", "check"] {
            #expect(SQLIdentifier.quoted(word, for: .postgresql) == "\"\(word)\"")
            #expect(SQLIdentifier.quoted(word, for: .sqlite) == "\"\(word)\"")
            #expect(SQLIdentifier.quoted(word, for: .mysql) == "`\(word)`")
        }
        #expect(!SQLIdentifier.isBareSafe("order"))
        #expect(!SQLIdentifier.isBareSafe("ORDER"))
        #expect(SQLIdentifier.isBareSafe("order_id"))
    }

    @Test("uppercase and unusual names are quoted so that their spelling survives")
    func caseAndCharacters() {
        #expect(SQLIdentifier.quoted("Users", for: .postgresql) == "\"Users\"")
        #expect(SQLIdentifier.quoted("Users", for: .mysql) == "`Users`")
        #expect(SQLIdentifier.quoted("my-col", for: .sqlite) == "\"my-col\"")
        #expect(SQLIdentifier.quoted("two words", for: .mysql) == "`two words`")
    }

    @Test("the quote character inside a name is doubled")
    func escaping() {
        #expect(SQLIdentifier.quoted("a\"b", for: .postgresql) == "\"a\"\"b\"")
        #expect(SQLIdentifier.quoted("a\"b", for: .sqlite) == "\"a\"\"b\"")
        #expect(SQLIdentifier.quoted("a`b", for: .mysql) == "`a``b`")
        // The other dialect's quote character needs no escaping.
        #expect(SQLIdentifier.quoted("a`b", for: .postgresql) == "\"a`b\"")
        #expect(SQLIdentifier.quoted("a\"b", for: .mysql) == "`a\"b`")
    }

    @Test("string literals double single quotes; MySQL also doubles backslashes")
    func literals() {
        #expect(SQLIdentifier.literal("plain", for: .postgresql) == "'plain'")
        #expect(SQLIdentifier.literal("it's", for: .postgresql) == "'it''s'")
        #expect(SQLIdentifier.literal("it's", for: .mysql) == "'it''s'")
        #expect(SQLIdentifier.literal(#"C:\temp"#, for: .mysql) == #"'C:\\temp'"#)
        #expect(SQLIdentifier.literal(#"C:\temp"#, for: .postgresql) == #"'C:\temp'"#)
        #expect(SQLIdentifier.literal(#"C:\temp"#, for: .sqlite) == #"'C:\temp'"#)
        #expect(SQLIdentifier.literal("", for: .sqlite) == "''")
    }
}
