/// The declarations of one schema file as written, before names and relations are resolved.
///
/// Every reader (YAML/JSON today; DBML, Prisma and SQL importers later) produces this type, and every
/// node keeps the location it came from so the resolver can point at the token that is wrong.
public struct SchemaDocument: Sendable {
    public var file: String
    public var formatVersion: Located<Int>?
    public var name: Located<String>?
    public var enums: [EnumDecl] = []
    public var entities: [EntityDecl] = []
    /// `auth: {user, login, password, role, registration}`.
    public var auth: AuthDecl?
    public var location: SourceLocation

    public init(file: String, location: SourceLocation) {
        self.file = file
        self.location = location
    }
}

/// `enums: {Role: [admin, editor]}`, or the mapping form
/// `{values: [admin, editor], renamed_from: {editor: author}}`.
public struct EnumDecl: Sendable {
    public var name: Located<String>
    public var values: [Located<String>]
    public var comment: String?
    /// Values renamed since the previous version: new value -> the value it was.
    public var renamedValues: [(new: Located<String>, old: Located<String>)] = []
    /// The type's name in the database (PostgreSQL `CREATE TYPE`), when not the snake case of `name`.
    public var typeName: Located<String>?

    public init(name: Located<String>, values: [Located<String>], comment: String? = nil) {
        self.name = name
        self.values = values
        self.comment = comment
    }
}

/// A type as written: `string`, `string(200)`, `decimal(12,2)`, `array<int>`, `Role`, `text?`.
public struct TypeRef: Hashable, Sendable {
    public var name: String
    public var arguments: [Int]
    public var element: [TypeRef]  // zero or one element, for `array<T>`
    /// `string?` shorthand for a nullable field.
    public var optionalMark: Bool

    public init(name: String, arguments: [Int] = [], element: TypeRef? = nil, optionalMark: Bool = false) {
        self.name = name
        self.arguments = arguments
        self.element = element.map { [$0] } ?? []
        self.optionalMark = optionalMark
    }
}

/// A default as written; what it means depends on the field's type (the resolver decides).
public enum DefaultDecl: Hashable, Sendable {
    /// A plain scalar: `false`, `0`, `reader`, `now`, `uuid`, `autoincrement`.
    case scalar(String, quoted: Bool)
    /// `{sql: "..."}`: a raw SQL expression.
    case sql(String)
}

/// One field of an entity.
public struct FieldDecl: Sendable {
    public var name: Located<String>
    public var type: Located<TypeRef>
    public var nullable: Located<Bool>?
    public var primaryKey: Located<Bool>?
    public var unique: Located<Bool>?
    public var index: Located<Bool>?
    public var autoincrement: Located<Bool>?
    public var defaultValue: Located<DefaultDecl>?
    public var length: Located<Int>?
    public var precision: Located<Int>?
    public var scale: Located<Int>?
    public var minimum: Located<Double>?
    public var maximum: Located<Double>?
    public var minLength: Located<Int>?
    public var pattern: Located<String>?
    public var sensitive: Bool = false
    /// `encrypted: true`: stored as AES-GCM ciphertext, read and written as plaintext by the API.
    public var encrypted: Located<Bool>?
    /// `filterable: true`: the list route filters on it (every operator of its type); `false` leaves
    /// out a field that would be by default (the leading column of an index, unique or foreign key).
    public var filterable: Located<Bool>?
    public var comment: String?
    public var renamedFrom: Located<String>?
    /// SQL that fills existing rows when a migration adds this NOT NULL column or makes it NOT NULL.
    public var backfill: Located<String>?
    public var column: Located<String>?
    public var native: [Dialect: Located<String>] = [:]
    public var location: SourceLocation

    public init(name: Located<String>, type: Located<TypeRef>, location: SourceLocation) {
        self.name = name
        self.type = type
        self.location = location
    }
}

/// How two entities relate.
public enum RelationKind: String, Codable, CaseIterable, Sendable {
    case manyToOne = "many_to_one"
    case oneToOne = "one_to_one"
    case oneToMany = "one_to_many"
    case manyToMany = "many_to_many"
}

/// What the database does to referencing rows when the referenced row is deleted or updated.
public enum ReferentialAction: String, Codable, CaseIterable, Sendable {
    case cascade
    case restrict
    case setNull = "set_null"
    case setDefault = "set_default"
    case noAction = "no_action"

    /// The SQL spelling: `ON DELETE <sql>`.
    public var sql: String {
        switch self {
        case .cascade: return "CASCADE"
        case .restrict: return "RESTRICT"
        case .setNull: return "SET NULL"
        case .setDefault: return "SET DEFAULT"
        case .noAction: return "NO ACTION"
        }
    }
}

/// One relation of an entity.
public struct RelationDecl: Sendable {
    public var name: Located<String>
    public var target: Located<String>
    public var kind: Located<RelationKind>
    public var back: Located<String>?
    public var nullable: Located<Bool>?
    public var onDelete: Located<ReferentialAction>?
    public var onUpdate: Located<ReferentialAction>?
    /// Names of the foreign-key columns (default `<relation>_<referenced column>`).
    public var columns: [Located<String>]?
    /// Fields of the target the key references (default: its primary key).
    public var references: [Located<String>]?
    /// Explicit association entity of a many-to-many.
    public var through: Located<String>?
    /// Name of the implicit join table of a many-to-many.
    public var joinTable: Located<String>?
    public var index: Located<Bool>?
    public var comment: String?
    /// The relation's previous name: its foreign-key columns or join table are renamed, not rebuilt.
    public var renamedFrom: Located<String>?
    /// `read: ids|nested`: how the related objects appear in the API's Read schema.
    public var read: Located<String>?
    /// MongoDB: embed the target document (`embed: true`).
    public var embed = false
    public var location: SourceLocation

    public init(name: Located<String>, target: Located<String>, kind: Located<RelationKind>, location: SourceLocation) {
        self.name = name
        self.target = target
        self.kind = kind
        self.location = location
    }
}

/// `indexes: [{fields: [...], unique, where, method, name}]`.
public struct IndexDecl: Sendable {
    public var fields: [Located<String>] = []
    public var expressions: [Located<String>] = []
    public var unique: Bool = false
    public var predicate: Located<String>?
    public var method: Located<String>?
    public var name: Located<String>?
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }
}

/// `unique: [[a, b]]` on an entity: a multi-column unique constraint.
public struct UniqueDecl: Sendable {
    public var fields: [Located<String>]
    public var name: Located<String>?
    public var location: SourceLocation

    public init(fields: [Located<String>], name: Located<String>? = nil, location: SourceLocation) {
        self.fields = fields
        self.name = name
        self.location = location
    }
}

/// `checks: [{name, expr, postgresql: ..., mysql: ..., sqlite: ...}]`.
public struct CheckDecl: Sendable {
    public var name: Located<String>?
    public var expression: Located<String>
    public var dialectExpressions: [Dialect: String] = [:]
    public var location: SourceLocation

    public init(name: Located<String>?, expression: Located<String>, location: SourceLocation) {
        self.name = name
        self.expression = expression
        self.location = location
    }
}

/// One entity (a table, or a collection on MongoDB).
public struct EntityDecl: Sendable {
    public var name: Located<String>
    public var table: Located<String>?
    public var timestamps: Bool = false
    public var comment: String?
    public var renamedFrom: Located<String>?
    /// Entity-level primary key: `primary_key: [a, b]`, or `false` for a keyless table.
    public var primaryKey: [Located<String>]?
    public var keyless: Located<Bool>?
    public var fields: [FieldDecl] = []
    public var relations: [RelationDecl] = []
    public var indexes: [IndexDecl] = []
    public var uniques: [UniqueDecl] = []
    public var checks: [CheckDecl] = []
    /// The `mongo:` options.
    public var mongo: MongoOptions?
    /// `owner:`: the relation to the auth user that says who owns a row.
    public var owner: Located<String>?
    /// `access:` per operation: `public`, `authenticated`, `owner` and role names.
    public var access: [(operation: Located<AccessOperation>, rule: [Located<String>])] = []
    public var accessLocation: SourceLocation?
    /// `search:`: the searched fields and the language.
    public var search: SearchDecl?
    public var location: SourceLocation

    public init(name: Located<String>, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// `search: [fields]` or `search: {fields: [...], language: english}` as written.
public struct SearchDecl: Sendable {
    public var fields: [Located<String>] = []
    public var language: Located<String>?
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }
}

/// `auth:` as written.
public struct AuthDecl: Sendable {
    public var user: Located<String>?
    public var login: Located<String>?
    public var password: Located<String>?
    public var role: Located<String>?
    public var registration: Located<Bool>?
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }
}
