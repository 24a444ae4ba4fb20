import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The example schemas under `examples/`, read as the CLI would see them from the package root.
enum Examples {
    static let directory = GoldenFile.repositoryRoot.appendingPathComponent("examples")

    /// Example names (file names without `.yaml`), sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads `examples/<name>.yaml`; diagnostics name the file by that relative path.
    static func load(_ name: String) throws -> LoadedSchema {
        let url = directory.appendingPathComponent("\(name).yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return GeneratorPipeline.load(text: text, file: "examples/\(name).yaml")
    }
}

/// Small schema texts in, DDL out. Diagnostics name the text `snippet.yaml`, so line 1 is the
/// snippet's first line.
enum Snippet {
    static let file = "snippet.yaml"

    static func load(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LoadedSchema? {
        let loaded = GeneratorPipeline.load(text: yaml, file: file)
        guard loaded.schema != nil, !loaded.hasErrors else {
            Issue.record(
                "the snippet does not resolve:\n\(loaded.diagnostics.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
            return nil
        }
        return loaded
    }

    static func ddl(
        _ yaml: String, _ dialect: Dialect, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        -> DDLOutput?
    {
        guard let loaded = load(yaml, sourceLocation: sourceLocation) else { return nil }
        return GeneratorPipeline.sql(for: loaded, dialect: dialect)
    }

    /// The DDL text, or "" (after recording an issue) when the snippet does not resolve.
    static func sql(
        _ yaml: String, _ dialect: Dialect, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        -> String
    {
        ddl(yaml, dialect, sourceLocation: sourceLocation)?.sql ?? ""
    }

    /// The warnings `dialect` adds, in the order they are reported.
    static func warnings(
        _ yaml: String, _ dialect: Dialect, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        -> [Diagnostic]
    {
        ddl(yaml, dialect, sourceLocation: sourceLocation)?.diagnostics ?? []
    }
}

/// Expects `fragment` in `sql`, showing the whole SQL when it is missing.
func expectContains(_ sql: String, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if !sql.contains(fragment) {
        Issue.record("expected to find\n\(fragment)\nin\n\(sql)", sourceLocation: sourceLocation)
    }
}

/// Expects `fragment` nowhere in `sql`.
func expectNotContains(_ sql: String, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if sql.contains(fragment) {
        Issue.record("did not expect\n\(fragment)\nin\n\(sql)", sourceLocation: sourceLocation)
    }
}

/// How often `fragment` occurs in `text`.
func occurrences(of fragment: String, in text: String) -> Int {
    text.components(separatedBy: fragment).count - 1
}

/// The `CREATE TABLE <name> (...)` statement of `sql`, up to its terminating `;`.
func createTable(_ quotedName: String, in sql: String) -> String? {
    guard let start = sql.range(of: "CREATE TABLE \(quotedName) (") else { return nil }
    guard let end = sql.range(of: ";\n", range: start.upperBound..<sql.endIndex) else { return nil }
    return String(sql[start.lowerBound..<end.lowerBound])
}

/// The `line:column` of a diagnostic, for asserting where it lands.
func position(_ diagnostic: Diagnostic) -> String? {
    diagnostic.location.map { "\($0.line):\($0.column)" }
}
