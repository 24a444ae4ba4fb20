import Foundation
import Testing

@testable import SchemaModel

@Suite("Schema coding")
struct SchemaCodingTests {
    static func sample() -> Schema {
        let user = Table(
            name: "user", entity: "User", comment: "people",
            columns: [
                Column(name: "id", type: .int, autoincrement: true),
                Column(name: "role", type: .enumeration("Role"), defaultValue: ColumnDefault(.literal, "reader")),
                Column(
                    name: "tags", type: .array(.string(length: 20)), nullable: true,
                    nativeTypes: ["postgresql": "TEXT[]"]),
            ],
            primaryKey: PrimaryKey(name: "pk_user", columns: ["id"]),
            checks: [
                CheckConstraint(name: "ck_user_x", expression: "id > 0", dialectExpressions: ["mysql": "`id` > 0"])
            ],
            indexes: [Index(name: "ix_user_role", columns: ["role"], predicate: "role <> 'admin'", method: .btree)])
        return Schema(
            name: "s", enums: [EnumType(name: "Role", databaseName: "role", values: ["admin", "reader"])],
            tables: [user])
    }

    func encode(_ schema: Schema) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(schema), as: UTF8.self)
    }

    @Test("the IR round-trips through JSON unchanged")
    func roundTrip() throws {
        let schema = Self.sample()
        let decoded = try JSONDecoder().decode(Schema.self, from: Data(try encode(schema).utf8))
        #expect(decoded == schema)
        #expect(decoded.formatVersion == Schema.currentFormatVersion)
    }

    @Test("encoding twice gives the same bytes, types are spelled, and lookups work")
    func stable() throws {
        let schema = Self.sample()
        let first = try encode(schema)
        let second = try encode(schema)
        #expect(first == second)
        #expect(first.contains(#""type" : "array<string(20)>""#))
        #expect(first.contains(#""type" : "enum(Role)""#))
        #expect(schema.table(named: "user")?.column(named: "role")?.type == .enumeration("Role"))
        #expect(schema.table(forEntity: "User")?.name == "user")
        #expect(schema.enumType(named: "Role")?.databaseName == "role")
        #expect(schema.table(named: "user")?.column(named: "tags")?.nativeType(for: .postgresql) == "TEXT[]")
        #expect(schema.table(named: "user")?.column(named: "tags")?.nativeType(for: .mysql) == nil)
        #expect(schema.table(named: "user")?.checks.first?.expression(for: .mysql) == "`id` > 0")
        #expect(schema.table(named: "user")?.checks.first?.expression(for: .sqlite) == "id > 0")
    }
}
