import SchemaforgeKit
import TestSupport
import Testing

/// `schemaforge diagram`: the ER diagram of every example (golden files), and the constructs one by one.
@Suite("Diagram")
struct DiagramTests {
    @Test("the Mermaid and DOT diagrams match the reference", arguments: Examples.names)
    func golden(example: String) throws {
        let schema = try #require(try Examples.load(example).schema)
        GoldenFile.assertMatches(DiagramTarget.render(schema, format: "mermaid"), reference: "\(example)/diagram.mmd")
        GoldenFile.assertMatches(DiagramTarget.render(schema, format: "dot"), reference: "\(example)/diagram.dot")
    }

    @Test("cardinality: many-to-one, optional, one-to-one, and many-to-many through the join table")
    func cardinality() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Team:
                    fields: {name: string}
                  Person:
                    fields: {name: string}
                    relations:
                      team: {to: Team}
                      mentor: {to: Person, nullable: true}
                      skills: {to: Skill, kind: many_to_many}
                  Badge:
                    fields: {code: string}
                    relations:
                      person: {to: Person, kind: one_to_one}
                  Skill:
                    fields: {name: string}
                """))
        let mermaid = DiagramTarget.render(schema, format: "mermaid")
        #expect(mermaid.contains(#""person" }o--|| "team" : "team""#))
        #expect(mermaid.contains(#""person" }o--o| "person" : "mentor""#))
        #expect(mermaid.contains(#""badge" |o--|| "person" : "person""#))
        let joins = schema.tables.filter(\.isJoinTable).map(\.name)
        #expect(joins.count == 1)
        for join in joins {
            #expect(mermaid.contains("\"\(join)\" }o--|| \"person\""))
            #expect(mermaid.contains("\"\(join)\" }o--|| \"skill\""))
        }
        let dot = DiagramTarget.render(schema, format: "dot")
        #expect(dot.contains("\"badge\":c2 -> \"person\":c0 [arrowtail=teeodot, arrowhead=teetee"))
        #expect(dot.contains("arrowtail=crowodot, arrowhead=teeodot, label=\"mentor\""))
    }

    @Test("values that are not words: Mermaid gets words and a comment, DOT escaped HTML")
    func quoting() throws {
        let schema = try #require(
            resolve(
                """
                enums:
                  Shade: ["dark blue", "1st", "a<b & \\"c\\""]
                entities:
                  Paint:
                    fields: {shade: Shade}
                """))
        let mermaid = DiagramTarget.render(schema, format: "mermaid")
        #expect(mermaid.contains(#"enum dark_blue "dark blue""#))
        #expect(mermaid.contains(#"enum _1st "1st""#))
        #expect(mermaid.contains(#"enum a_b____c_ "a<b & _c_""#))
        let dot = DiagramTarget.render(schema, format: "dot")
        #expect(dot.contains("a&lt;b &amp; &quot;c&quot;"))
        #expect(dot.contains(#""enum Shade" [label=<"#))
    }
}
