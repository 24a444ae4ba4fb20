import SchemaModel

/// The entity-relationship view of a schema that both diagram formats draw: tables with their
/// columns and keys, one edge per foreign key with its crow's-foot cardinality, and the enums.
/// Many-to-many relations appear as their join tables, each with an edge to either side.
struct ERModel: Equatable {
    struct Attribute: Equatable {
        var name: String
        var type: String
        var isPrimaryKey: Bool
        var isForeignKey: Bool
        var isUnique: Bool
        var nullable: Bool

        /// The key markers both formats show: `PK`, `FK`, `UK` (a primary key is not also `UK`).
        var keys: [String] {
            (isPrimaryKey ? ["PK"] : []) + (isForeignKey ? ["FK"] : []) + (isUnique && !isPrimaryKey ? ["UK"] : [])
        }
    }

    struct Entity: Equatable {
        var name: String
        var attributes: [Attribute]
        var isJoinTable: Bool
    }

    /// A foreign key from `child` to `parent`: the child side is "many" unless the key's columns
    /// are unique (a one-to-one); the parent side is optional when a key column is nullable.
    struct Edge: Equatable {
        var child: String
        var parent: String
        var childColumns: [String]
        var parentColumns: [String]
        var childIsMany: Bool
        var parentIsOptional: Bool
        var label: String
    }

    struct EnumNode: Equatable {
        var name: String
        var values: [String]
    }

    var entities: [Entity]
    var edges: [Edge]
    var enums: [EnumNode]

    init(_ schema: Schema) {
        entities = schema.tables.map { table in
            let primary = Set(table.primaryKey?.columns ?? [])
            let foreign = Set(table.foreignKeys.flatMap(\.columns))
            let unique = Set(
                table.uniques.filter { $0.columns.count == 1 }.flatMap(\.columns)
                    + table.indexes.filter { $0.unique && $0.columns.count == 1 && $0.predicate == nil }.flatMap(\.columns))
            return Entity(
                name: table.name,
                attributes: table.columns.map { column in
                    Attribute(
                        name: column.name, type: Self.typeName(column.type), isPrimaryKey: primary.contains(column.name),
                        isForeignKey: foreign.contains(column.name), isUnique: unique.contains(column.name), nullable: column.nullable)
                }, isJoinTable: table.isJoinTable)
        }
        edges = schema.tables.flatMap { table in
            table.foreignKeys.map { fk in
                let keyColumns = Set(fk.columns)
                let unique =
                    Set(table.primaryKey?.columns ?? []) == keyColumns
                    || table.uniques.contains { Set($0.columns) == keyColumns }
                    || table.indexes.contains { $0.unique && $0.predicate == nil && Set($0.columns) == keyColumns }
                let relation = table.relations.first { $0.foreignKey == fk.name && ($0.kind == .manyToOne || $0.kind == .oneToOne) }
                return Edge(
                    child: table.name, parent: fk.referencedTable, childColumns: fk.columns, parentColumns: fk.referencedColumns,
                    childIsMany: !unique, parentIsOptional: fk.columns.contains { table.column(named: $0)?.nullable ?? false },
                    label: relation?.name ?? fk.columns.joined(separator: ", "))
            }
        }
        enums = schema.enums.map { EnumNode(name: $0.name, values: $0.values) }
    }

    /// The schema's spelling of a type, without arguments (`string`, `decimal`, `Role`, `int[]`).
    static func typeName(_ type: ColumnType) -> String {
        switch type {
        case let .enumeration(name): return name
        case let .array(element): return typeName(element) + "[]"
        case .string: return "string"
        case .decimal: return "decimal"
        default: return type.description
        }
    }
}
