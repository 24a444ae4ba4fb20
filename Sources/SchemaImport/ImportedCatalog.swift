import SchemaModel

/// What a SQL script declares, as the database would hold it: tables with their columns and
/// constraints, indexes, enum types. The importer's value type between reading the script and
/// writing the schema; nothing here is Schemaforge's own vocabulary yet.
public struct ImportedCatalog: Sendable {
    public var dialect: Dialect
    /// Tables in the order the script creates them.
    public var tables: [ImportedTable] = []
    public var enums: [ImportedEnum] = []
    /// Domains (`CREATE DOMAIN name AS type`): the type they stand for, by lookup key.
    public var domains: [String: ImportedType] = [:]

    public init(dialect: Dialect) { self.dialect = dialect }
}

/// A column type as written: its base name (lower-cased, words joined by one space: `character
/// varying`, `timestamp with time zone`), its arguments, and the full spelling.
public struct ImportedType: Equatable, Sendable {
    public var name: String
    public var arguments: [String] = []
    public var isArray = false
    public var isUnsigned = false
    /// The schema that qualifies a user-defined type (`public.mpaa_rating`), if any.
    public var qualifier: String?
    /// The type as written in the script (`character varying(50)[]`, `int(10) unsigned`).
    public var spelling: String

    public init(name: String, spelling: String) {
        self.name = name
        self.spelling = spelling
    }
}

public struct ImportedColumn: Sendable {
    public var name: String
    public var type: ImportedType
    public var nullable = true
    /// The default expression as written, without `DEFAULT` (`nextval('x_id_seq'::regclass)`).
    public var defaultSQL: String?
    /// A serial, identity, `AUTO_INCREMENT` or `AUTOINCREMENT` column.
    public var autoincrement = false
    /// A computed column's expression (`GENERATED ALWAYS AS (...) STORED`, MySQL `AS (...)`).
    public var generated: String?
    public var collation: String?
    public var comment: String?
    public var line: Int

    public init(name: String, type: ImportedType, line: Int) {
        self.name = name
        self.type = type
        self.line = line
    }
}

/// A referential action as the script spells it, upper-cased (`CASCADE`, `SET NULL`, `NO ACTION`).
public typealias ImportedAction = String

public struct ImportedForeignKey: Sendable {
    public var name: String?
    public var columns: [String]
    public var referencedTable: String
    /// Empty: the referenced table's primary key.
    public var referencedColumns: [String]
    public var onDelete: ImportedAction?
    public var onUpdate: ImportedAction?
    public var deferrable = false
    public var line: Int
    /// The source's own names for the relation and its inverse (a Prisma relation field and the list
    /// on the other model), when it has them; otherwise they are made from the columns and tables.
    public var relationName: String?
    public var backName: String?
}

public struct ImportedUnique: Sendable {
    public var name: String?
    public var columns: [String]
    public var line: Int
}

public struct ImportedCheck: Sendable {
    public var name: String?
    /// The condition without its outer parentheses.
    public var expression: String
    public var line: Int
}

public struct ImportedIndex: Sendable {
    public enum Element: Equatable, Sendable {
        case column(String)
        case expression(String)
    }

    public var name: String?
    public var elements: [Element]
    public var unique = false
    /// `btree`, `gin`, `hash`, ... as written after `USING`, lower-cased.
    public var method: String?
    public var whereClause: String?
    public var line: Int
}

public struct ImportedTable: Sendable {
    public var name: String
    public var schema: String?
    public var columns: [ImportedColumn] = []
    public var primaryKey: [String] = []
    public var primaryKeyName: String?
    public var foreignKeys: [ImportedForeignKey] = []
    public var uniques: [ImportedUnique] = []
    public var checks: [ImportedCheck] = []
    public var indexes: [ImportedIndex] = []
    public var comment: String?
    public var line: Int

    public init(name: String, schema: String?, line: Int) {
        self.name = name
        self.schema = schema
        self.line = line
    }

    public func column(named name: String, dialect: Dialect) -> Int? {
        let key = SQLNames.key(name, dialect: dialect)
        return columns.firstIndex { SQLNames.key($0.name, dialect: dialect) == key }
    }
}

public struct ImportedEnum: Sendable {
    public var name: String
    public var schema: String?
    public var values: [String]
    public var line: Int
}

/// How each dialect compares the names a script uses: PostgreSQL folds unquoted names to lower case
/// when it reads them (the reader does that), so stored names compare exactly; MySQL (table names
/// on the usual case-insensitive setups, column names always) and SQLite compare without case.
public enum SQLNames {
    public static func key(_ name: String, dialect: Dialect) -> String {
        dialect == .postgresql ? name : name.lowercased()
    }
}
