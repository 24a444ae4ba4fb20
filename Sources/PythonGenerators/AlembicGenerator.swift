import CodeRendering
import Foundation
import MigrationPlanner
import SchemaModel
import SQLGenerator

/// Alembic for the generated project: `alembic.ini`, an async `migrations/env.py` wired to the
/// settings and `Base.metadata`, the revision template, the initial revision (the plan from an empty
/// schema, with its downgrade) and the schema snapshot the next `schemaforge migrate` diffs against.
struct AlembicGenerator {
    let schema: Schema
    let database: TargetDatabase
    var dialect: Dialect { Dialect(rawValue: database.rawValue) ?? .sqlite }

    func generate(snapshot: String) -> [GeneratedFile] { jobs(snapshot: { snapshot }).flatMap { $0() } }

    /// The initial revision (the biggest single file of a project), the snapshot, the fixed files.
    func jobs(snapshot: @escaping () -> String) -> [FileJob] {
        [
            { [initialRevision()] },
            { [GeneratedFile(path: MigrationLayout.alembic.snapshot, contents: snapshot())] },
            { [ini(), env(), template(), GeneratedFile(path: "migrations/README.md", contents: readme())] },
        ]
    }

    func ini() -> GeneratedFile {
        GeneratedFile(
            path: "alembic.ini",
            contents: """
                # \(generatedHeader)
                # The database URL comes from the application settings (DATABASE_URL), see migrations/env.py.
                [alembic]
                script_location = %(here)s/migrations
                prepend_sys_path = .
                path_separator = os

                [loggers]
                keys = root,sqlalchemy,alembic

                [handlers]
                keys = console

                [formatters]
                keys = generic

                [logger_root]
                level = WARNING
                handlers = console
                qualname =

                [logger_sqlalchemy]
                level = WARNING
                handlers =
                qualname = sqlalchemy.engine

                [logger_alembic]
                level = INFO
                handlers =
                qualname = alembic

                [handler_console]
                class = StreamHandler
                args = (sys.stderr,)
                level = NOTSET
                formatter = generic

                [formatter_generic]
                format = %(levelname)-5.5s [%(name)s] %(message)s
                datefmt = %H:%M:%S

                """)
    }

    func readme() -> String {
        """
        # Migrations

        Alembic, in its async form. `alembic upgrade head` applies the revisions to `DATABASE_URL`;
        `alembic check` must then report no new operations (the models and the migrations agree).
        `schema.snapshot.json` is the resolved schema these revisions lead to: `schemaforge migrate`
        diffs the schema file against it to write the next revision. Do not edit it by hand (its
        checksum is verified).

        """
    }

    func template() -> GeneratedFile {
        GeneratedFile(
            path: "migrations/script.py.mako",
            contents: """
                \"\"\"${message}

                Revision ID: ${up_revision}
                Revises: ${down_revision | comma,n}
                Create Date: ${create_date}

                \"\"\"

                from collections.abc import Sequence

                import sqlalchemy as sa
                from alembic import op
                ${imports if imports else ""}

                revision: str = ${repr(up_revision)}
                down_revision: str | None = ${repr(down_revision)}
                branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
                depends_on: str | Sequence[str] | None = ${repr(depends_on)}


                def upgrade() -> None:
                    ${upgrades if upgrades else "pass"}


                def downgrade() -> None:
                    ${downgrades if downgrades else "pass"}

                """)
    }

    func env() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Alembic environment: async engine from the settings, metadata from the models.")
        m.imports.module("asyncio")
        m.imports.module("re")
        m.imports.from("decimal", import: "Decimal", "InvalidOperation")
        m.imports.from("logging.config", import: "fileConfig")
        m.imports.from("typing", import: "Any")
        m.imports.from("alembic", import: "context")
        m.imports.from("sqlalchemy", import: "pool")
        m.imports.from("sqlalchemy.engine", import: "Connection")
        m.imports.from("sqlalchemy.ext.asyncio", import: "create_async_engine")
        m.imports.from("app.config", import: "settings")
        m.imports.from("app.models", import: "Base")
        // What `search:` adds beside its tables is not in the models: left out of the comparison.
        // Native types are compared by their spelling (`INT UNSIGNED` is `INTEGER(10) UNSIGNED`).
        var compareType = "True"
        if schema.tables.contains(where: { $0.columns.contains { !($0.nativeTypes ?? [:]).isEmpty } }) {
            m.imports.from("app.models.types", import: "compare_native_type")
            compareType = "compare_native_type"
        }
        var includeName = ""
        if schema.tables.contains(where: { $0.search != nil }) {
            m.imports.from("app", import: "search")
            m.imports.from("app.models.search", import: "SEARCHES")
            includeName = "\n        include_name=search.include_name(SEARCHES),"
        }
        m.body = [
            .raw(
                """
                config = context.config
                if config.config_file_name is not None:
                    fileConfig(config.config_file_name)

                target_metadata = Base.metadata

                # Server defaults are compared after normalising how each database reflects them
                # ('x'::text, current_timestamp(), 0.00, true/1 ...), so real changes are reported and
                # spellings are not.
                _ALIASES = {
                    "now()": "current_timestamp",
                    "current_timestamp()": "current_timestamp",
                    "current_timestamp": "current_timestamp",
                    "curdate()": "current_date",
                    "current_date()": "current_date",
                    "curtime()": "current_time",
                    "current_time()": "current_time",
                    "true": "1",
                    "false": "0",
                }


                def _normalise_default(value: str | None) -> str | None:
                    if value is None:
                        return None
                    text = value.strip()
                    while text.startswith("(") and text.endswith(")"):
                        text = text[1:-1].strip()
                    text = re.sub(r"::[\\w ]+(\\[\\])?$", "", text)
                    if len(text) >= 2 and text[0] == text[-1] == "'":
                        text = text[1:-1]
                    text = re.sub(r"\\(\\d\\)$", "", text.lower()) if "current_" in text.lower() else text
                    text = _ALIASES.get(text.lower(), text)
                    try:
                        return str(Decimal(text).normalize())
                    except InvalidOperation:
                        return text


                def _compare_server_default(
                    _context: Any,
                    _inspected_column: Any,
                    _metadata_column: Any,
                    inspected_default: str | None,
                    _metadata_default: Any,
                    rendered_metadata_default: str | None,
                ) -> bool:
                    return _normalise_default(inspected_default) != _normalise_default(
                        rendered_metadata_default
                    )


                def _configure(dialect: str, **kwargs: Any) -> None:
                    context.configure(
                        target_metadata=target_metadata,
                        compare_type=\(compareType),
                        # PostgreSQL reflects defaults exactly (and identity columns as Identity, which
                        # a custom comparison cannot receive); elsewhere normalise the spellings.
                        compare_server_default=(
                            True if dialect == "postgresql" else _compare_server_default
                        ),
                        render_as_batch=settings.database_url.startswith("sqlite"),\(includeName)
                        **kwargs,
                    )


                # PostgreSQL: a statement that cannot take its lock within lock_timeout fails instead of
                # holding up every query behind it (run `alembic upgrade head` again when the table is
                # quieter); statement_timeout bounds the rest.
                def run_migrations_offline() -> None:
                    \"\"\"Write the SQL instead of running it (`alembic upgrade head --sql`).\"\"\"
                    dialect = settings.database_url.split(":", 1)[0].split("+", 1)[0]
                    _configure(dialect, url=settings.database_url, literal_binds=True)
                    with context.begin_transaction():
                        if dialect == "postgresql":
                            context.execute("SET lock_timeout = '\(MigrationSQLGenerator.lockTimeout)'")
                            context.execute("SET statement_timeout = '\(MigrationSQLGenerator.statementTimeout)'")
                        context.run_migrations()


                def do_run_migrations(connection: Connection) -> None:
                    if connection.dialect.name == "postgresql":
                        connection.exec_driver_sql("SET lock_timeout = '\(MigrationSQLGenerator.lockTimeout)'")
                        connection.exec_driver_sql("SET statement_timeout = '\(MigrationSQLGenerator.statementTimeout)'")
                        connection.commit()
                    if connection.dialect.name == "sqlite":
                        # A table rebuild (batch mode) drops the old table: with foreign keys on, that
                        # would cascade into the rows referencing it. Off outside the transaction, checked
                        # afterwards.
                        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                        connection.commit()
                    _configure(connection.dialect.name, connection=connection)
                    with context.begin_transaction():
                        context.run_migrations()
                    if connection.dialect.name == "sqlite":
                        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                        if problems:
                            raise RuntimeError(f"foreign keys violated after migrating: {problems}")


                async def run_async_migrations() -> None:
                    engine = create_async_engine(settings.database_url, poolclass=pool.NullPool)
                    async with engine.connect() as connection:
                        await connection.run_sync(do_run_migrations)
                    await engine.dispose()


                if context.is_offline_mode():
                    run_migrations_offline()
                else:
                    asyncio.run(run_async_migrations())
                """)
        ]
        return GeneratedFile(path: "migrations/env.py", contents: PythonRenderer().render(m))
    }

    // MARK: Initial revision

    func initialRevision() -> GeneratedFile {
        let empty = Schema(name: schema.name, namingConvention: schema.namingConvention, enums: [], tables: [])
        let plan = MigrationPlanner.plan(from: empty, to: schema)
        let renderer = AlembicOperationRenderer(schema: schema, previous: empty, dialect: dialect)
        var imports = PythonImports()
        imports.from("collections.abc", import: "Sequence")
        imports.from("alembic", import: "op")
        let upgrade = renderer.upgrade(plan, imports: &imports)
        let downgrade = renderer.downgrade(plan, imports: &imports)
        var m = PythonModule(header: generatedHeader, docstring: "Initial schema of '\(schema.name)'.\n\nRevision ID: 0001\nRevises:\n")
        m.imports = imports
        m.body = [Self.revisionBody(revision: "0001", downRevision: nil, upgrade: upgrade, downgrade: downgrade)]
        return GeneratedFile(path: MigrationLayout.alembic.initialRevision, contents: PythonRenderer().render(m))
    }

    /// The module body of a revision: the identifiers, then `upgrade()` and `downgrade()` with the
    /// operations indented and wrapped as the renderer wraps raw lines (`.verbatim`: the operations,
    /// megabytes for a large schema, are not split into lines a second time).
    static func revisionBody(revision: String, downRevision: String?, upgrade: [String], downgrade: [String]) -> PythonStatement {
        let renderer = PythonRenderer()
        var body = renderer.render(
            .raw(
                """
                revision: str = \(PythonRenderer.quote(revision))
                down_revision: str | None = \(downRevision.map(PythonRenderer.quote) ?? "None")
                branch_labels: str | Sequence[str] | None = None
                depends_on: str | Sequence[str] | None = None
                """), indent: 0)
        body += "\n\n\ndef upgrade() -> None:\n"
        appendIndented(upgrade, to: &body, renderer: renderer)
        body += "\n\n\ndef downgrade() -> None:\n"
        appendIndented(downgrade, to: &body, renderer: renderer)
        return .verbatim(body)
    }

    /// The operations (or `pass`) indented by four spaces, each line longer than the limit wrapped:
    /// what a `.raw` statement at the top level makes of them.
    static func appendIndented(_ lines: [String], to out: inout String, renderer: PythonRenderer) {
        var first = true
        for element in lines.isEmpty ? ["pass"] : lines {
            let piece = element.isEmpty ? "" : "    " + element
            for line in PythonRenderer.lines(of: piece) {
                if !first { out += "\n" }
                first = false
                if line.isEmpty { continue }
                if line.utf8.count <= renderer.lineLength {
                    out += line
                } else {
                    out += renderer.wrap(String(line)).joined(separator: "\n")
                }
            }
        }
    }
}

/// A revision after the initial one, from a migration plan.
public struct AlembicRevisionGenerator {
    public let old: Schema
    public let new: Schema
    public let database: TargetDatabase

    public init(old: Schema, new: Schema, database: TargetDatabase) {
        self.old = old
        self.new = new
        self.database = database
    }

    /// The revision module: upgrade and downgrade from `plan`, and a docstring that lists the
    /// operations with their safety classes and what the downgrade cannot restore.
    public func render(_ plan: MigrationPlan, revision: String, downRevision: String?, message: String) -> String {
        let dialect = Dialect(rawValue: database.rawValue) ?? .sqlite
        let renderer = AlembicOperationRenderer(schema: new, previous: old, dialect: dialect)
        var imports = PythonImports()
        imports.from("collections.abc", import: "Sequence")
        imports.from("alembic", import: "op")
        let upgrade = renderer.upgrade(plan, imports: &imports)
        let downgrade = renderer.downgrade(plan, imports: &imports)
        var doc = "\(message)\n\nRevision ID: \(revision)\nRevises: \(downRevision ?? "")\n\nOperations:\n"
        doc += plan.steps.map { "- [\($0.safety.rawValue)] \($0.operation.kind) \($0.operation.subject)" }.joined(separator: "\n")
        let lost = plan.dataLossSteps
        if !lost.isEmpty {
            doc += "\n\nThe downgrade cannot restore what these steps destroy:\n"
            doc += lost.map { "- \($0.operation.kind) \($0.operation.subject): \($0.note)" }.joined(separator: "\n")
        }
        doc += "\n"
        var m = PythonModule(header: generatedHeader, docstring: doc)
        m.imports = imports
        m.body = [AlembicGenerator.revisionBody(revision: revision, downRevision: downRevision, upgrade: upgrade, downgrade: downgrade)]
        return PythonRenderer().render(m)
    }
}
