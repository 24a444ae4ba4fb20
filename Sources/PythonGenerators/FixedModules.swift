import Foundation

/// Python modules that are the same in every generated project of a target. They live as real
/// `.py` files in `Resources/<target>/` (linted by ruff where they are, and again in every
/// generated project) and are copied into the project byte for byte.
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

    private static let root: URL = {
        guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            fatalError("schemaforge: its resource bundle is missing (reinstall schemaforge)")
        }
        return url
    }()

    private static func contents(of relativePath: String) -> String {
        let url = root.appendingPathComponent(relativePath)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("schemaforge: the bundled module \(relativePath) cannot be read at \(url.path) (reinstall schemaforge)")
        }
        return text
    }
}
