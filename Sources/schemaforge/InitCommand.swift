import ArgumentParser
import Foundation
import SchemaforgeKit

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a starter schema file.",
        discussion: "Example: schemaforge init my_schema.yaml")

    @Argument(help: "Where to write the schema.")
    var path: String = "schema.yaml"

    @Flag(help: "Overwrite the file if it exists.")
    var force = false

    func run() throws {
        if FileManager.default.fileExists(atPath: path), !force {
            FileHandle.standardError.write(Data("schemaforge: error: '\(path)' already exists; use --force to overwrite it\n".utf8))
            throw ExitCode(1)
        }
        try OutputWriter.write(StarterSchema.text, to: path)
        print("wrote \(path); next: schemaforge validate \(path)")
    }
}
