import ArgumentParser
import Foundation
import SchemaforgeKit

extension TargetDatabase: ExpressibleByArgument {
    public init?(argument: String) {
        guard let dialect = Dialect(name: argument) else { return nil }
        self.init(rawValue: dialect.rawValue)
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a FastAPI backend (SQLAlchemy models, ...) for a schema.",
        discussion: "Example: schemaforge generate examples/blog.yaml --out blog-api --db sqlite")

    @OptionGroup var input: SchemaInput

    @Option(help: "The output directory.")
    var out: String

    @Option(help: "Target database: sqlite, postgresql or mysql.")
    var db: TargetDatabase = .sqlite

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        let files = ProjectGenerator(schema: schema, database: db).generate()
        for file in files {
            try OutputWriter.write(file.contents, to: (out as NSString).appendingPathComponent(file.path))
        }
        print("wrote \(files.count) files to \(out)")
    }
}
