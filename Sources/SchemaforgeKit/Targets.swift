@_exported import DiagramGenerator
@_exported import SchemaImport

/// The registry of document targets: the CLI offers each as `schemaforge <name> SCHEMA --format F`.
/// A new document target is a module of its own, an entry here, and its line in `Package.swift`.
public enum Targets {
    public static let documents: [any DocumentTarget.Type] = [DiagramTarget.self]
}
