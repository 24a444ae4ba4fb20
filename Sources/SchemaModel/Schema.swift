/// The resolved, dialect-neutral schema: the intermediate representation every generator reads.
///
/// Relations are already turned into foreign-key columns, join tables and back-references, and every
/// constraint and index has its name from the naming convention. It encodes to stable, sorted JSON,
/// which is the migration snapshot format.
public struct Schema: Codable, Equatable, Sendable {
    /// Version of this JSON shape; bump it when the snapshot format changes.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var name: String
    public var namingConvention: NamingConvention
    /// Enums, sorted by name.
    public var enums: [EnumType]
    /// Tables, sorted by name (entity tables and implicit join tables).
    public var tables: [Table]
    /// `auth:`: who logs in (then every entity table has `access`).
    public var auth: AuthConfig?

    public init(name: String, namingConvention: NamingConvention = .standard, enums: [EnumType], tables: [Table]) {
        self.formatVersion = Schema.currentFormatVersion
        self.name = name
        self.namingConvention = namingConvention
        self.enums = enums
        self.tables = tables
    }

    /// The table called `name`: a binary search over the name-sorted tables (the resolver's order),
    /// falling back to a scan for schemas assembled in another order.
    public func table(named name: String) -> Table? {
        var low = 0, high = tables.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let candidate = tables[mid].name
            if candidate == name { return tables[mid] }
            if candidate < name { low = mid + 1 } else { high = mid - 1 }
        }
        return tables.first { $0.name == name }
    }

    public func table(forEntity entity: String) -> Table? { tables.first { $0.entity == entity } }

    /// The tables of the schema's own entities: those the API serves (not join tables, nor the
    /// tables a feature adds, `Table.managedBy`).
    public var entityTables: [Table] { tables.filter { !$0.isJoinTable && $0.managedBy == nil } }

    public func enumType(named name: String) -> EnumType? { enums.first { $0.name == name } }

    /// The columns that store enum `name` as the enum (not through a native type on `dialect`).
    public func columns(ofEnum name: String, on dialect: Dialect) -> [(table: Table, column: Column)] {
        tables.flatMap { table in
            table.columns.filter { $0.type == .enumeration(name) && $0.nativeType(for: dialect) == nil }.map { (table, $0) }
        }
    }
}

/// A named enum; `databaseName` is the PostgreSQL type name.
public struct EnumType: Codable, Equatable, Sendable {
    public var name: String
    public var databaseName: String
    public var values: [String]
    public var comment: String?
    /// Values renamed since the previous version (`renamed_from`): new value -> old value.
    public var renamedValues: [String: String]?

    public init(name: String, databaseName: String, values: [String], comment: String? = nil, renamedValues: [String: String]? = nil) {
        self.name = name
        self.databaseName = databaseName
        self.values = values
        self.comment = comment
        self.renamedValues = renamedValues
    }
}

/// A table: an entity's, or the implicit join table of a many-to-many relation.
public struct Table: Codable, Equatable, Sendable {
    public var name: String
    /// The entity this table stores; `nil` for an implicit join table.
    public var entity: String?
    public var comment: String?
    public var renamedFrom: String?
    /// Columns in declaration order (primary key first when it was defaulted).
    public var columns: [Column]
    public var primaryKey: PrimaryKey?
    public var foreignKeys: [ForeignKey]
    public var uniques: [UniqueConstraint]
    public var checks: [CheckConstraint]
    public var indexes: [Index]
    /// The ORM view of the relations, forward and inverse.
    public var relations: [Relation]
    /// The entity's `mongo:` options (only the MongoDB target reads them).
    public var mongo: MongoOptions?
    /// Who may read and write the entity's rows (when the schema has `auth:`).
    public var access: EntityAccess?
    /// The feature that adds this table (`auth`: the refresh tokens): not one of the schema's own
    /// entities, so it has a model and migrations but no API of its own.
    public var managedBy: String?
    /// `search:`: full-text search over some of its text columns.
    public var search: TextSearch?

    public init(
        name: String, entity: String?, comment: String? = nil, renamedFrom: String? = nil, columns: [Column],
        primaryKey: PrimaryKey?, foreignKeys: [ForeignKey] = [], uniques: [UniqueConstraint] = [],
        checks: [CheckConstraint] = [], indexes: [Index] = [], relations: [Relation] = []
    ) {
        self.name = name
        self.entity = entity
        self.comment = comment
        self.renamedFrom = renamedFrom
        self.columns = columns
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.uniques = uniques
        self.checks = checks
        self.indexes = indexes
        self.relations = relations
    }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// True when this is the join table of an implicit many-to-many.
    public var isJoinTable: Bool { entity == nil }
}

/// `search: [title, body]` (or `{fields, language}`): full-text search over text columns, ranked by
/// relevance. Each database realises it in its own way (`SearchDDL` in SQLGenerator): PostgreSQL a
/// generated `tsvector` column `vectorColumn` with a GIN index `name`, MySQL/MariaDB a FULLTEXT index
/// `name`, SQLite an FTS5 table `name` kept in step by triggers, MongoDB a text index.
public struct TextSearch: Codable, Equatable, Sendable {
    /// The searched columns, in the schema's order (the first weighs most in the ranking).
    public var columns: [String]
    /// A PostgreSQL text search configuration (`english`, `simple`, ...): stemming and stop words.
    public var language: String
    /// PostgreSQL: the generated `tsvector` column (a name no column of the table has).
    public var vectorColumn: String
    /// The index (PostgreSQL, MySQL) or the FTS5 table (SQLite), by the naming convention.
    public var name: String

    public init(columns: [String], language: String, vectorColumn: String, name: String) {
        self.columns = columns
        self.language = language
        self.vectorColumn = vectorColumn
        self.name = name
    }

    /// PostgreSQL's text search configurations (PostgreSQL 16), the languages `search:` accepts.
    public static let languages = [
        "simple", "arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish", "french", "german", "greek",
        "hindi", "hungarian", "indonesian", "irish", "italian", "lithuanian", "nepali", "norwegian", "portuguese", "romanian",
        "russian", "serbian", "spanish", "swedish", "tamil", "turkish", "yiddish",
    ]
}

/// An entity's `mongo:` options: the collection name, whether documents may hold fields the
/// schema does not list, a TTL index and a text index (field names as the schema spells them).
public struct MongoOptions: Codable, Equatable, Sendable {
    public var collection: String?
    public var additionalProperties: Bool?
    public var ttlField: String?
    public var ttlSeconds: Int?
    public var textFields: [String]?

    public init(
        collection: String? = nil, additionalProperties: Bool? = nil, ttlField: String? = nil, ttlSeconds: Int? = nil, textFields: [String]? = nil
    ) {
        self.collection = collection
        self.additionalProperties = additionalProperties
        self.ttlField = ttlField
        self.ttlSeconds = ttlSeconds
        self.textFields = textFields
    }
}

/// Pydantic/ODM-level validation of a column (enforced by the database only where a CHECK says so).
public struct Validation: Codable, Equatable, Sendable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    public var minimum: Double?
    public var maximum: Double?

    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, minimum: Double? = nil, maximum: Double? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.minimum = minimum
        self.maximum = maximum
    }

    public var isEmpty: Bool { self == Validation() }
}

/// A column default.
public struct ColumnDefault: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A literal value; `value` holds its canonical text (`false`, `0`, `12.50`, `reader`, `hello`).
        case literal
        /// The current timestamp / date / time.
        case now
        /// A random UUID (v4).
        case uuid
        /// A raw SQL expression, emitted as written.
        case sql
    }

    public var kind: Kind
    public var value: String?

    public init(_ kind: Kind, _ value: String? = nil) {
        self.kind = kind
        self.value = value
    }
}

/// One column of a table.
public struct Column: Codable, Equatable, Sendable {
    public var name: String
    /// The attribute name in generated code (the schema's field or relation-column name).
    public var field: String
    public var type: ColumnType
    public var nullable: Bool
    public var defaultValue: ColumnDefault?
    public var autoincrement: Bool
    /// Set to the current timestamp on every update (`updated_at`).
    public var onUpdateNow: Bool
    public var comment: String?
    public var renamedFrom: String?
    public var sensitive: Bool
    public var validation: Validation?
    /// Per-dialect native type that replaces the portable mapping (`{postgresql: CITEXT}`).
    public var nativeTypes: [String: String]?
    /// The relation whose foreign key this column belongs to.
    public var relation: String?
    /// SQL that fills existing rows when a migration adds this column or makes it NOT NULL.
    public var backfill: String?
    /// Stored encrypted (the column is TEXT; `validation.maxLength` bounds the plaintext).
    public var encrypted: Bool?
    /// The list route filters on this column (`true`), or not although it is indexed (`false`);
    /// nil: filtered if it leads an index, a unique constraint or a foreign key.
    public var filterable: Bool?

    public init(
        name: String, field: String? = nil, type: ColumnType, nullable: Bool = false, defaultValue: ColumnDefault? = nil,
        autoincrement: Bool = false, onUpdateNow: Bool = false, comment: String? = nil, renamedFrom: String? = nil,
        sensitive: Bool = false, validation: Validation? = nil, nativeTypes: [String: String]? = nil, relation: String? = nil
    ) {
        self.name = name
        self.field = field ?? name
        self.type = type
        self.nullable = nullable
        self.defaultValue = defaultValue
        self.autoincrement = autoincrement
        self.onUpdateNow = onUpdateNow
        self.comment = comment
        self.renamedFrom = renamedFrom
        self.sensitive = sensitive
        self.validation = validation
        self.nativeTypes = nativeTypes
        self.relation = relation
    }

    public func nativeType(for dialect: Dialect) -> String? { nativeTypes?[dialect.rawValue] }
}

public struct PrimaryKey: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [String]

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

public struct ForeignKey: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var referencedTable: String
    public var referencedColumns: [String]
    public var onDelete: ReferentialAction?
    public var onUpdate: ReferentialAction?

    public init(
        name: String, columns: [String], referencedTable: String, referencedColumns: [String],
        onDelete: ReferentialAction? = nil, onUpdate: ReferentialAction? = nil
    ) {
        self.name = name
        self.columns = columns
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onDelete = onDelete
        self.onUpdate = onUpdate
    }
}

public struct UniqueConstraint: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [String]

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }
}

/// A CHECK constraint. `expression` is portable SQL; `dialectExpressions` overrides it per dialect.
public struct CheckConstraint: Codable, Equatable, Sendable {
    public var name: String
    public var expression: String
    public var dialectExpressions: [String: String]?

    public init(name: String, expression: String, dialectExpressions: [String: String]? = nil) {
        self.name = name
        self.expression = expression
        self.dialectExpressions = dialectExpressions
    }

    public func expression(for dialect: Dialect) -> String { dialectExpressions?[dialect.rawValue] ?? expression }
}

/// Index access methods.
public enum IndexMethod: String, Codable, CaseIterable, Sendable {
    case btree, hash, gin, gist
}

public struct Index: Codable, Equatable, Sendable {
    public var name: String
    /// Indexed columns, in order; empty for a pure expression index.
    public var columns: [String]
    /// SQL expressions indexed after the columns.
    public var expressions: [String]
    public var unique: Bool
    /// Partial index predicate (`WHERE ...`), SQL as written.
    public var predicate: String?
    public var method: IndexMethod?

    public init(
        name: String, columns: [String], expressions: [String] = [], unique: Bool = false, predicate: String? = nil, method: IndexMethod? = nil
    ) {
        self.name = name
        self.columns = columns
        self.expressions = expressions
        self.unique = unique
        self.predicate = predicate
        self.method = method
    }
}

/// The ORM view of a relation, on the table that has the attribute.
public struct Relation: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case manyToOne = "many_to_one"
        /// The side of a one-to-one that holds the foreign key.
        case oneToOne = "one_to_one"
        /// The inverse of a many-to-one: a collection.
        case oneToMany = "one_to_many"
        /// The inverse of a one-to-one: a single optional object.
        case oneToOneInverse = "one_to_one_inverse"
        case manyToMany = "many_to_many"
    }

    public var name: String
    public var kind: Kind
    public var targetEntity: String
    public var targetTable: String
    /// The attribute on the target that mirrors this one.
    public var back: String?
    /// The foreign key that implements the relation (on this table for many-to-one and one-to-one,
    /// on the target for inverse sides, on the join table for many-to-many: the one to this table).
    public var foreignKey: String
    /// Many-to-many: the join table and its foreign key to the target.
    public var joinTable: String?
    public var targetForeignKey: String?
    /// Many-to-many through an explicit entity.
    public var throughEntity: String?
    public var nullable: Bool
    /// How the related objects appear in the API's Read schema (`nil`: the default, ids).
    public var read: RelationRead?
    /// MongoDB: store the target as an embedded document (`embed: true`).
    public var embed: Bool?

    public init(
        name: String, kind: Kind, targetEntity: String, targetTable: String, back: String?, foreignKey: String,
        joinTable: String? = nil, targetForeignKey: String? = nil, throughEntity: String? = nil, nullable: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.targetEntity = targetEntity
        self.targetTable = targetTable
        self.back = back
        self.foreignKey = foreignKey
        self.joinTable = joinTable
        self.targetForeignKey = targetForeignKey
        self.throughEntity = throughEntity
        self.nullable = nullable
    }
}

/// How a relation's related objects appear in Read schemas: `ids` (foreign-key ids, `{key}`
/// references for collections) or `nested` (the related objects' own fields).
public enum RelationRead: String, Codable, CaseIterable, Sendable {
    case ids
    case nested
}
