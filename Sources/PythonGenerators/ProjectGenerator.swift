import CodeRendering
import SchemaModel

/// Everything `schemaforge generate --db sqlite|postgresql|mysql` writes for a schema (the
/// SQLAlchemy project target; `MongoProjectGenerator` writes the ODMantic one).
public struct ProjectGenerator {
    public let schema: Schema
    public let database: TargetDatabase

    /// The resolved schema as the migration snapshot (written beside the revisions), computed when
    /// the project is generated, alongside the other files.
    let snapshot: () -> String

    public init(schema: Schema, database: TargetDatabase, snapshot: String) {
        self.init(schema: schema, database: database, snapshot: { snapshot })
    }

    /// With the snapshot's encoder: it then runs in parallel with the Python generators.
    public init(schema: Schema, database: TargetDatabase, snapshot: @escaping @Sendable () -> String) {
        self.schema = schema
        self.database = database
        self.snapshot = snapshot
    }

    /// Every file of the project, sorted by path. The generators' jobs (shared modules, one job per
    /// entity, the initial revision) run on every core; the output is the same as a sequential run.
    public func generate() -> [GeneratedFile] {
        return ParallelGeneration.run(jobs()).sorted { $0.path < $1.path }
    }

    /// Hands each file to `each` as soon as it is rendered, on the thread that rendered it (`each`
    /// must be safe to call concurrently), in no particular order, and keeps nothing: a caller can
    /// write files while the others are still being rendered.
    public func generate(each: (GeneratedFile) -> Void) {
        ParallelGeneration.forEach(jobs(), each)
    }

    /// The jobs: the initial revision first (the biggest), then the generators' jobs in turn.
    func jobs() -> [FileJob] {
        let name = schema.name
        let (schema, database) = (self.schema, self.database)
        var jobs = AlembicGenerator(schema: schema, database: database).jobs(snapshot: snapshot)
        // The generators are set up (entity views, cycles, creatable entities) in parallel too.
        let setups: [() -> [FileJob]] = [
            { SQLAlchemyModelsGenerator(schema: schema, database: database).jobs() },
            { PydanticSchemasGenerator(schema: schema, database: database).jobs() },
            { FastAPIAppGenerator(schema: schema, database: database).jobs() },
            { TestsGenerator(schema: schema).jobs() },
        ]
        jobs += ParallelGeneration.interleave(ParallelGeneration.map(setups.count) { setups[$0]() })
        let project = ProjectFilesGenerator(schema: schema, database: database)
        jobs.append {
            project.generate() + [GeneratedFile(path: "app/__init__.py", contents: "# \(generatedHeader)\n\"\"\"The \(name) backend.\"\"\"\n")]
        }
        return jobs
    }
}
