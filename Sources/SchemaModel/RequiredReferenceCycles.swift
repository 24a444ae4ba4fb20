/// Required foreign keys that form a cycle, and the entities they make impossible to create.
///
/// A required (non-nullable) many-to-one or one-to-one relation means a row can be inserted only
/// once the row it references exists. When such relations form a cycle (`Store.manager -> Staff`
/// and `Staff.store -> Store`, or a required self-reference), no row of the cycle can be inserted
/// first: the API cannot create any of those resources, nor any resource that requires one of
/// them. Making one relation of the cycle nullable breaks it (on PostgreSQL, a deferrable foreign
/// key is the alternative).
public struct RequiredReferenceCycles: Equatable, Sendable {
    /// A required many-to-one or one-to-one relation: `entity.relation -> target`.
    public struct Reference: Equatable, Hashable, Sendable, CustomStringConvertible {
        public var entity: String
        public var relation: String
        public var target: String

        public init(entity: String, relation: String, target: String) {
            self.entity = entity
            self.relation = relation
            self.target = target
        }

        public var description: String { "\(entity).\(relation) -> \(target)" }
    }

    /// Entities that reach each other through required references, and those references.
    public struct Cycle: Equatable, Sendable {
        /// The entities of the cycle, in the schema's order (tables sorted by name).
        public var entities: [String]
        /// Every required reference between them (each lies on a cycle), in the same order.
        public var references: [Reference]
    }

    /// The cycles (strongly connected components with a required reference inside them).
    public let cycles: [Cycle]
    /// Every entity of a cycle, and every entity that requires one of them, directly or through
    /// other required references; sorted by name.
    public let uncreatableEntities: [String]

    /// Finds the cycles of `schema`'s required references (entity tables only; join tables are
    /// filled after both sides exist).
    public init(schema: Schema) {
        let entityTables = schema.tables.filter { $0.entity != nil }
        let names = entityTables.compactMap(\.entity)
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() { index[name] = i }
        var references: [[Reference]] = Array(repeating: [], count: names.count)
        var edges: [[Int]] = Array(repeating: [], count: names.count)
        for (i, table) in entityTables.enumerated() {
            for relation in table.relations where !relation.nullable && (relation.kind == .manyToOne || relation.kind == .oneToOne) {
                guard let target = index[relation.targetEntity] else { continue }
                references[i].append(Reference(entity: names[i], relation: relation.name, target: relation.targetEntity))
                edges[i].append(target)
            }
        }
        let component = StronglyConnectedComponents.components(edges)
        // A component is a cycle when a required reference stays inside it (a self-reference counts).
        var cyclic: [Int: Cycle] = [:]
        var order: [Int] = []
        for i in names.indices {
            let inside = zip(references[i], edges[i]).filter { component[$0.1] == component[i] }.map(\.0)
            guard !inside.isEmpty else { continue }
            if cyclic[component[i]] == nil {
                cyclic[component[i]] = Cycle(entities: [], references: [])
                order.append(component[i])
            }
            cyclic[component[i]]!.references += inside
        }
        for i in names.indices where cyclic[component[i]] != nil { cyclic[component[i]]!.entities.append(names[i]) }
        cycles = order.map { cyclic[$0]! }
        // Everything that requires a cycle's entity: reverse reachability over required references.
        var reverse: [[Int]] = Array(repeating: [], count: names.count)
        for (i, targets) in edges.enumerated() { for target in targets { reverse[target].append(i) } }
        var affected = Set(names.indices.filter { cyclic[component[$0]] != nil })
        var work = Array(affected)
        while let node = work.popLast() {
            for source in reverse[node] where affected.insert(source).inserted { work.append(source) }
        }
        uncreatableEntities = affected.map { names[$0] }.sorted()
    }
}

extension Schema {
    /// Entities the API cannot create because of required foreign-key cycles (see
    /// `RequiredReferenceCycles`): every entity of such a cycle, and every entity that requires one
    /// of them through required foreign keys, transitively. Sorted by name; empty for most schemas.
    public var uncreatableEntities: [String] { RequiredReferenceCycles(schema: self).uncreatableEntities }
}
