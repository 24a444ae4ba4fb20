import CodeRendering
import SchemaModel

/// Everything `schemaforge generate` writes for a schema, as files in memory.
public struct ProjectGenerator {
    public let schema: Schema
    public let database: TargetDatabase

    /// The resolved schema as the migration snapshot (written beside the revisions).
    public let snapshot: String

    public init(schema: Schema, database: TargetDatabase, snapshot: String) {
        self.schema = schema
        self.database = database
        self.snapshot = snapshot
    }

    public func generate() -> [GeneratedFile] {
        if database == .mongodb { return MongoProjectGenerator(schema: schema, snapshot: snapshot).generate() }
        var files = SQLAlchemyModelsGenerator(schema: schema, database: database).generate()
        files += PydanticSchemasGenerator(schema: schema).generate()
        files += FastAPIAppGenerator(schema: schema, database: database).generate()
        files += TestsGenerator(schema: schema).generate()
        files += ProjectFilesGenerator(schema: schema, database: database).generate()
        files += AlembicGenerator(schema: schema, database: database).generate(snapshot: snapshot)
        files.append(GeneratedFile(path: "app/__init__.py", contents: "# \(generatedHeader)\n\"\"\"The \(schema.name) backend.\"\"\"\n"))
        return files.sorted { $0.path < $1.path }
    }
}
