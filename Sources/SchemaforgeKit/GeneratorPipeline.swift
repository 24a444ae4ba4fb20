import Foundation
@_exported import SchemaModel
@_exported import SchemaReaders
@_exported import SchemaResolver
@_exported import SQLGenerator
@_exported import PythonGenerators
@_exported import MigrationPlanner

/// Loading a schema and the outputs made from it, for the CLI and the tests:
///
///     schema file --SchemaFileReader--> SchemaDocument --SchemaResolver--> Schema
///     Schema --DDLGenerator(dialect)--> SQL text                     (`sql`)
///     Schema --a ProjectTarget (Targets.projects)--> files           (`project`, `writeProject`)
///     Schema --SnapshotEncoder--> stable JSON (the migration snapshot, SnapshotEncoder.swift)
///
/// No stage reads or writes files except the reader (input), `GenerationPlan` and
/// `FreshDirectoryWriter` (a project) and the CLI's `OutputWriter` (one text). docs/architecture.md
/// draws the whole map.
public enum GeneratorPipeline {
    /// Reads and resolves a schema file. Errors anywhere leave `schema` nil.
    public static func load(path: String) -> LoadedSchema {
        let (document, readDiagnostics) = SchemaFileReader.read(path: path)
        return resolve(document, readDiagnostics: readDiagnostics)
    }

    /// Reads and resolves schema text, reporting locations against `file`.
    public static func load(text: String, file: String) -> LoadedSchema {
        let (document, readDiagnostics) = SchemaFileReader.read(text: text, file: file)
        return resolve(document, readDiagnostics: readDiagnostics)
    }

    private static func resolve(_ document: SchemaDocument?, readDiagnostics: [Diagnostic]) -> LoadedSchema {
        guard let document else { return LoadedSchema(schema: nil, sourceMap: SourceMap(), diagnostics: readDiagnostics) }
        let resolution = SchemaResolver.resolve(document)
        var bag = DiagnosticBag()
        bag.append(contentsOf: readDiagnostics)
        bag.append(contentsOf: resolution.diagnostics)
        // Shape errors (unknown keys, wrong kinds) make the resolved result untrustworthy.
        let schema = bag.hasErrors ? nil : resolution.schema
        return LoadedSchema(schema: schema, sourceMap: resolution.sourceMap, diagnostics: dedupe(bag.sorted))
    }

    private static func dedupe(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<Diagnostic> = []
        return diagnostics.filter { seen.insert($0).inserted }
    }

    /// The warnings of a target about this schema, located: what MongoDB cannot express, or the
    /// dialect's (the same `schemaforge sql` prints); an error when the target cannot serve the
    /// schema at all (`auth:` on MongoDB).
    public static func targetDiagnostics(_ loaded: LoadedSchema, database: TargetDatabase) -> [Diagnostic] {
        guard loaded.schema != nil else { return [] }
        return Targets.project(database).diagnostics(loaded)
    }

    /// DDL for `dialect`, with the dialect's warnings.
    public static func sql(for loaded: LoadedSchema, dialect: Dialect) -> DDLOutput? {
        guard let schema = loaded.schema else { return nil }
        return DDLGenerator(dialect: dialect).generate(schema, sourceMap: loaded.sourceMap)
    }
}

/// A schema file after reading and resolution.
public struct LoadedSchema: Sendable {
    public var schema: Schema?
    public var sourceMap: SourceMap
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(schema: Schema?, sourceMap: SourceMap, diagnostics: [Diagnostic]) {
        self.schema = schema
        self.sourceMap = sourceMap
        self.diagnostics = diagnostics
    }
}
