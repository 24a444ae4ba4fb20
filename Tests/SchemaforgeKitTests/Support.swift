import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The example schemas under `examples/`.
enum Examples {
    static let directory = GoldenFile.repositoryRoot.appendingPathComponent("examples")

    /// Example names (file names without `.yaml`), sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent("\(name).yaml").path }

    /// The examples the MongoDB target generates: not those with a top-level `auth:`, which it
    /// refuses (a text check: the test arguments are computed where a full load would not fit).
    static var mongoNames: [String] { names.filter { !((try? text($0)) ?? "").contains("\nauth:") } }

    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// Loads `examples/<name>.yaml`; diagnostics name the file by that relative path.
    static func load(_ name: String) throws -> LoadedSchema {
        GeneratorPipeline.load(text: try text(name), file: "examples/\(name).yaml")
    }
}

/// Resolves a schema snippet, recording an issue (with every diagnostic) when it does not resolve.
func resolve(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Schema? {
    let loaded = GeneratorPipeline.load(text: yaml, file: "snippet.yaml")
    guard let schema = loaded.schema, !loaded.hasErrors else {
        Issue.record(
            "the snippet does not resolve:\n\(loaded.diagnostics.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
        return nil
    }
    return schema
}
