import Foundation

/// The database a command works on in a project directory: the one asked for with `--db`, checked
/// against the one the project's manifest records.
///
/// A project is generated for one database (its models, settings and migrations depend on it), and
/// `GenerationPlan.apply` records it in `.schemaforge/manifest.json`. Re-running a command on that
/// project without `--db` keeps that database; asking for another one is refused rather than
/// silently retargeting the project.
public enum ProjectDatabase {
    /// Why the database of a command cannot be decided.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// `--db` names another database than the one the project was generated for.
        case mismatch(requested: TargetDatabase, recorded: TargetDatabase, directory: String)
        /// The manifest records a database this version does not know.
        case unknownRecorded(String, directory: String)
        /// There is a manifest, but it does not say which database (written by an older schemaforge).
        case unrecorded(directory: String)

        public var description: String {
            switch self {
            case let .mismatch(requested, recorded, directory):
                return "\(directory) was generated for \(recorded.rawValue), not \(requested.rawValue): "
                    + "leave out --db (or pass --db \(recorded.rawValue)) to keep working on it, "
                    + "or generate a \(requested.rawValue) project into a new directory"
            case let .unknownRecorded(name, directory):
                return "\(directory)/\(GenerationPlan.manifestPath) records an unknown database '\(name)': "
                    + "pass --db (\(Targets.projectNames))"
            case let .unrecorded(directory):
                return "\(directory)/\(GenerationPlan.manifestPath) does not record the project's database: "
                    + "pass --db (\(Targets.projectNames))"
            }
        }
    }

    /// The database recorded in the manifest of `directory`: nil when there is no manifest,
    /// or it does not name a database.
    public static func recorded(in directory: String) throws -> TargetDatabase? {
        guard let name = Manifest.database(in: directory) else { return nil }
        guard let database = TargetDatabase(rawValue: name) else { throw Problem.unknownRecorded(name, directory: directory) }
        return database
    }

    /// The database for `schemaforge generate` into `directory`: `requested` when it agrees with the
    /// manifest (or there is none), the manifest's database without `requested`, and the first registered target (SQLite) for a
    /// directory that holds no generated project.
    public static func forGenerate(requested: TargetDatabase?, directory: String) throws -> TargetDatabase {
        if let requested {
            try check(requested, directory: directory)
            return requested
        }
        if let recorded = try recorded(in: directory) { return recorded }
        if Manifest.exists(in: directory) { throw Problem.unrecorded(directory: directory) }
        return Targets.projects[0].database
    }

    /// Throws `mismatch` when `requested` differs from the database the manifest of `directory` records.
    public static func check(_ requested: TargetDatabase, directory: String) throws {
        // A manifest naming an unknown database is overridden by an explicit --db.
        guard let name = Manifest.database(in: directory), let recorded = TargetDatabase(rawValue: name) else { return }
        if recorded != requested { throw Problem.mismatch(requested: requested, recorded: recorded, directory: directory) }
    }
}
