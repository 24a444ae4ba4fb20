import ArgumentParser
import Foundation
import SchemaforgeKit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that a project's migration history and generated code can be trusted (for CI and pre-commit).",
        discussion: """
            Exits 1, saying what and why, when: the history forked (two revisions revise the same one, after a merge of two branches); a revision or the snapshot that schemaforge wrote was edited or deleted (checksums in revisions.sum, written by 'migrate'); the snapshot is not of the newest revision; the schema has changes no revision holds; the generated code is stale.

            Example:
              schemaforge check schema.yaml --out api
            """)

    @OptionGroup var input: SchemaInput

    @Option(help: "The project directory (made by 'schemaforge generate').")
    var out: String

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        let report = ProjectCheck.run(schema: schema, directory: out)
        for problem in report.problems { FileHandle.standardError.write(Data("schemaforge: error: \(problem)\n".utf8)) }
        guard report.problems.isEmpty else { throw ExitCode(1) }
        print("\(out): ok (\(report.verified.joined(separator: "; ")))")
    }
}
