import Foundation
import SchemaforgeKit
import TestSupport
import Testing

/// The resolved schema of every example as snapshot JSON, compared with `Golden/<example>/schema.json`.
@Suite("Resolved schema golden files")
struct SnapshotGoldenTests {
    @Test("there are examples to compare")
    func examplesExist() {
        #expect(!Examples.names.isEmpty, "no examples/*.yaml found under \(Examples.directory.path)")
    }

    @Test("the resolved schema matches the reference", arguments: Examples.names)
    func snapshot(example: String) throws {
        let loaded = try Examples.load(example)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.description).joined(separator: "\n"))")
        let schema = try #require(loaded.schema)
        let json = SnapshotEncoder.encode(schema)
        GoldenFile.assertMatches(json, reference: "\(example)/schema.json")
        // The snapshot is the migration state: it must read back to the same IR.
        #expect(try SnapshotEncoder.decode(json) == schema)
    }

    @Test("reading the file from disk gives the same snapshot as reading its text", arguments: Examples.names)
    func pathAndTextAgree(example: String) throws {
        let fromPath = GeneratorPipeline.load(path: Examples.path(example))
        let fromText = try Examples.load(example)
        let a = try #require(fromPath.schema)
        let b = try #require(fromText.schema)
        #expect(SnapshotEncoder.encode(a) == SnapshotEncoder.encode(b))
    }

    @Test("every golden case belongs to an example")
    func noOrphanReferences() {
        // `evolution` holds the migration references (MigrationGoldenTests), not an example's.
        let examples = Set(Examples.names + ["evolution"])
        for name in GoldenFile.recordedCases() {
            #expect(examples.contains(name), "Golden/\(name) has no examples/\(name).yaml; delete it")
        }
    }
}
