import Foundation

/// A kind of project `schemaforge generate --db NAME` writes, and everything the commands need to
/// know about it: its files, where its migration history lives, what it warns about, and how
/// `migrate` writes its next revision. `Targets.projects` lists them; the CLI's `--db` choices, the
/// manifest's record, `generate --check`, `migrate`, `check` and `lint` follow from that list.
///
/// A new target is a type conforming to this protocol and one entry in `Targets.projects`.
public protocol ProjectTarget: Sendable {
    /// The target's name (`--db`, the manifest's record), and the database its generators serve.
    var database: TargetDatabase { get }
    /// Where the project keeps its migration history.
    var layout: MigrationLayout { get }
    /// What the target cannot express about the schema, at its place (warnings), or cannot serve
    /// at all (errors: nothing is generated).
    func diagnostics(_ loaded: LoadedSchema) -> [Diagnostic]
    /// Every file of the project, handed to `each` as soon as it is rendered (possibly on several
    /// threads at once, in no particular order). `snapshot` encodes the migration snapshot.
    func generate(_ schema: Schema, snapshot: @escaping @Sendable () -> String, each: (GeneratedFile) -> Void)
    /// Why `plan` cannot become a revision of this target as it stands (nil when it can): a
    /// required value the existing rows or documents would not have.
    func refusal(_ plan: MigrationPlan, old: Schema, new: Schema) -> String?
    /// The text of the revision `name` (`NNNN_<slug>`, numbered `id`) that applies `plan` after `parent`.
    func revision(_ plan: MigrationPlan, old: Schema, new: Schema, id: String, name: String, parent: String?, message: String) -> String
}

extension ProjectTarget {
    /// The name `--db` takes and the manifest records.
    public var name: String { database.rawValue }

    /// Every file of the project, sorted by path.
    public func files(_ schema: Schema, snapshot: @escaping @Sendable () -> String) -> [GeneratedFile] {
        let lock = NSLock()
        var files: [GeneratedFile] = []
        generate(schema, snapshot: snapshot) { file in
            lock.lock()
            files.append(file)
            lock.unlock()
        }
        return files.sorted { $0.path < $1.path }
    }
}

/// `sqlite`, `postgresql`, `mysql`: SQLAlchemy models, Pydantic schemas, the FastAPI app and its
/// tests, Alembic migrations.
public struct SQLAlchemyProjectTarget: ProjectTarget {
    public let database: TargetDatabase
    public var layout: MigrationLayout { .alembic }

    public init(_ database: TargetDatabase) { self.database = database }

    /// The dialect's warnings, the same `schemaforge sql` prints.
    public func diagnostics(_ loaded: LoadedSchema) -> [Diagnostic] {
        guard let dialect = Dialect(rawValue: database.rawValue) else { return [] }
        return GeneratorPipeline.sql(for: loaded, dialect: dialect)?.diagnostics ?? []
    }

    public func generate(_ schema: Schema, snapshot: @escaping @Sendable () -> String, each: (GeneratedFile) -> Void) {
        ProjectGenerator(schema: schema, database: database, snapshot: snapshot).generate(each: each)
    }

    /// A column made NOT NULL on an existing table needs a value for the rows already there.
    public func refusal(_ plan: MigrationPlan, old: Schema, new: Schema) -> String? {
        let backfill = plan.steps.filter { step in
            if case let .addColumn(_, column) = step.operation { return step.safety == .needsBackfill && column.backfill == nil }
            if case let .alterColumn(_, _, column) = step.operation {
                return step.safety == .needsBackfill && column.defaultValue == nil && column.backfill == nil
            }
            return false
        }
        guard !backfill.isEmpty else { return nil }
        return "refusing to make columns NOT NULL on existing tables without a value for the existing rows:\n"
            + backfill.map { "  \($0.operation.subject): give it a default, or 'backfill: <SQL expression>'" }.joined(separator: "\n")
    }

    public func revision(_ plan: MigrationPlan, old: Schema, new: Schema, id: String, name: String, parent: String?, message: String) -> String {
        AlembicRevisionGenerator(old: old, new: new, database: database).render(plan, revision: id, downRevision: parent, message: message)
    }
}

/// `mongodb`: ODMantic models, `$jsonSchema` validators, the FastAPI app, MongoDB migrations.
public struct ODManticProjectTarget: ProjectTarget {
    public var database: TargetDatabase { .mongodb }
    public var layout: MigrationLayout { .mongo }

    public init() {}

    /// What MongoDB cannot express (warnings), and the features this target does not implement
    /// yet (errors: an API without its access control, a field stored in the clear).
    public func diagnostics(_ loaded: LoadedSchema) -> [Diagnostic] {
        guard let schema = loaded.schema else { return [] }
        let warnings = MongoProjectGenerator(schema: schema).warnings.map { $0.diagnostic(loaded.sourceMap) }
        var unsupported: [Diagnostic] = []
        if schema.auth != nil {
            unsupported.append(
                .error(
                    "the MongoDB target does not implement 'auth' yet: its API would have no access control. "
                        + "Generate a SQL target (--db sqlite, postgresql or mysql), or remove 'auth'", at: loaded.sourceMap.auth))
        }
        for table in schema.tables {
            for column in table.columns where column.encrypted == true {
                unsupported.append(
                    .error(
                        "the MongoDB target does not implement 'encrypted' yet: '\(column.field)' would be stored in the clear. "
                            + "Generate a SQL target, or remove 'encrypted'",
                        at: loaded.sourceMap[table: table.name, encryptedColumn: column.name]))
            }
        }
        return unsupported + warnings
    }

    public func generate(_ schema: Schema, snapshot: @escaping @Sendable () -> String, each: (GeneratedFile) -> Void) {
        for file in MongoProjectGenerator(schema: schema, snapshot: snapshot()).generate() { each(file) }
    }

    /// A required field added to documents that exist needs a value for them.
    public func refusal(_ plan: MigrationPlan, old: Schema, new: Schema) -> String? {
        let refusals = MongoMigrationGenerator(old: old, new: new).refusals(plan)
        guard !refusals.isEmpty else { return nil }
        return "refusing to add required fields without a value for the existing documents:\n"
            + refusals.map { "  \($0)" }.joined(separator: "\n")
    }

    public func revision(_ plan: MigrationPlan, old: Schema, new: Schema, id: String, name: String, parent: String?, message: String) -> String {
        MongoMigrationGenerator(old: old, new: new).render(plan, name: name, message: message)
    }
}
