import SchemaforgeKit
import XCTest

/// `filterable:` on a field: what resolves, where it cannot apply, and the warning when no index serves it.
final class FilterableDiagnosticsTests: XCTestCase {
    func testFilterableResolvesAndWarnsWithoutAnIndex() throws {
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      size: {type: int, filterable: true}
                      rank: {type: int, filterable: true, index: true}
                      code: {type: string, length: 10, unique: true, filterable: false}
                """),
            [
                .warning(
                    5, 37,
                    "the list filter on 'size' is served by no index: add 'index: true' to the field, or an index that starts with it")
            ])
        let table = try XCTUnwrap(loaded.schema?.table(forEntity: "Item"))
        XCTAssertEqual(table.column(named: "size")?.filterable, true)
        XCTAssertEqual(table.column(named: "rank")?.filterable, true)
        XCTAssertEqual(table.column(named: "code")?.filterable, false)
        XCTAssertNil(table.column(named: "id")?.filterable, "fields that say nothing keep the default (and their snapshot)")
    }

    func testFilterableNeedsAScalarThatIsNeitherSensitiveNorEncrypted() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      meta: {type: json, filterable: true}
                      hash: {type: string, sensitive: true, filterable: true, index: true}
                """),
            [
                .error(5, 38, "'filterable' applies to scalar fields, not json ('meta')"),
                .error(6, 57, "'hash' is sensitive: it cannot be filterable"),
            ])
    }
}
