import CodeRendering
import Foundation
import MigrationPlanner
import SchemaModel

/// `mongo/migrations/NNNN_<name>.py` from the planner's operations between two resolved schemas.
///
/// Each script is self-contained: it carries the validators and indexes of both sides (as JSON), so
/// that later schema changes never alter what an old migration does. `upgrade(db)`:
/// validation off on existing collections; collection renames; field renames (`$rename`); new
/// fields backfilled with their default (or null); dropped fields removed (`$unset`, only when the
/// plan was accepted with --allow-data-loss); dropped collections dropped; then every collection
/// created or given its new validator (`collMod`, strict), and the index difference applied.
/// `downgrade(db)` does the reverse; what it cannot restore is said in the docstring.
public struct MongoMigrationGenerator {
    public let old: Schema
    public let new: Schema
    let oldShape: Schema
    let newShape: Schema

    public init(old: Schema, new: Schema) {
        self.old = old
        self.new = new
        self.oldShape = MongoShape.reshape(old)
        self.newShape = MongoShape.reshape(new)
    }

    /// Why a plan cannot become a MongoDB migration (fields that need a value the schema does not give).
    public func refusals(_ plan: MigrationPlan) -> [String] {
        plan.steps.compactMap { step in
            switch step.operation {
            case let .addColumn(table, column), let .alterColumn(table, _, column):
                if case let .alterColumn(_, from, _) = step.operation, !(from.nullable && !column.nullable) { return nil }
                guard let field = newField(table, column) else { return nil }
                return backfill(field.column) == nil || (field.column.nullable == false && backfill(field.column) == "None")
                    ? "\(table).\(column.name): a required field needs a default, or a 'backfill' that is a plain literal, for the existing documents"
                    : nil
            default:
                return nil
            }
        }
    }

    struct Field {
        var collection: String
        var key: String
        var column: Column
    }

    func field(in shape: Schema, table name: String, column: Column) -> Field? {
        guard let table = shape.table(named: name) else { return nil }
        let c = table.column(named: column.name) ?? table.columns.first { $0.relation != nil && $0.relation == column.relation }
        guard let c else { return nil }
        return Field(
            collection: MongoCollectionBuilder.collectionName(table), key: MongoCollectionBuilder(reshaped: shape).key(c, in: table), column: c)
    }

    func newField(_ table: String, _ column: Column) -> Field? { field(in: newShape, table: table, column: column) }

    /// The Python value that fills a new field in existing documents.
    func backfill(_ column: Column) -> String? {
        if let d = column.defaultValue {
            switch d.kind {
            case .now: return "datetime.datetime.now(datetime.timezone.utc)"
            case .literal:
                guard let text = d.value else { return nil }
                switch column.type {
                case .bool: return text == "true" ? "True" : "False"
                case .int, .bigint, .smallint: return Int(text).map(String.init)
                case .float: return Double(text).map { String($0) }
                case .decimal: return "Decimal128(\(PythonRenderer.quote(text)))"
                case .string, .text, .enumeration: return PythonRenderer.quote(text)
                default: return nil
                }
            case .uuid, .sql: break
            }
        }
        if let sql = column.backfill?.trimmingCharacters(in: .whitespaces), let literal = Self.literal(fromSQL: sql) { return literal }
        if column.nullable { return "None" }
        if case .array = column.type { return "[]" }
        return nil
    }

    /// A `backfill:` SQL expression that is a plain literal (`'text'`, `12`, `1.5`, `true`, `NULL`), as Python.
    static func literal(fromSQL sql: String) -> String? {
        if sql.count >= 2, sql.hasPrefix("'"), sql.hasSuffix("'") {
            let inner = String(sql.dropFirst().dropLast())
            guard !inner.replacingOccurrences(of: "''", with: "").contains("'") else { return nil }
            return PythonRenderer.quote(inner.replacingOccurrences(of: "''", with: "'"))
        }
        switch sql.lowercased() {
        case "true": return "True"
        case "false": return "False"
        case "null": return "None"
        default: break
        }
        if Int(sql) != nil || Double(sql) != nil { return sql }
        return nil
    }

    public func render(_ plan: MigrationPlan, name: String, message: String) -> String {
        var up: [String] = [], down: [String] = [], lost: [String] = []
        // The helpers of `mongo.migrate` the revision calls, imported as they are used.
        var helpers: Set<String> = []
        func call(_ helper: String, _ arguments: String) -> String {
            helpers.insert(helper)
            return "await \(helper)(db, \(arguments))"
        }
        let existingBefore = oldShape.tables.map(MongoCollectionBuilder.collectionName)
        up.append(call("relax", "\(list(existingBefore))"))
        var usesDecimal = false, usesDatetime = false
        var renamed: [(from: String, to: String)] = []
        // Renames of collections (a new `mongo: {collection}` too), then of fields.
        for table in newShape.tables {
            guard let before = oldShape.table(named: table.name) else { continue }
            let from = MongoCollectionBuilder.collectionName(before), to = MongoCollectionBuilder.collectionName(table)
            if from != to {
                renamed.append((from, to))
                up.append(call("rename_collection", "\(q(from)), \(q(to))"))
                down.insert(call("rename_collection", "\(q(to)), \(q(from))"), at: 0)
            }
        }
        for step in plan.steps {
            switch step.operation {
            case let .renameTable(from, to):
                let before = old.table(named: from).map(MongoCollectionBuilder.collectionName) ?? from
                let after = new.table(named: to).map(MongoCollectionBuilder.collectionName) ?? to
                if before != after {
                    renamed.append((before, after))
                    up.append(call("rename_collection", "\(q(before)), \(q(after))"))
                    down.insert(call("rename_collection", "\(q(after)), \(q(before))"), at: 0)
                }
            case let .renameColumn(table, from, to):
                guard let newTable = new.table(named: table), let toColumn = newTable.column(named: to),
                    let after = newField(table, toColumn)
                else { continue }
                // A renamed entity names its previous entity in `renamed_from`.
                let oldTable =
                    old.table(named: table)
                    ?? newTable.renamedFrom.flatMap { from in old.tables.first { $0.entity == from } ?? old.table(named: from) }
                guard let oldTable, let fromColumn = oldTable.column(named: from),
                    let before = field(in: oldShape, table: oldTable.name, column: fromColumn), before.key != after.key
                else { continue }
                up.append("await db[\(q(after.collection))].update_many({}, {\"$rename\": {\(q(before.key)): \(q(after.key))}})")
                down.insert("await db[\(q(after.collection))].update_many({}, {\"$rename\": {\(q(after.key)): \(q(before.key))}})", at: 0)
            default: break
            }
        }
        for step in plan.steps {
            switch step.operation {
            case let .addColumn(table, column):
                guard let f = newField(table, column), let value = backfill(f.column) else { continue }
                usesDecimal = usesDecimal || value.hasPrefix("Decimal128")
                usesDatetime = usesDatetime || value.hasPrefix("datetime")
                up.append(call("backfill", "\(q(f.collection)), \(q(f.key)), \(value)"))
                down.insert("await db[\(q(f.collection))].update_many({}, {\"$unset\": {\(q(f.key)): \"\"}})", at: 0)
            case let .alterColumn(table, from, to) where from.nullable && !to.nullable:
                // Made required: existing nulls take the default (refusals() made sure there is one).
                guard let f = newField(table, to), let value = backfill(f.column), value != "None" else { continue }
                usesDecimal = usesDecimal || value.hasPrefix("Decimal128")
                usesDatetime = usesDatetime || value.hasPrefix("datetime")
                up.append("await db[\(q(f.collection))].update_many({\(q(f.key)): None}, {\"$set\": {\(q(f.key)): \(value)}})")
            case let .dropColumn(table, column):
                // The operation names the table as it is after the step's renames.
                let previousName =
                    plan.steps.lazy.compactMap { step -> String? in
                        if case let .renameTable(from, to) = step.operation, to == table { return from }
                        return nil
                    }.first ?? table
                guard var f = field(in: oldShape, table: previousName, column: column) else { continue }
                // The collection has its new name by then (collections are renamed first).
                if let current = newShape.table(named: table) { f.collection = MongoCollectionBuilder.collectionName(current) }
                up.append("await db[\(q(f.collection))].update_many({}, {\"$unset\": {\(q(f.key)): \"\"}})")
                if let value = backfill(f.column) {
                    usesDecimal = usesDecimal || value.hasPrefix("Decimal128")
                    usesDatetime = usesDatetime || value.hasPrefix("datetime")
                    down.insert(call("backfill", "\(q(f.collection)), \(q(f.key)), \(value)"), at: 0)
                }
                lost.append("the values of \(f.collection).\(f.key) (the downgrade refills the field with its default or null)")
            case let .dropTable(table) where !table.isJoinTable:
                let name = MongoCollectionBuilder.collectionName(table)
                up.append("await db.drop_collection(\(q(name)))")
                lost.append("the documents of \(name) (the downgrade recreates the collection empty)")
            case let .createTable(table) where !table.isJoinTable:
                down.insert("await db.drop_collection(\(q(MongoCollectionBuilder.collectionName(table))))", at: 0)
            case let .alterEnum(from, to, renames):
                // Renamed values are relabelled (both ways); removed ones take the default or the first value.
                let change = EnumChange(from: from, to: to, renames: renames)
                let removed = change.removed
                for table in new.tables {
                    for column in table.columns where column.type == .enumeration(to.name) {
                        guard let f = newField(table.name, column) else { continue }
                        for (old, renamedValue) in change.renamed {
                            up.append(
                                "await db[\(q(f.collection))].update_many({\(q(f.key)): \(q(old))}, {\"$set\": {\(q(f.key)): \(q(renamedValue))}})")
                            down.insert(
                                "await db[\(q(f.collection))].update_many({\(q(f.key)): \(q(renamedValue))}, {\"$set\": {\(q(f.key)): \(q(old))}})",
                                at: 0)
                        }
                        let replacement = EnumChange.replacement(for: column, in: to)
                        if !removed.isEmpty, let replacement {
                            up.append(
                                "await db[\(q(f.collection))].update_many({\(q(f.key)): {\"$in\": \(list(removed))}}, {\"$set\": {\(q(f.key)): \(replacement.spelled(q, null: "None"))}})"
                            )
                            lost.append("which documents of \(f.collection) held \(removed.joined(separator: ", ")) in \(f.key)")
                        }
                    }
                }
            default: break
            }
        }
        // Many-to-many arrays appear and disappear with their join tables.
        let builderOld = MongoCollectionBuilder(reshaped: oldShape), builderNew = MongoCollectionBuilder(reshaped: newShape)
        for table in newShape.tables {
            guard let previous = oldShape.table(named: table.name) else { continue }
            let name = MongoCollectionBuilder.collectionName(table)
            let before = Set(builderOld.arrays(previous).map(\.field)), after = Set(builderNew.arrays(table).map(\.field))
            for field in after.subtracting(before).sorted() {
                up.append(call("backfill", "\(q(name)), \(q(field)), []"))
                down.insert("await db[\(q(name))].update_many({}, {\"$unset\": {\(q(field)): \"\"}})", at: 0)
            }
            for field in before.subtracting(after).sorted() {
                up.append("await db[\(q(name))].update_many({}, {\"$unset\": {\(q(field)): \"\"}})")
                down.insert(call("backfill", "\(q(name)), \(q(field)), []"), at: 0)
                lost.append("the references in \(name).\(field)")
            }
        }
        let forward = renamed.isEmpty ? "" : ", {" + renamed.map { "\(q($0.to)): \(q($0.from))" }.joined(separator: ", ") + "}"
        let backward = renamed.isEmpty ? "" : ", {" + renamed.map { "\(q($0.from)): \(q($0.to))" }.joined(separator: ", ") + "}"
        up.append(call("apply", "AFTER, BEFORE\(forward)"))
        down.insert(call("relax", "\(list(newShape.tables.map(MongoCollectionBuilder.collectionName)))"), at: 0)
        down.append(call("apply", "BEFORE, AFTER\(backward)"))
        for warning in plan.warnings { lost.append(warning) }
        var doc = "\(message)\n\nMongoDB migration generated by schemaforge from the planner's operations:\n"
        doc += plan.steps.map { "- \($0.operation.kind) \($0.operation.subject)" }.joined(separator: "\n")
        if !lost.isEmpty { doc += "\n\nThe downgrade cannot restore:\n" + lost.map { "- \($0)" }.joined(separator: "\n") }
        var m = PythonModule(header: generatedHeader, docstring: doc)
        m.imports.module("json")
        m.imports.from("typing", import: "Any")
        for helper in helpers.sorted() { m.imports.from("mongo.migrate", import: helper) }
        if usesDecimal { m.imports.from("bson", import: "Decimal128") }
        if usesDatetime { m.imports.module("datetime") }
        let body = """
            NAME = \(q(name))
            # Validators and indexes of every collection before and after this migration.
            BEFORE: dict[str, Any] = json.loads(
                r\"\"\"
            \(state(oldShape).render())
            \"\"\"
            )
            AFTER: dict[str, Any] = json.loads(
                r\"\"\"
            \(state(newShape).render())
            \"\"\"
            )


            async def upgrade(db: Any) -> None:
            \(up.map { "    " + $0 }.joined(separator: "\n"))


            async def downgrade(db: Any) -> None:
            \(down.map { "    " + $0 }.joined(separator: "\n"))
            """
        m.body = [.raw(body)]
        return PythonRenderer().render(m)
    }

    func q(_ s: String) -> String { PythonRenderer.quote(s) }

    func list(_ names: [String]) -> String { "[" + names.map(q).joined(separator: ", ") + "]" }

    /// `{collection: {"validator": ..., "indexes": [{name, keys, unique, partialFilterExpression}]}}`.
    func state(_ shape: Schema) -> OrderedJSON {
        let builder = MongoCollectionBuilder(reshaped: shape)
        var warnings: [MongoWarning] = []
        return .object(
            shape.tables.map { table in
                let indexes: [OrderedJSON] = builder.indexes(table, warnings: &warnings).map { spec in
                    var pairs: [OrderedJSON.Pair] = [.init("name", .string(spec.name)), .init("keys", .array(spec.keys.map(OrderedJSON.string)))]
                    if spec.unique { pairs.append(.init("unique", .bool(true))) }
                    if let filter = spec.partialFilter { pairs.append(.init("partialFilterExpression", filter)) }
                    if let seconds = spec.expireAfterSeconds { pairs.append(.init("expireAfterSeconds", .number(String(seconds)))) }
                    if spec.text { pairs.append(.init("text", .bool(true))) }
                    return .object(pairs)
                }
                return .init(
                    builder.collectionName(table), .object([.init("validator", builder.validator(table)), .init("indexes", .array(indexes))]))
            })
    }

    /// `mongo/migrate.py`: the helpers the scripts use and the runner that records applied migrations.
    public static func runner() -> GeneratedFile {
        var m = PythonModule(
            header: generatedHeader,
            docstring: """
                Apply and revert mongo/migrations/NNNN_*.py in order; applied ones are recorded in the
                `schemaforge_migrations` collection.

                python -m mongo.migrate upgrade [NAME]     # up to NAME (default: all)
                python -m mongo.migrate downgrade [NAME]   # back to NAME (default: one step)
                """)
        m.imports.module("argparse")
        m.imports.module("asyncio")
        m.imports.module("datetime")
        m.imports.module("importlib")
        m.imports.from("pathlib", import: "Path")
        m.imports.from("typing", import: "Any")
        m.imports.from("pymongo", import: "ASCENDING", "TEXT", "IndexModel")
        m.body = [
            .raw(
                """
                MIGRATIONS = Path(__file__).parent / "migrations"
                RECORDS = "schemaforge_migrations"


                async def relax(db: Any, collections: list[str]) -> None:
                    \"\"\"Validation off while documents are rewritten (apply() turns it back on).\"\"\"
                    existing = await db.list_collection_names()
                    for name in collections:
                        if name in existing:
                            await db.command("collMod", name, validationLevel="off")


                async def rename_collection(db: Any, old: str, new: str) -> None:
                    if old in await db.list_collection_names():
                        await db[old].rename(new)


                async def backfill(db: Any, collection: str, field: str, value: Any) -> None:
                    \"\"\"Give documents that lack `field` the value.\"\"\"
                    await db[collection].update_many(
                        {field: {"$exists": False}}, {"$set": {field: value}}
                    )


                async def apply(
                    db: Any,
                    target: dict[str, Any],
                    other: dict[str, Any],
                    renamed: dict[str, str] | None = None,
                ) -> None:
                    \"\"\"Collections of `target` with their validators (strict) and indexes; collections
                    only in `other` are left alone (their documents are the migration's business).
                    `renamed` maps a collection of `target` to its name in `other`.\"\"\"
                    existing = await db.list_collection_names()
                    for name, state in target.items():
                        previous = other.get((renamed or {}).get(name, name), {})
                        options = {"validationLevel": "strict", "validationAction": "error"}
                        if name in existing:
                            await db.command("collMod", name, validator=state["validator"], **options)
                        else:
                            await db.create_collection(name, validator=state["validator"], **options)
                        wanted = {ix["name"]: ix for ix in state["indexes"]}
                        before = {ix["name"]: ix for ix in previous.get("indexes", [])}
                        for index_name, index in before.items():
                            if wanted.get(index_name) != index:
                                info = await db[name].index_information()
                                if index_name in info:
                                    await db[name].drop_index(index_name)
                        models = [
                            _index_model(ix)
                            for index_name, ix in wanted.items()
                            if before.get(index_name) != ix or name not in existing
                        ]
                        if models:
                            await db[name].create_indexes(models)


                def _index_model(index: dict[str, Any]) -> IndexModel:
                    options: dict[str, Any] = {"name": index["name"]}
                    if index.get("unique"):
                        options["unique"] = True
                    if "partialFilterExpression" in index:
                        options["partialFilterExpression"] = index["partialFilterExpression"]
                    if "expireAfterSeconds" in index:
                        options["expireAfterSeconds"] = index["expireAfterSeconds"]
                    direction = TEXT if index.get("text") else ASCENDING
                    return IndexModel([(key, direction) for key in index["keys"]], **options)


                def available() -> list[str]:
                    \"\"\"Migration names (file stems), in order.\"\"\"
                    return sorted(p.stem for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


                def _module(name: str) -> Any:
                    return importlib.import_module(f"{__package__ or 'mongo'}.migrations.{name}")


                async def applied(db: Any) -> list[str]:
                    return sorted([doc["_id"] async for doc in db[RECORDS].find({})])


                async def upgrade(db: Any, target: str | None = None) -> list[str]:
                    \"\"\"Apply the migrations not yet applied, up to `target`; returns their names.\"\"\"
                    done = set(await applied(db))
                    ran: list[str] = []
                    for name in available():
                        if name not in done:
                            await _module(name).upgrade(db)
                            now = datetime.datetime.now(datetime.timezone.utc)
                            await db[RECORDS].insert_one({"_id": name, "applied_at": now})
                            ran.append(name)
                        if name == target:
                            break
                    return ran


                async def downgrade(db: Any, target: str | None = None) -> list[str]:
                    \"\"\"Revert applied migrations newer than `target` (default: the last one).\"\"\"
                    ran: list[str] = []
                    for name in reversed(await applied(db)):
                        if target is not None and name <= target:
                            break
                        await _module(name).downgrade(db)
                        await db[RECORDS].delete_one({"_id": name})
                        ran.append(name)
                        if target is None:
                            break
                    return ran


                async def main() -> None:
                    from motor.motor_asyncio import AsyncIOMotorClient

                    from app.config import settings

                    parser = argparse.ArgumentParser(description="MongoDB migrations")
                    parser.add_argument("command", choices=["upgrade", "downgrade"])
                    parser.add_argument("target", nargs="?")
                    args = parser.parse_args()
                    client: AsyncIOMotorClient[dict[str, Any]] = AsyncIOMotorClient(
                        settings.mongodb_url
                    )
                    try:
                        db = client[settings.mongodb_database]
                        step = upgrade if args.command == "upgrade" else downgrade
                        for name in await step(db, args.target):
                            print(f"{args.command}: {name}")
                    finally:
                        client.close()


                if __name__ == "__main__":
                    asyncio.run(main())
                """)
        ]
        return GeneratedFile(path: "mongo/migrate.py", contents: PythonRenderer().render(m))
    }
}
