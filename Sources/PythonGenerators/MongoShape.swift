import SchemaModel

/// The resolved schema reshaped for MongoDB, so that the API-layer generators (EntityView,
/// Pydantic schemas) can be reused unchanged:
///
/// - every collection is keyed by an ObjectId `_id` (the model's `id`); a declared key other than
///   a single `id` column stays as a field with a unique index of the key's name;
/// - a many-to-one / one-to-one relation is one ObjectId field `<relation>_id` (whatever the SQL
///   foreign-key columns were), a foreign key to the target's `id`;
/// - implicit join tables disappear: the declaring side of a many-to-many stores an array of
///   ObjectIds (`<relation>_ids`), the inverse side is a query;
/// - `uuid` and `time` are strings with a pattern (BSON has no time, and pymongo refuses to encode a
///   UUID without a configured representation).
///
/// ObjectId columns are strings of 24 hex digits in the API layer and carry the native type
/// `mongodb: objectId`.
extension ColumnType {
    var isDecimal: Bool {
        if case .decimal = self { return true }
        return false
    }
}

public enum MongoShape {
    public static let objectIdPattern = "^[0-9a-f]{24}$"
    public static let uuidPattern = "^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$"
    public static let timePattern = "^[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?$"

    public static func isObjectId(_ column: Column) -> Bool { column.nativeTypes?["mongodb"] == "objectId" }

    /// The entity a column embeds (`embed: true` on a required many-to-one), or nil.
    public static func embeddedEntity(_ column: Column) -> String? {
        guard let native = column.nativeTypes?["mongodb"], native.hasPrefix("embedded:") else { return nil }
        return String(native.dropFirst("embedded:".count))
    }

    /// The entities some column embeds.
    public static func embeddedEntities(in schema: Schema) -> Set<String> {
        var embedded: Set<String> = []
        for table in schema.tables {
            for column in table.columns {
                if let entity = embeddedEntity(column) { embedded.insert(entity) }
            }
        }
        return embedded
    }

    /// Whether a relation is stored embedded: `embed: true` on a required many-to-one to another entity
    /// (ODMantic 1.1 cannot store an optional embedded model); other `embed: true` stay references.
    public static func isEmbedded(_ relation: Relation, in table: Table) -> Bool {
        relation.embed == true && relation.kind == .manyToOne && !relation.nullable && relation.targetTable != table.name
    }

    static func objectIdColumn(_ name: String, nullable: Bool = false, relation: String? = nil, key: Bool = false) -> Column {
        Column(
            name: name, type: .string(length: 24), nullable: nullable, autoincrement: key, validation: Validation(pattern: objectIdPattern),
            nativeTypes: ["mongodb": "objectId"], relation: relation)
    }

    /// The schema as MongoDB stores it (entity collections only).
    public static func reshape(_ schema: Schema) -> Schema {
        var tables: [Table] = []
        for table in schema.tables where !table.isJoinTable {
            var t = reshape(table)
            // Only the declaring side of a many-to-many stores it; the inverse side is a query.
            // `read: nested` is a SQL-target option: the Reads show ids (a warning says so).
            t.relations = table.relations.filter { $0.kind != .manyToMany || ($0.throughEntity == nil && storedArrayField($0, in: schema) != nil) }
                .map { relation in
                    var relation = relation
                    relation.read = nil
                    return relation
                }
            tables.append(t)
        }
        var result = schema
        result.tables = tables
        return result
    }

    /// The field that stores a many-to-many relation, on the side that declared it (nil on the inverse).
    public static func storedArrayField(_ relation: Relation, in schema: Schema) -> String? {
        guard relation.kind == .manyToMany, relation.throughEntity == nil, let joinName = relation.joinTable,
            let join = schema.table(named: joinName), let fk = join.foreignKeys.first(where: { $0.name == relation.foreignKey })
        else { return nil }
        // The declaring side's foreign key holds the join table's first columns.
        guard Array(join.columns.prefix(fk.columns.count).map(\.name)) == fk.columns else { return nil }
        return PythonNames.idsField(relation.name)
    }

    static func reshape(_ table: Table) -> Table {
        var renames: [String: String] = [:]
        var columns: [Column] = []
        var foreignKeys: [ForeignKey] = []
        var emittedFK: Set<String> = []
        for column in table.columns {
            if let fk = table.foreignKeys.first(where: { $0.columns.contains(column.name) }) {
                let relation = table.relations.first { ($0.kind == .manyToOne || $0.kind == .oneToOne) && $0.foreignKey == fk.name }
                if let relation, isEmbedded(relation, in: table) {
                    renames[column.name] = relation.name
                    if emittedFK.insert(fk.name).inserted {
                        var c = Column(
                            name: relation.name, type: .json, nativeTypes: ["mongodb": "embedded:" + relation.targetEntity], relation: relation.name)
                        c.comment = column.comment
                        columns.append(c)
                    }
                    continue
                }
                let name = (relation?.name ?? fk.columns[0]) + "_id"
                renames[column.name] = name
                if emittedFK.insert(fk.name).inserted {
                    let nullable = fk.columns.contains { table.column(named: $0)?.nullable ?? false }
                    var c = objectIdColumn(name, nullable: nullable, relation: relation?.name)
                    c.comment = column.comment
                    c.renamedFrom = fk.columns.count == 1 ? column.renamedFrom : nil
                    columns.append(c)
                    foreignKeys.append(
                        ForeignKey(
                            name: fk.name, columns: [name], referencedTable: fk.referencedTable, referencedColumns: ["id"],
                            onDelete: fk.onDelete, onUpdate: fk.onUpdate))
                }
                continue
            }
            var c = column
            switch column.type {
            case .uuid:
                c.type = .string(length: 36)
                c.validation = merged(column.validation, pattern: uuidPattern)
            case .time:
                c.type = .string(length: 15)
                c.validation = merged(column.validation, pattern: timePattern)
            default: break
            }
            columns.append(c)
        }
        var uniques = table.uniques.map { UniqueConstraint(name: $0.name, columns: mapped($0.columns, renames)) }
        let key = table.primaryKey.map { pk in pk.columns.map { renames[$0] ?? $0 } } ?? []
        if key == ["id"], let i = columns.firstIndex(where: { $0.name == "id" }) {
            var id = objectIdColumn("id", key: true)
            id.comment = columns[i].comment
            columns[i] = id
        } else {
            if let pk = table.primaryKey { uniques.insert(UniqueConstraint(name: pk.name, columns: mapped(pk.columns, renames)), at: 0) }
            columns.insert(objectIdColumn("id", key: true), at: 0)
        }
        let embedded = Set(columns.filter { embeddedEntity($0) != nil }.map(\.name))
        uniques.removeAll { !embedded.isDisjoint(with: $0.columns) }
        var result = table
        result.columns = columns
        result.primaryKey = PrimaryKey(name: table.primaryKey?.name ?? "pk_\(table.name)", columns: ["id"])
        result.foreignKeys = foreignKeys
        result.uniques = uniques
        result.indexes = table.indexes.map { index in
            var i = index
            i.columns = mapped(index.columns, renames)
            return i
        }.filter { embedded.isDisjoint(with: $0.columns) }
        return result
    }

    static func merged(_ validation: Validation?, pattern: String) -> Validation {
        var v = validation ?? Validation()
        if v.pattern == nil { v.pattern = pattern }
        return v
    }

    static func mapped(_ names: [String], _ renames: [String: String]) -> [String] {
        var out: [String] = []
        for name in names.map({ renames[$0] ?? $0 }) where !out.contains(name) { out.append(name) }
        return out
    }
}
