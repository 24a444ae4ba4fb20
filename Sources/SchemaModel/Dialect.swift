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
    /// How many significant digits a decimal keeps exactly: SQLite stores NUMERIC values as 8-byte
    /// floats (15 digits); the others keep the declared precision (nil).
    public var significantDecimalDigits: Int? { self == .sqlite ? 15 : nil }

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

extension Dialect {
    /// Whether the dialect enforces `action` as written. InnoDB (MySQL/MariaDB) parses but rejects
    /// `SET DEFAULT`; every other action is supported everywhere.
    public func supports(_ action: ReferentialAction) -> Bool {
        !(self == .mysql && action == .setDefault)
    }

    /// The referential action the dialect gets for `action`: the action itself where it is
    /// supported, `RESTRICT` for `SET DEFAULT` on MySQL/MariaDB. The one rule the DDL, the
    /// migrations and the SQLAlchemy models all follow, so that they agree.
    public func effective(_ action: ReferentialAction) -> ReferentialAction {
        supports(action) ? action : .restrict
    }
}
