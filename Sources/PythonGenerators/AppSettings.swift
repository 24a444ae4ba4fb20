import CodeRendering
import SchemaModel

/// One setting of a SQL project's `app/config.py`. Its field there, its line in `.env.example` and its
/// name in the README are rendered from this one value.
struct AppSetting {
    /// The `Settings` field (the environment variable is its upper-case form).
    let name: String
    let annotation: String
    /// The default, as a Python literal.
    let value: String
    /// The default as `.env.example` writes it.
    let example: String
    /// What the setting does, a line each, above the field.
    let comment: [String]

    var environmentName: String { name.uppercased() }

    /// The lines of the field in `app/config.py`.
    var fieldLines: [String] { comment.map { "# " + $0 } + ["\(name): \(annotation) = \(value)"] }

    /// The request body limit of every project (`app/limits.py`).
    static let maxBodyBytes = AppSetting(
        name: "max_body_bytes", annotation: "int", value: "1_048_576", example: "1048576",
        comment: ["Larger request bodies answer 413 without being read."])

    /// The lifetime of list responses (every project: `app/etags.py`).
    static let listMaxAge = AppSetting(
        name: "list_max_age", annotation: "int", value: "0", example: "0",
        comment: [
            "Seconds a client may reuse a list response (Cache-Control: private,",
            "max-age); 0 says nothing. Single rows have ETags instead.",
        ])

    /// How long to wait for the database server (every project).
    static let connectTimeout = AppSetting(
        name: "connect_timeout", annotation: "float", value: "5.0", example: "5",
        comment: ["Seconds to reach the database server, then 503."])

    /// How long one statement may take (every project).
    static let statementTimeout = AppSetting(
        name: "statement_timeout", annotation: "float", value: "15.0", example: "15",
        comment: ["Seconds one statement (or a lock wait) may take, then 503."])

    /// The settings of a MongoDB project: the server, the database, timeouts, request limits.
    static func mongodb(database: String) -> [AppSetting] {
        let url = TargetDatabase.mongodb.defaultURL
        return [
            AppSetting(name: "mongodb_url", annotation: "str", value: PythonRenderer.quote(url), example: url, comment: []),
            AppSetting(name: "mongodb_database", annotation: "str", value: PythonRenderer.quote(database), example: database, comment: []),
            .listMaxAge,
            .connectTimeout,
            .statementTimeout,
            .maxBodyBytes,
        ]
    }

    /// The settings of every SQL project: the database, its pool and timeouts, request limits.
    static func database(url: String) -> [AppSetting] {
        [
            AppSetting(name: "database_url", annotation: "str", value: PythonRenderer.quote(url), example: url, comment: []),
            AppSetting(
                name: "database_read_url", annotation: "str | None", value: "None", example: "",
                comment: [
                    "A read replica for the GET routes (unset: the primary serves them). A client",
                    "that wrote within read_your_writes_seconds reads from the primary.",
                ]),
            AppSetting(
                name: "read_your_writes_seconds", annotation: "float", value: "5.0", example: "5",
                comment: ["How long after a write a client's reads stay on the primary."]),
            AppSetting(
                name: "pool_size", annotation: "int", value: "5", example: "5",
                comment: [
                    "Connections per worker process: pool_size kept open, up to max_overflow",
                    "more under load. Keep workers x (pool_size + max_overflow) below the",
                    "server's max_connections (PostgreSQL: 100 by default), or use PgBouncer.",
                ]),
            AppSetting(name: "max_overflow", annotation: "int", value: "10", example: "10", comment: []),
            AppSetting(
                name: "pool_timeout", annotation: "float", value: "10.0", example: "10",
                comment: ["Seconds a request waits for a pool connection, then answers 503."]),
            AppSetting(
                name: "pool_recycle", annotation: "float", value: "1800.0", example: "1800",
                comment: [
                    "Seconds after which a pooled connection is replaced: below the idle",
                    "timeout of the server (MySQL wait_timeout) and of any proxy between.",
                ]),
            AppSetting(
                name: "pool_pre_ping", annotation: "bool", value: "False", example: "false",
                comment: [
                    "A round trip to test each connection before use. Off: a connection",
                    "the server dropped answers one 503 and the pool replaces them all.",
                ]),
            AppSetting(
                name: "pgbouncer", annotation: "bool", value: "False", example: "false",
                comment: [
                    "PostgreSQL behind PgBouncer in transaction mode (asyncpg or psycopg):",
                    "no prepared statements across transactions, no startup parameters.",
                ]),
            .listMaxAge,
            .connectTimeout,
            .statementTimeout,
            .maxBodyBytes,
            AppSetting(name: "echo", annotation: "bool", value: "False", example: "false", comment: []),
        ]
    }
}
