import CodeRendering
import SchemaModel
import SQLGenerator

/// How a portable column type appears in SQLAlchemy models and Python annotations, chosen so that
/// `Base.metadata.create_all` produces the same catalog as `schemaforge sql` on every dialect.
struct SQLAlchemyTypeMapping {
    let schema: Schema

    /// The Python type of a value of the column (without `| None`).
    func pythonType(_ type: ColumnType, imports: inout PythonImports) -> PythonExpr {
        switch type {
        case .int, .bigint, .smallint: return .name("int")
        case .float: return .name("float")
        case .decimal:
            imports.module("decimal")
            return .dotted("decimal.Decimal")
        case .string, .text: return .name("str")
        case .bool: return .name("bool")
        case .date:
            imports.module("datetime")
            return .dotted("datetime.date")
        case .time:
            imports.module("datetime")
            return .dotted("datetime.time")
        case .datetime:
            imports.module("datetime")
            return .dotted("datetime.datetime")
        case .uuid:
            imports.module("uuid")
            return .dotted("uuid.UUID")
        case .json:
            imports.from("typing", import: "Any")
            return .name("Any")
        case .bytes: return .name("bytes")
        case let .enumeration(name):
            imports.from("app.models.enums", import: PythonNames.enumClass(name))
            return .name(PythonNames.enumClass(name))
        case let .array(element):
            return .subscripted(.name("list"), [pythonType(element, imports: &imports)])
        }
    }

    /// The SQLAlchemy type expression for `mapped_column(...)`.
    func sqlType(_ column: Column, isAutoincrementKey: Bool, imports: inout PythonImports) -> PythonExpr {
        if column.encrypted == true {
            // Ciphertext in a TEXT column; the application sees plaintext (app/encryption.py).
            imports.from("app.encryption", import: "EncryptedText")
            return .name("EncryptedText")
        }
        return sqlType(column.type, isAutoincrementKey: isAutoincrementKey, imports: &imports)
    }

    func sqlType(_ type: ColumnType, isAutoincrementKey: Bool = false, imports: inout PythonImports, enumCheck: Bool = true) -> PythonExpr {
        func sa(_ name: String) -> PythonExpr {
            imports.module("sqlalchemy as sa")
            return .dotted("sa." + name)
        }
        switch type {
        case .int: return sa("Integer")
        case .bigint:
            guard isAutoincrementKey else { return sa("BigInteger") }
            // Only INTEGER PRIMARY KEY aliases SQLite's rowid (and so autoincrements).
            return sa("BigInteger").call().dot("with_variant").call(.positional(sa("Integer").call()), .positional(.string("sqlite")))
        case .smallint: return sa("SmallInteger")
        case .float:
            imports.from("sqlalchemy.dialects", import: "sqlite")
            return sa("Double").call().dot("with_variant").call(.positional(.dotted("sqlite.REAL").call()), .positional(.string("sqlite")))
        case let .decimal(p, s): return sa("Numeric").call(.positional(.int(p)), .positional(.int(s)))
        case let .string(n): return sa("String").call(.positional(.int(n)))
        case .text: return sa("Text")
        case .bool: return sa("Boolean")
        case .date: return sa("Date")
        case .time:
            // Stored on SQLite as its CURRENT_TIME writes it: app/models/types.py.
            imports.from("app.models.types", import: "TimeOfDay")
            return .name("TimeOfDay")
        case .datetime:
            // Aware UTC on every database (SQLite and MySQL keep no offset): app/models/types.py.
            imports.from("app.models.types", import: "UTCDateTime")
            return .name("UTCDateTime")
        case .uuid:
            imports.from("app.models.types", import: "UUIDText")
            return .name("UUIDText")
        case .json:
            imports.from("sqlalchemy.dialects", import: "postgresql")
            return sa("JSON").call().dot("with_variant").call(.positional(.dotted("postgresql.JSONB").call()), .positional(.string("postgresql")))
        case .bytes:
            imports.from("sqlalchemy.dialects", import: "mysql")
            return sa("LargeBinary").call().dot("with_variant").call(
                .positional(.dotted("mysql.LONGBLOB").call()), .positional(.string("mysql")), .positional(.string("mariadb")))
        case let .enumeration(name):
            imports.from("app.models.enums", import: PythonNames.enumClass(name), "enum_values")
            let databaseName = schema.enumType(named: name)?.databaseName ?? Identifiers.snakeCase(name)
            return sa("Enum").call(
                .positional(.name(PythonNames.enumClass(name))), .keyword("name", .string(databaseName)),
                .keyword("create_constraint", .bool(enumCheck)),
                .keyword("values_callable", .name("enum_values")))
        case let .array(element):
            imports.from("sqlalchemy.dialects", import: "postgresql")
            let inner = sqlType(element, imports: &imports)
            return sa("JSON").call().dot("with_variant").call(
                .positional(.dotted("postgresql.ARRAY").call(.positional(inner))), .positional(.string("postgresql")))
        }
    }

    /// `server_default=...` for a column default: the very expression the DDL generator writes for
    /// the project's database, so `create_all` (and Alembic) agree with `schemaforge sql`.
    func serverDefault(_ value: ColumnDefault, column: Column, dialect: Dialect, imports: inout PythonImports) -> PythonExpr? {
        imports.module("sqlalchemy as sa")
        if value.kind == .literal, let text = value.value {
            switch column.type {
            case .string, .enumeration, .uuid:
                return .string(text)  // SQLAlchemy quotes it exactly as the DDL does
            default:
                break
            }
        }
        var expression = SQLTypeMapper(dialect: dialect).defaultExpression(value, type: column.type, schema: schema)
        if column.onUpdateNow, dialect == .mysql, column.type == .datetime {
            expression += " ON UPDATE CURRENT_TIMESTAMP(6)"  // the DDL's MySQL clause
        }
        return PythonExpr.dotted("sa.text").call(.positional(.string(expression)))
    }

    /// `Native("CHAR(10)")` when the schema overrides the column type for this dialect; an integer
    /// keeps its portable type beside (`Native("INT UNSIGNED", sa.BigInteger())`), which SQLAlchemy
    /// needs to make an integer key autoincrement.
    func nativeType(_ column: Column, dialect: Dialect, imports: inout PythonImports) -> PythonExpr? {
        guard let native = column.nativeType(for: dialect) else { return nil }
        imports.from("app.models.types", import: "Native")
        var args: [PythonArgument] = [.positional(.string(native))]
        if column.type.isInteger { args.append(.positional(sqlType(column.type, imports: &imports).call([]))) }
        return PythonExpr.name("Native").call(args)
    }
}
