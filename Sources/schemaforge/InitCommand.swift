import ArgumentParser
import Foundation
import SchemaforgeKit

extension StarterSchema: ExpressibleByArgument {}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starter schema file.",
        discussion: """
            Starters: \(StarterSchema.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).

            Example: schemaforge init my_schema.yaml --starter saas
            """)

    @Argument(help: "Where to write the schema.")
    var path: String = "schema.yaml"

    @Option(help: "The starting schema: \(StarterSchema.allCases.map(\.rawValue).joined(separator: ", ")).")
    var starter: StarterSchema = .blog

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: path), !force {
            FileHandle.standardError.write(
                Data("schemaforge: error: '\(path)' already exists; choose another path, or add --force to overwrite it\n".utf8))
            throw ExitCode(1)
        }
        try OutputWriter.write(starter.text, to: path)
        print(
            """
            wrote \(path) (the \(starter.rawValue) starter: \(starter.summary)). Next:
              schemaforge validate \(path)                   # every problem, with its line
              schemaforge generate \(path) --out api         # the FastAPI project, SQLite (--db postgresql|mysql|mongodb)
              then follow api/README.md: install, alembic upgrade head, pytest, uvicorn
            """)
    }
}
