/// The persistence layer under a generated FastAPI project, and what the API on it can promise.
/// The generators that serve both (`ResourceRouter`, `TestsGenerator`, `UserCodeGenerator`) ask
/// it rather than which database a project targets.
enum PersistenceBackend: Sendable {
    /// SQLAlchemy 2.0 on PostgreSQL, MySQL/MariaDB or SQLite.
    case sqlalchemy
    /// ODMantic on MongoDB.
    case odmantic

    /// The backend of a project for `database`.
    init(_ database: TargetDatabase) { self = database == .mongodb ? .odmantic : .sqlalchemy }

    /// Whether writes take `If-Match` (412 when stale): only where the check is atomic with the
    /// write (a row lock held to the commit).
    var checksIfMatch: Bool { self == .sqlalchemy }

    /// Whether a `search:` gives lists a `q` parameter (MongoDB: not yet; a `search:` draws a warning).
    var servesSearch: Bool { self == .sqlalchemy }

    /// Whether a unique conflict's problem names the field (`loc: ["body", field]`) everywhere:
    /// MongoDB names it only when the server reports the index's keys.
    var namesUniqueField: Bool { self == .sqlalchemy }
}
