/// A SQL database dialect that DDL is generated for.
public enum Dialect: String, CaseIterable, Codable, Sendable, Comparable {
    case postgresql
    case sqlite
    case mysql

    /// Longest identifier the server accepts, in bytes (`nil`: no practical limit).
    public var maxIdentifierLength: Int? {
        switch self {
        case .postgresql: return 63
        case .mysql: return 64
        case .sqlite: return nil
        }
    }

    /// The name people use for it in messages.
    public var displayName: String {
        switch self {
        case .postgresql: return "PostgreSQL"
        case .sqlite: return "SQLite"
        case .mysql: return "MySQL/MariaDB"
        }
    }

    public static func < (lhs: Dialect, rhs: Dialect) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Accepts the usual aliases (`postgres`, `pg`, `mariadb`, `sqlite3`).
    public init?(name: String) {
        switch name.lowercased() {
        case "postgresql", "postgres", "pg": self = .postgresql
        case "sqlite", "sqlite3": self = .sqlite
        case "mysql", "mariadb": self = .mysql
        default: return nil
        }
    }
}
