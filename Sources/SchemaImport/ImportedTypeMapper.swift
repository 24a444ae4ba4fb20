import SQLGenerator
import SchemaModel

/// A column's type in the schema language: the portable type with its size, and the native SQL type
/// when the portable one would create something else in the imported dialect.
struct FieldType: Equatable {
    var type: String
    var length: Int?
    var precision: Int?
    var scale: Int?
    var native: String?
    /// The portable type as the resolver would read it (to compare foreign keys with their keys).
    var portable: ColumnType?
    /// Why the type is only approximated (a located warning when set).
    var approximation: String?
    var autoincrement = false
}

/// Maps a dialect's column types to the portable types, the way a careful engineer would by hand:
/// `varchar(n)` is `string` with a length, `serial` an autoincrementing `int`, `tinyint(1)` a
/// `bool`; anything the portable type would spell differently keeps its own spelling as `native:`.
struct ImportedTypeMapper {
    let dialect: Dialect
    let enumNames: [String: String]
    let domains: [String: ImportedType]
    private let sqlTypes: SQLTypeMapper

    init(dialect: Dialect, enumNames: [String: String], domains: [String: ImportedType]) {
        self.dialect = dialect
        self.enumNames = enumNames
        self.domains = domains
        sqlTypes = SQLTypeMapper(dialect: dialect)
    }

    func fieldType(_ type: ImportedType) -> FieldType {
        if let domain = domains[SQLNames.key(type.name, dialect: dialect)] { return fieldType(domain) }
        if let enumName = enumNames[SQLNames.key(type.name, dialect: dialect)] {
            let t = FieldType(type: type.isArray ? "array<\(enumName)>" : enumName, portable: .enumeration(enumName))
            return t
        }
        var element = type
        element.isArray = false
        var mapped = scalar(element)
        if type.isArray {
            guard dialect == .postgresql, let portable = mapped.portable, mapped.native == nil else {
                return FieldType(
                    type: "json", native: type.spelling, portable: .json,
                    approximation: "array of \(element.spelling) is read as JSON in the API")
            }
            let elementName = mapped.length.map { "\(mapped.type)(\($0))" } ?? mapped.type
            mapped = FieldType(type: "array<\(elementName)>", portable: .array(portable))
            if mapped.type.contains("decimal") { mapped.native = type.spelling }
            return mapped
        }
        // The native spelling only where the portable type would create another type.
        // `serial` is `int` with a sequence: the identity the schema writes for an autoincrementing key.
        if mapped.native == nil, !mapped.autoincrement, let portable = mapped.portable,
            !Self.sameType(sqlTypes.sqlType(portable, schema: Self.emptySchema), type.spelling, dialect)
        {
            mapped.native = type.spelling
        }
        return mapped
    }

    private static let emptySchema = Schema(name: "import", enums: [], tables: [])

    /// `INTEGER` and `int4`, `VARCHAR(20)` and `character varying(20)`: one type.
    static func sameType(_ a: String, _ b: String, _ dialect: Dialect) -> Bool { canonical(a, dialect) == canonical(b, dialect) }

    static func canonical(_ spelling: String, _ dialect: Dialect) -> String {
        var s = spelling.lowercased().split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
        s = s.replacingOccurrences(of: ", ", with: ",").replacingOccurrences(of: " (", with: "(")
        let aliases: [(String, String)]
        switch dialect {
        case .postgresql:
            aliases = [
                ("character varying", "varchar"), ("int4", "integer"), ("int8", "bigint"), ("int2", "smallint"), ("bool", "boolean"),
                ("float8", "double precision"), ("timestamptz", "timestamp with time zone"), ("decimal", "numeric"),
                ("timestamp without time zone", "timestamp"), ("time without time zone", "time"),
            ]
            if s == "int" { s = "integer" }
        case .mysql:
            aliases = [("integer", "int"), ("boolean", "bool"), ("tinyint(1)", "bool"), ("double precision", "double"), ("numeric", "decimal")]
            // Display widths (`int(11)`) do not change the type.
            for base in ["bigint", "smallint", "mediumint", "int"] where s.hasPrefix(base + "(") && !s.hasPrefix("tinyint") {
                if let close = s.firstIndex(of: ")") { s = base + s[s.index(after: close)...] }
            }
        case .sqlite:
            aliases = []
        }
        for (from, to) in aliases where s == from || s.hasPrefix(from + "(") { s = to + s.dropFirst(from.count) }
        return s
    }

    private func int(_ text: String?) -> Int? { text.flatMap { Int($0.trimmingCharacters(in: " ")) } }

    // swiftlint:disable:next cyclomatic_complexity
    private func scalar(_ type: ImportedType) -> FieldType {
        let name = type.name
        let args = type.arguments
        func text(_ why: String? = nil) -> FieldType {
            FieldType(
                type: "text", native: type.spelling.isEmpty ? nil : type.spelling, portable: .text,
                approximation: why
                    ?? "type \(type.spelling.uppercased()) has no portable equivalent; it is kept as native and read as text in the API")
        }
        func string(_ n: Int) -> FieldType {
            // Beyond the portable string's 16,383 characters: text, the length kept by the native type.
            guard n <= 16383 else { return FieldType(type: "text", native: type.spelling, portable: .text) }
            return FieldType(type: "string", length: n, portable: .string(length: n))
        }
        func decimal() -> FieldType {
            guard let p = int(args.first) else {
                return FieldType(type: "decimal", precision: 38, scale: 10, native: type.spelling, portable: .decimal(precision: 38, scale: 10))
            }
            let s = int(args.dropFirst().first) ?? 0
            return FieldType(type: "decimal", precision: p, scale: s, portable: .decimal(precision: p, scale: s))
        }
        func unsigned(_ signed: ColumnType, _ wider: ColumnType) -> FieldType {
            let t = type.isUnsigned ? wider : signed
            return FieldType(type: "\(t)", native: type.isUnsigned ? type.spelling : nil, portable: t)
        }
        switch dialect {
        case .postgresql:
            switch name {
            case "integer", "int", "int4": return FieldType(type: "int", portable: .int)
            case "serial", "serial4": return FieldType(type: "int", portable: .int, autoincrement: true)
            case "bigserial", "serial8": return FieldType(type: "bigint", portable: .bigint, autoincrement: true)
            case "smallserial", "serial2": return FieldType(type: "smallint", portable: .smallint, autoincrement: true)
            case "bigint", "int8": return FieldType(type: "bigint", portable: .bigint)
            case "smallint", "int2": return FieldType(type: "smallint", portable: .smallint)
            case "real", "float4", "double precision", "float8", "float": return FieldType(type: "float", portable: .float)
            case "numeric", "decimal": return decimal()
            case "character varying", "varchar": return int(args.first).map(string) ?? text("VARCHAR without a length is read as text")
            case "character", "char", "bpchar", "nchar": return string(int(args.first) ?? 1)
            case "text": return FieldType(type: "text", portable: .text)
            case "citext": return FieldType(type: "text", native: type.spelling, portable: .text)
            case "boolean", "bool": return FieldType(type: "bool", portable: .bool)
            case "date": return FieldType(type: "date", portable: .date)
            case "time", "time without time zone", "timetz", "time with time zone": return FieldType(type: "time", portable: .time)
            case "timestamp", "timestamp without time zone", "timestamptz", "timestamp with time zone":
                return FieldType(type: "datetime", portable: .datetime)
            case "uuid": return FieldType(type: "uuid", portable: .uuid)
            case "json", "jsonb": return FieldType(type: "json", portable: .json)
            case "bytea": return FieldType(type: "bytes", portable: .bytes)
            default: return text()
            }
        case .mysql:
            switch name {
            case "int", "integer", "mediumint": return unsigned(.int, .bigint)
            case "bigint": return FieldType(type: "bigint", native: type.isUnsigned ? type.spelling : nil, portable: .bigint)
            case "smallint": return unsigned(.smallint, .int)
            case "tinyint":
                if args.first == "1", !type.isUnsigned { return FieldType(type: "bool", portable: .bool) }
                return FieldType(type: type.isUnsigned ? "smallint" : "smallint", native: type.spelling, portable: .smallint)
            case "bool", "boolean": return FieldType(type: "bool", portable: .bool)
            case "float", "double", "double precision", "real": return FieldType(type: "float", portable: .float)
            case "decimal", "numeric", "dec", "fixed":
                var d = decimal()
                if args.isEmpty { d = FieldType(type: "decimal", precision: 10, scale: 0, portable: .decimal(precision: 10, scale: 0)) }
                return d
            case "varchar", "nvarchar", "national varchar": return string(int(args.first) ?? 255)
            case "char", "nchar", "national char", "character": return string(int(args.first) ?? 1)
            case "text", "tinytext", "mediumtext", "longtext": return FieldType(type: "text", portable: .text)
            case "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary": return FieldType(type: "bytes", portable: .bytes)
            case "date": return FieldType(type: "date", portable: .date)
            case "time": return FieldType(type: "time", portable: .time)
            case "datetime", "timestamp": return FieldType(type: "datetime", portable: .datetime)
            case "year": return FieldType(type: "smallint", portable: .smallint)
            case "json": return FieldType(type: "json", portable: .json)
            case "bit" where int(args.first) ?? 1 == 1: return FieldType(type: "bool", portable: .bool)
            default: return text()
            }
        case .sqlite:
            // SQLite's affinity rules, most specific first.
            let upper = name.uppercased()
            if upper == "BOOLEAN" || upper == "BOOL" { return FieldType(type: "bool", portable: .bool) }
            if upper == "BIGINT" || upper == "INT8" { return FieldType(type: "bigint", portable: .bigint) }
            if upper == "SMALLINT" || upper == "TINYINT" || upper == "INT2" { return FieldType(type: "smallint", portable: .smallint) }
            if upper.contains("INT") { return FieldType(type: "int", portable: .int) }
            if upper == "DATE" { return FieldType(type: "date", portable: .date) }
            if upper == "DATETIME" || upper == "TIMESTAMP" { return FieldType(type: "datetime", portable: .datetime) }
            if upper == "TIME" { return FieldType(type: "time", portable: .time) }
            if upper == "UUID" { return FieldType(type: "uuid", portable: .uuid) }
            if upper == "JSON" { return FieldType(type: "json", portable: .json) }
            if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") {
                if let n = int(args.first), !upper.contains("TEXT") { return string(n) }
                return FieldType(type: "text", portable: .text)
            }
            if upper.contains("BLOB") { return FieldType(type: "bytes", portable: .bytes) }
            if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return FieldType(type: "float", portable: .float) }
            if upper.contains("NUMERIC") || upper.contains("DECIMAL") {
                if int(args.first) == nil {
                    return FieldType(type: "decimal", precision: 38, scale: 10, native: type.spelling, portable: .decimal(precision: 38, scale: 10))
                }
                return decimal()
            }
            if upper.isEmpty { return text("column has no declared type; it is imported as text") }
            return text()
        }
    }
}
