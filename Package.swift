// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "schemaforge",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "schemaforge", targets: ["schemaforge"]),
        .library(name: "SchemaforgeKit", targets: ["SchemaforgeKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // IR types, scalar types, diagnostics, source locations, naming.
        .target(name: "SchemaModel"),
        // YAML / JSON schema files -> SchemaDocument (syntax with locations).
        .target(name: "SchemaReaders", dependencies: ["SchemaModel", "Yams"]),
        // SchemaDocument -> Schema (resolved IR) with semantic diagnostics.
        .target(name: "SchemaResolver", dependencies: ["SchemaModel"]),
        // Structured Python source and its ruff-compatible renderer.
        .target(name: "CodeRendering"),
        // Schema x Schema -> migration operations with safety classes.
        .target(name: "MigrationPlanner", dependencies: ["SchemaModel"]),
        // Schema -> Python project files (SQLAlchemy, Pydantic, FastAPI).
        .target(
            name: "PythonGenerators", dependencies: ["SchemaModel", "CodeRendering", "SQLGenerator", "MigrationPlanner"],
            // Python modules that are the same in every project, kept as real files that ruff lints
            // and embedded in the binary at build time (no resource folder to install beside it).
            exclude: ["Resources"],
            plugins: ["EmbedFixedModules"]
        ),
        // The build tool of the plugin: the modules as Swift source.
        .executableTarget(name: "embed-fixed-modules"),
        .plugin(name: "EmbedFixedModules", capability: .buildTool(), dependencies: ["embed-fixed-modules"]),
        // Schema -> SQL DDL per dialect, and migration plans as plain SQL.
        .target(name: "SQLGenerator", dependencies: ["SchemaModel", "MigrationPlanner"]),
        // Schema -> entity-relationship diagrams (Mermaid, Graphviz DOT): a document target.
        .target(name: "DiagramGenerator", dependencies: ["SchemaModel"]),
        // SQL scripts (pg_dump, mysqldump, SQLite .schema, hand-written DDL) -> a schema's YAML.
        .target(name: "SchemaImport", dependencies: ["SchemaModel", "SQLGenerator"]),
        // The pipeline that ties the stages together; what the CLI and tests call.
        .target(
            name: "SchemaforgeKit",
            dependencies: [
                "SchemaModel", "SchemaReaders", "SchemaResolver", "SQLGenerator", "PythonGenerators", "MigrationPlanner", "DiagramGenerator",
                "SchemaImport",
            ]),
        .executableTarget(
            name: "schemaforge",
            dependencies: ["SchemaforgeKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // What the test targets share: golden-file comparison.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SchemaModelTests", dependencies: ["SchemaModel"]),
        .testTarget(name: "CodeRenderingTests", dependencies: ["CodeRendering"]),
        .testTarget(name: "MigrationPlannerTests", dependencies: ["SchemaforgeKit"]),
        .testTarget(name: "SchemaResolverTests", dependencies: ["SchemaforgeKit"]),
        .testTarget(name: "SQLGeneratorTests", dependencies: ["SchemaforgeKit", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "SchemaforgeKitTests", dependencies: ["SchemaforgeKit", "TestSupport"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v5]
)
