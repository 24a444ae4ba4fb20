import Foundation

/// Python modules that are the same in every generated project of a target. They live as real
/// `.py` files in `Resources/<target>/` (linted by ruff where they are, and again in every
/// generated project) and are copied into the project byte for byte; the build embeds them in the
/// binary (the EmbedFixedModules plugin).
enum FixedModules {
    /// The resource folder of the SQL targets (SQLite, PostgreSQL, MySQL/MariaDB).
    static let sql = "sql"
    /// The MongoDB target's own modules.
    static let mongodb = "mongodb"
    /// The modules of every FastAPI project, whatever the backend (`app/problems.py`).
    static let fastapi = "fastapi"

    /// The project file at `path` (e.g. `app/db.py`) of `target`, as it is on disk.
    static func file(_ path: String, target: String = sql) -> GeneratedFile {
        GeneratedFile(path: path, contents: contents(of: "\(target)/\(path)"))
    }

    /// The text of `Resources/<relativePath>`, as the build embedded it.
    private static func contents(of relativePath: String) -> String {
        guard let base64 = EmbeddedFixedModules.files[relativePath], let data = Data(base64Encoded: base64) else {
            preconditionFailure("no fixed module Resources/\(relativePath) was embedded at build time")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
