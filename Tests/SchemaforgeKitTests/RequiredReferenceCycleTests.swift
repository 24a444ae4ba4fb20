import SchemaforgeKit
import Testing

/// Required foreign keys in a cycle: the entities they make uncreatable, and the generated README.
@Suite("Required reference cycles")
struct RequiredReferenceCycleTests {
    /// Store <-> Staff (and Staff -> Staff) required; Payment requires Staff; Note only optionally
    /// references Payment; Category requires itself, Item requires Category; Tag is free.
    static let schema = """
        entities:
          Store:
            fields:
              name: string
            relations:
              manager: {to: Staff}
          Staff:
            fields:
              name: string
            relations:
              store: {to: Store}
              boss: {to: Staff}
          Payment:
            fields:
              amount: int
            relations:
              staff: {to: Staff}
          Note:
            fields:
              text: string
            relations:
              payment: {to: Payment, nullable: true}
          Category:
            fields:
              name: string
            relations:
              parent: {to: Category}
          Item:
            fields:
              name: string
            relations:
              category: {to: Category}
              tags: {to: Tag, kind: many_to_many}
          Tag:
            fields:
              name: string
        """

    @Test("the cycles and every entity that depends on one through required references")
    func uncreatableEntities() throws {
        let schema = try #require(resolve(Self.schema))
        #expect(schema.uncreatableEntities == ["Category", "Item", "Payment", "Staff", "Store"])
        let cycles = RequiredReferenceCycles(schema: schema).cycles
        #expect(cycles.count == 2)
        let storeCycle = try #require(cycles.first { $0.entities.contains("Store") })
        #expect(Set(storeCycle.entities) == ["Staff", "Store"])
        #expect(Set(storeCycle.references.map(\.description)) == ["Store.manager -> Staff", "Staff.store -> Store", "Staff.boss -> Staff"])
        let categoryCycle = try #require(cycles.first { $0.entities.contains("Category") })
        #expect(categoryCycle.references.map(\.description) == ["Category.parent -> Category"])
    }

    @Test("an optional relation breaks the cycle: nothing is uncreatable")
    func optionalBreaksTheCycle() throws {
        let text = Self.schema
            .replacingOccurrences(of: "manager: {to: Staff}", with: "manager: {to: Staff, nullable: true}")
            .replacingOccurrences(of: "boss: {to: Staff}", with: "boss: {to: Staff, nullable: true}")
            .replacingOccurrences(of: "parent: {to: Category}", with: "parent: {to: Category, nullable: true}")
        let schema = try #require(resolve(text))
        #expect(schema.uncreatableEntities == [])
        #expect(RequiredReferenceCycles(schema: schema).cycles == [])
    }

    @Test("the generated README lists the resources the API cannot create, with the fix, only when there are any")
    func readmeSection() throws {
        let schema = try #require(resolve(Self.schema))
        for database in TargetDatabase.sqlCases {
            let readme = try #require(GeneratorPipeline.project(schema, database: database).first { $0.path == "README.md" }?.contents)
            let section = """
                ## Resources the API cannot create

                Required relations form a cycle here: no row of the cycle can be inserted first, so
                `POST` cannot succeed for these resources (nor for those that require one of them):

                - `/api/v1/categories/`: Category
                - `/api/v1/items/`: Item
                - `/api/v1/payments/`: Payment
                - `/api/v1/\(PythonNames.plural("staff"))/`: Staff
                - `/api/v1/stores/`: Store

                To fix it, make one relation of each cycle optional (`nullable: true`) in the schema and
                regenerate; `schemaforge validate` names the cycles. On PostgreSQL, a foreign key made
                `DEFERRABLE INITIALLY DEFERRED` by hand (in a migration) is the alternative.

                ## Deployment
                """
            #expect(readme.contains("`/docs`.\n\n" + section), "\(readme)")
        }
        let blog = try #require(try Examples.load("blog").schema)
        let readme = try #require(GeneratorPipeline.project(blog, database: .sqlite).first { $0.path == "README.md" }?.contents)
        #expect(!readme.contains("cannot create"))
        #expect(readme.contains("`/docs`.\n\n## Deployment"))
    }
}
