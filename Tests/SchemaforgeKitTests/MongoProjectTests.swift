import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The MongoDB project (`generate --db mongodb`): golden files for every example under
/// `Golden/<example>/project-mongodb/`, and the validator and index builders on small schemas.
@Suite("MongoDB project")
struct MongoProjectTests {
    @Test("the MongoDB project matches the reference", arguments: Examples.mongoNames)
    func golden(example: String) throws {
        let files = try GeneratedProjectGoldenTests.files(example, .mongodb)
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            GoldenFile.assertMatches(contents, reference: "\(example)/project-mongodb/\(path)")
        }
        let recorded = GoldenFile.files(under: "\(example)/project-mongodb")
        #expect(recorded.subtracting(files.keys).isEmpty || GoldenFile.isRecording, "stale references: \(recorded.subtracting(files.keys).sorted())")
        #expect(!files.keys.contains { $0.hasPrefix("migrations/") || $0 == "alembic.ini" }, "no Alembic for MongoDB")
        #expect(try GeneratedProjectGoldenTests.files(example, .mongodb) == files, "deterministic")
    }

    @Test("auth and encrypted fields are refused, where they are written, rather than served without them")
    func authIsRefused() throws {
        for example in Examples.names.filter({ !Examples.mongoNames.contains($0) }) {
            let loaded = GeneratorPipeline.load(path: Examples.path(example))
            let errors = GeneratorPipeline.targetDiagnostics(loaded, database: .mongodb).filter { $0.severity == .error }
            #expect(errors.contains { $0.message.contains("does not implement 'auth'") }, "\(example): \(errors)")
            #expect(errors.allSatisfy { $0.location?.line != nil }, "located: \(errors)")
        }
        #expect(Examples.mongoNames.count < Examples.names.count, "an example has auth")
    }

    static func schema(_ yaml: String) throws -> Schema {
        let loaded = GeneratorPipeline.load(text: yaml, file: "test.yaml")
        return try #require(loaded.schema, "\(loaded.diagnostics)")
    }

    static func jsonSchema(_ schema: Schema, entity: String) throws -> [String: Any] {
        let reshaped = MongoShape.reshape(schema)
        let table = try #require(reshaped.table(forEntity: entity))
        let text = MongoCollectionBuilder(reshaped: reshaped).validator(table).render()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return try #require(object["$jsonSchema"] as? [String: Any])
    }

    @Test("validator: types, required, nullability, enum, lengths, pattern, bounds, references")
    func validator() throws {
        let schema = try Self.schema(
            """
            schema: 1
            name: t
            enums:
              Kind: [a, b]
            entities:
              Owner:
                fields:
                  name: string(20)
              Item:
                fields:
                  code: {type: string, length: 8, min_length: 2, pattern: '^[A-Z]+$', unique: true}
                  kind: {type: Kind, nullable: true}
                  qty: {type: int, min: 0, max: 10}
                  big: bigint
                  price: {type: decimal, precision: 8, scale: 2}
                  token: {type: uuid, default: uuid}
                  at: {type: time, nullable: true}
                  tags: {type: "array<string(5)>"}
                relations:
                  owner: {to: Owner, kind: many_to_one, on_delete: cascade}
                  others: {to: Owner, kind: many_to_many}
            """)
        let s = try Self.jsonSchema(schema, entity: "Item")
        #expect(s["bsonType"] as? String == "object")
        #expect(s["additionalProperties"] as? Bool == false)
        let required = try #require(s["required"] as? [String])
        #expect(required == ["_id", "code", "kind", "qty", "big", "price", "token", "at", "tags", "owner_id", "other_ids"])
        let p = try #require(s["properties"] as? [String: [String: Any]])
        #expect(p["_id"]?["bsonType"] as? String == "objectId")
        #expect(p["code"]?["maxLength"] as? Int == 8)
        #expect(p["code"]?["minLength"] as? Int == 2)
        #expect(p["code"]?["pattern"] as? String == "^[A-Z]+$")
        #expect(p["kind"]?["bsonType"] as? [String] == ["string", "null"])
        #expect((p["kind"]?["enum"] as? [Any])?.count == 3, "the values and null")
        #expect(p["qty"]?["bsonType"] as? String == "int")
        #expect(p["qty"]?["minimum"] as? Int == 0)
        #expect(p["qty"]?["maximum"] as? Int == 10)
        #expect(p["big"]?["bsonType"] as? [String] == ["int", "long"])
        #expect(p["price"]?["bsonType"] as? String == "decimal")
        #expect(p["token"]?["bsonType"] as? String == "string")
        #expect(p["token"]?["pattern"] != nil)
        #expect(p["at"]?["bsonType"] as? [String] == ["string", "null"])
        #expect((p["tags"]?["items"] as? [String: Any])?["maxLength"] as? Int == 5)
        #expect(p["owner_id"]?["bsonType"] as? String == "objectId")
        #expect((p["other_ids"]?["items"] as? [String: Any])?["bsonType"] as? String == "objectId")
        // The inverse side stores nothing.
        let owner = try Self.jsonSchema(schema, entity: "Owner")
        #expect(owner["required"] as? [String] == ["_id", "name"])
    }

    @Test("indexes: unique, compound, partial from simple predicates; warnings for what MongoDB cannot do")
    func indexes() throws {
        let schema = try Self.schema(
            """
            schema: 1
            name: t
            entities:
              Item:
                fields:
                  name: string
                  active: bool
                  status: string(10)
                indexes:
                  - {fields: [name, status]}
                  - {fields: [name], where: "active"}
                  - {fields: [status], where: "status = 'open'"}
                  - {fields: [name], where: "length(name) > 3", name: ix_odd}
                  - {expressions: ["lower(name)"], name: ix_lower}
                unique:
                  - [name, status]
                checks:
                  - {name: name_not_blank, expr: "length(name) > 0"}
            """)
        let reshaped = MongoShape.reshape(schema)
        let builder = MongoCollectionBuilder(reshaped: reshaped)
        var warnings: [MongoWarning] = []
        let specs = builder.indexes(try #require(reshaped.table(forEntity: "Item")), warnings: &warnings)
        #expect(specs.contains { $0.unique && $0.keys == ["name", "status"] })
        #expect(specs.contains { !$0.unique && $0.keys == ["name", "status"] })
        #expect(specs.first { $0.partialFilter != nil && $0.keys == ["name"] }?.partialFilter == .object([.init("active", .bool(true))]))
        #expect(specs.first { $0.keys == ["status"] }?.partialFilter == .object([.init("status", .string("open"))]))
        #expect(!specs.contains { $0.name == "ix_odd" || $0.name == "ix_lower" })
        #expect(warnings.contains { $0.object == "ix_odd" } && warnings.contains { $0.object == "ix_lower" })
        #expect(MongoProjectGenerator(schema: schema).warnings.contains { $0.description.contains("name_not_blank") })
    }
}

extension MongoProjectTests {
    @Test("embed: true on a required many-to-one stores the target's fields inside the document")
    func embedded() throws {
        let schema = try Self.schema(
            """
            schema: 1
            name: t
            entities:
              Address:
                fields:
                  city: {type: string, length: 50}
                  zip: {type: string, length: 10, nullable: true}
              Customer:
                fields:
                  name: string(100)
                relations:
                  address: {to: Address, kind: many_to_one, embed: true}
                  billing: {to: Address, kind: many_to_one, nullable: true, embed: true}
            """)
        let s = try Self.jsonSchema(schema, entity: "Customer")
        #expect(s["required"] as? [String] == ["_id", "name", "address", "billing_id"])
        let p = try #require(s["properties"] as? [String: [String: Any]])
        let address = try #require(p["address"])
        #expect(address["bsonType"] as? String == "object")
        #expect(address["required"] as? [String] == ["city", "zip"])
        #expect(((address["properties"] as? [String: [String: Any]])?["city"])?["maxLength"] as? Int == 50)
        #expect(p["billing_id"]?["bsonType"] as? [String] == ["objectId", "null"], "an optional embed stays a reference")
        let generator = MongoProjectGenerator(schema: schema)
        #expect(generator.warnings.contains { $0.description.contains("'billing'") })
        let files = Dictionary(uniqueKeysWithValues: generator.generate().map { ($0.path, $0.contents) })
        #expect(files["app/models/address.py"]?.contains("class AddressEmbedded(EmbeddedModel):") == true)
        #expect(files["app/models/customer.py"]?.contains("    address: AddressEmbedded\n") == true)
        #expect(files["app/schemas/customer.py"]?.contains("    address: AddressCreate\n") == true)
        #expect(files["app/schemas/customer.py"]?.contains("    address: AddressEmbedded\n") == true)
    }
}

@Suite("MongoDB migrations")
struct MongoMigrationTests {
    @Test("a rename becomes $rename, a new field with a default a backfill, a dropped one $unset; downgrade reverses them")
    func renameBackfillDrop() throws {
        let v1 = try MongoProjectTests.schema(
            """
            schema: 1
            name: t
            entities:
              Author:
                fields:
                  full_name: string(100)
                  nickname: {type: string, length: 30, nullable: true}
            """)
        let v2 = try MongoProjectTests.schema(
            """
            schema: 1
            name: t
            entities:
              Author:
                fields:
                  name: {type: string, length: 100, renamed_from: full_name}
                  country: {type: string, length: 2, default: FR}
            """)
        let plan = MigrationPlanner.plan(from: v1, to: v2)
        let generator = MongoMigrationGenerator(old: v1, new: v2)
        #expect(generator.refusals(plan).isEmpty)
        let text = generator.render(plan, name: "0002_v2", message: "v2")
        let upgrade = try #require(text.range(of: "async def upgrade")), downgrade = try #require(text.range(of: "async def downgrade"))
        let up = String(text[upgrade.lowerBound..<downgrade.lowerBound]), down = String(text[downgrade.lowerBound...])
        #expect(up.contains(#"update_many({}, {"$rename": {"full_name": "name"}})"#))
        #expect(up.contains(#"await backfill(db, "author", "country", "FR")"#))
        #expect(up.contains(#"{"$unset": {"nickname": ""}}"#))
        #expect(down.contains(#"{"$rename": {"name": "full_name"}}"#))
        #expect(down.contains(#"{"$unset": {"country": ""}}"#))
        #expect(text.contains("The downgrade cannot restore:\n- the values of author.nickname"))
    }

    @Test("a new required field without a default is refused")
    func refusal() throws {
        let v1 = try MongoProjectTests.schema("schema: 1\nname: t\nentities:\n  A:\n    fields:\n      x: string\n")
        let v2 = try MongoProjectTests.schema("schema: 1\nname: t\nentities:\n  A:\n    fields:\n      x: string\n      y: int\n")
        let plan = MigrationPlanner.plan(from: v1, to: v2)
        #expect(MongoMigrationGenerator(old: v1, new: v2).refusals(plan).count == 1)
    }
}
