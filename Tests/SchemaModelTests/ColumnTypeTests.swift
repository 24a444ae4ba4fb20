import Foundation
import Testing

@testable import SchemaModel

@Suite("ColumnType")
struct ColumnTypeTests {
    static let all: [(ColumnType, String)] = [
        (.int, "int"), (.bigint, "bigint"), (.smallint, "smallint"), (.float, "float"),
        (.decimal(precision: 12, scale: 2), "decimal(12,2)"), (.decimal(precision: 5, scale: 0), "decimal(5,0)"),
        (.string(length: 200), "string(200)"), (.text, "text"), (.bool, "bool"), (.date, "date"), (.time, "time"),
        (.datetime, "datetime"), (.uuid, "uuid"), (.json, "json"), (.bytes, "bytes"),
        (.enumeration("Role"), "enum(Role)"), (.array(.int), "array<int>"),
        (.array(.string(length: 30)), "array<string(30)>"), (.array(.enumeration("Color")), "array<enum(Color)>"),
        (.array(.decimal(precision: 10, scale: 3)), "array<decimal(10,3)>"),
    ]

    @Test("every type has a spelling that parses back to it", arguments: all)
    func spellingRoundTrip(type: ColumnType, spelling: String) {
        #expect(type.description == spelling)
        #expect(ColumnType(spelling: spelling) == type)
    }

    @Test("spellings tolerate surrounding and inner spaces")
    func spellingWhitespace() {
        #expect(ColumnType(spelling: " decimal(12, 2) ") == .decimal(precision: 12, scale: 2))
        #expect(ColumnType(spelling: "string( 40 )") == .string(length: 40))
    }

    @Test(
        "malformed spellings are rejected",
        arguments: [
            "", "strin", "string", "string(abc)", "decimal(12)", "decimal(1,2,3)", "array<nope>", "array<int", "INT",
        ])
    func invalidSpelling(spelling: String) {
        #expect(ColumnType(spelling: spelling) == nil)
    }

    @Test("Codable uses the spelling, and decoding rejects unknown types")
    func codable() throws {
        let types = Self.all.map(\.0)
        let data = try JSONEncoder().encode(types)
        let strings = try JSONDecoder().decode([String].self, from: data)
        #expect(strings == Self.all.map(\.1))
        #expect(try JSONDecoder().decode([ColumnType].self, from: data) == types)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ColumnType].self, from: Data(#"["integer"]"#.utf8))
        }
    }

    @Test("classification")
    func classification() {
        #expect(ColumnType.bigint.isInteger && ColumnType.smallint.isInteger && !ColumnType.float.isInteger)
        #expect(ColumnType.decimal(precision: 3, scale: 1).isNumeric && !ColumnType.string(length: 3).isNumeric)
        #expect(ColumnType.date.isTemporal && ColumnType.datetime.isTemporal && !ColumnType.text.isTemporal)
    }

    @Test("aliases point at scalar names")
    func aliases() {
        for (alias, target) in ColumnType.aliases {
            #expect(ColumnType.scalarNames.contains(target), "\(alias) -> \(target)")
            #expect(!ColumnType.scalarNames.contains(alias), "\(alias) is both an alias and a scalar name")
        }
    }
}
