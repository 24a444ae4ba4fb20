import SchemaforgeKit
import XCTest

/// `search:` on an entity: what resolves, and the located errors for what cannot be searched.
final class SearchDiagnosticsTests: XCTestCase {
    func testSearchResolvesToItsColumnsWithAFreeColumnName() throws {
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Post:
                    search: [headline, body]
                    fields:
                      headline: {type: string, length: 200, column: title}
                      body: text
                      search_vector: {type: int, nullable: true}
                """),
            [])
        let search = try XCTUnwrap(loaded.schema?.table(forEntity: "Post")?.search)
        XCTAssertEqual(search.columns, ["title", "body"], "fields become their columns")
        XCTAssertEqual(search.language, "english")
        XCTAssertEqual(search.vectorColumn, "search_vector_", "the generated column never takes a column's name")
        XCTAssertEqual(search.name, "ix_post_search_vector_")
    }

    func testWhatCannotBeSearched() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Post:
                    search: {fields: [title, views, secret, titel, title], language: klingon}
                    fields:
                      title: text
                      views: int
                      secret: {type: string, length: 20, sensitive: true}
                """),
            [
                .error(4, 30, "'search' covers text fields (string or text); 'views' is int"),
                .error(4, 37, "sensitive field 'secret' cannot be searched: a search would reveal what it holds"),
                .error(4, 45, "'search' names unknown field 'titel' of 'Post'; did you mean 'title'?"),
                .error(4, 52, "'search' lists 'title' twice"),
                .error(
                    4, 70,
                    "unknown search language 'klingon' (PostgreSQL's text search configurations: \(TextSearch.languages.joined(separator: ", ")))"),
            ])
    }

    func testSQLiteReservedColumnNames() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Post:
                    search: [rank, score]
                    fields:
                      rank: text
                      score: {type: text, column: rowid}
                """),
            [
                .error(
                    4, 14,
                    "'search' cannot cover a column named 'rank': SQLite's full-text tables reserve that name; give the field another 'column:'"),
                .error(
                    4, 20,
                    "'search' cannot cover a column named 'rowid': SQLite's full-text tables reserve that name; give the field another 'column:'"),
            ])
    }

    func testSearchNeedsFields() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Post:
                    search: {language: english}
                    fields:
                      title: text
                """),
            [.error(4, 13, "'search' needs 'fields': the text fields to search")])
    }
}
