import CodeRendering
import SchemaModel

/// Everything `schemaforge generate` writes for a schema, as files in memory.
public struct ProjectGenerator {
    public let schema: Schema
    public let database: TargetDatabase

    public init(schema: Schema, database: TargetDatabase) {
        self.schema = schema
        self.database = database
    }

    public func generate() -> [GeneratedFile] {
        var files = SQLAlchemyModelsGenerator(schema: schema, database: database).generate()
        files += PydanticSchemasGenerator(schema: schema).generate()
        files += FastAPIAppGenerator(schema: schema, database: database).generate()
        files += TestsGenerator(schema: schema).generate()
        files += ProjectFilesGenerator(schema: schema, database: database).generate()
        files.append(GeneratedFile(path: "app/__init__.py", contents: "# \(generatedHeader)\n\"\"\"The \(schema.name) backend.\"\"\"\n"))
        return files.sorted { $0.path < $1.path }
    }
}
