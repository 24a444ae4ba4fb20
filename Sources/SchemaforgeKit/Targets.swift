@_exported import DiagramGenerator
@_exported import SchemaImport

/// The registry of targets.
public enum Targets {
    /// Document targets: the CLI offers each as `schemaforge <name> SCHEMA --format F`. A new one is
    /// a module of its own, an entry here, and its line in `Package.swift`.
    public static let documents: [any DocumentTarget.Type] = [DiagramTarget.self]

    /// Project targets: `schemaforge generate --db <name>` (the first is the default of a new
    /// project). A new one is a `ProjectTarget` and an entry here.
    public static let projects: [any ProjectTarget] = [
        SQLAlchemyProjectTarget(.sqlite), SQLAlchemyProjectTarget(.postgresql), SQLAlchemyProjectTarget(.mysql), ODManticProjectTarget(),
    ]

    /// The project target serving `database`.
    public static func project(_ database: TargetDatabase) -> any ProjectTarget {
        // Every database has its target: `TargetsTests` checks the registry covers them all.
        projects.first { $0.database == database } ?? projects[0]
    }

    /// The project target `--db NAME` means (the SQL dialect aliases, `mongo`, any case).
    public static func project(named name: String) -> (any ProjectTarget)? {
        TargetDatabase(name: name).flatMap { database in projects.first { $0.database == database } }
    }

    /// The names `--db` takes, for help and error texts: `sqlite, postgresql, mysql, mongodb`.
    public static var projectNames: String { projects.map(\.name).joined(separator: ", ") }

    /// Every place a project target keeps its migration history.
    public static var migrationLayouts: [MigrationLayout] {
        projects.map(\.layout).reduce(into: []) { layouts, layout in if !layouts.contains(layout) { layouts.append(layout) } }
    }
}
