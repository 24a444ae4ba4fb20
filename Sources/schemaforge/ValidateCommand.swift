import ArgumentParser
import SchemaforgeKit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a schema and print every problem as path:line:column: severity: message.",
        discussion: "Example: schemaforge validate examples/blog.yaml")

    @OptionGroup var input: SchemaInput

    func run() throws {
        let loaded = try input.load()
        if let schema = loaded.schema {
            let joins = schema.tables.filter(\.isJoinTable).count
            print("\(input.file): ok (\(schema.tables.count - joins) entities, \(joins) join tables, \(schema.enums.count) enums)")
        }
    }
}
