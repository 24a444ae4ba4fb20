import Foundation
import SchemaforgeKit
import Testing

/// Resolves a schema snippet or fails the test with its diagnostics.
func schema(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Schema {
    let loaded = GeneratorPipeline.load(text: yaml, file: "v.yaml")
    if loaded.hasErrors { Issue.record("\(loaded.diagnostics.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation) }
    return try #require(loaded.schema, sourceLocation: sourceLocation)
}

func lines(_ old: String, _ new: String) throws -> [String] {
    let plan = MigrationPlanner.plan(from: try schema(old), to: try schema(new))
    return plan.steps.map { "[\($0.safety.rawValue)] \($0.operation.kind) \($0.operation.subject)" }
}

let base = """
    schema: 1
    name: s
    enums:
      Status: [draft, published]
    entities:
      User:
        fields:
          email: {type: string, length: 100, unique: true}
          name: string(50)
      Post:
        fields:
          title: string(200)
          status: {type: Status, default: draft}
        relations:
          author: {to: User, on_delete: cascade, back: posts}
          tags: {to: Tag, kind: many_to_many}
      Tag:
        fields:
          label: string(30)
    """

@Suite("Migration planner")
struct MigrationPlannerTests {
    @Test("the same schema gives an empty plan")
    func noChange() throws {
        let plan = MigrationPlanner.plan(from: try schema(base), to: try schema(base))
        #expect(plan.isEmpty)
        #expect(PlanRenderer.text(plan) == "no changes\n")
    }

    @Test("a new entity is created, referenced tables first; a removed one is dropped with data loss")
    func createAndDropTables() throws {
        let added = base + "\n  Comment:\n    fields:\n      body: text\n    relations:\n      post: {to: Post, on_delete: cascade}\n"
        #expect(try lines(base, added) == ["[safe] create_table comment"])
        #expect(try lines(added, base) == ["[data-loss] drop_table comment"])
    }

    @Test("renamed_from on an entity renames its table and its join tables, never drop + add")
    func renameEntity() throws {
        let renamed = base.replacingOccurrences(of: "  Post:\n", with: "  Article:\n    renamed_from: Post\n")
        let result = try lines(base, renamed)
        #expect(result.contains("[breaking] rename_table post -> article"))
        #expect(result.contains("[breaking] rename_table post_tags -> article_tags"))
        #expect(result.contains("[breaking] rename_column article_tags.post_id -> article_tags.article_id"))
        #expect(!result.contains { $0.contains("drop_table") || $0.contains("create_table") })
    }

    @Test("renamed_from on a field renames the column; constraints named after it are renamed too")
    func renameField() throws {
        let renamed = base.replacingOccurrences(
            of: "email: {type: string, length: 100, unique: true}", with: "mail: {type: string, length: 100, unique: true, renamed_from: email}")
        let result = try lines(base, renamed)
        #expect(result.contains("[breaking] rename_column user.email -> user.mail"))
        // The unique named after the column follows it: renamed, not rebuilt.
        #expect(result.contains("[safe] rename_unique user.uq_user_email -> user.uq_user_mail"))
        #expect(!result.contains { $0.contains("drop_unique") || $0.contains("add_unique") })
        #expect(!result.contains { $0.contains("drop_column") || $0.contains("add_column") })
    }

    @Test("an add and a drop of the same type without renamed_from warn about a probable rename")
    func probableRename() throws {
        let changed = base.replacingOccurrences(of: "name: string(50)", with: "full_name: string(50)")
        let plan = MigrationPlanner.plan(from: try schema(base), to: try schema(changed))
        #expect(plan.steps.map(\.operation.kind).contains("drop_column"))
        #expect(plan.steps.first { $0.operation.kind == "drop_column" }?.safety == .dataLoss)
        #expect(plan.warnings.contains { $0.contains("renamed_from: name") && $0.contains("full_name") })
    }

    @Test("adding columns: nullable or defaulted is safe, NOT NULL without a default needs a backfill")
    func addColumns() throws {
        let nullable = base.replacingOccurrences(of: "      name: string(50)\n", with: "      name: string(50)\n      bio: text?\n")
        #expect(try lines(base, nullable) == ["[safe] add_column user.bio"])
        let defaulted = base.replacingOccurrences(
            of: "      name: string(50)\n", with: "      name: string(50)\n      active: {type: bool, default: true}\n")
        #expect(try lines(base, defaulted) == ["[safe] add_column user.active"])
        let required = base.replacingOccurrences(of: "      name: string(50)\n", with: "      name: string(50)\n      age: int\n")
        #expect(try lines(base, required) == ["[needs-backfill] add_column user.age"])
    }

    @Test("type changes are classified: widening safe, int->bigint locking, narrowing data loss")
    func typeChanges() throws {
        #expect(try lines(base, base.replacingOccurrences(of: "name: string(50)", with: "name: string(80)")) == ["[safe] alter_column user.name"])
        #expect(
            try lines(base, base.replacingOccurrences(of: "name: string(50)", with: "name: string(20)")) == ["[data-loss] alter_column user.name"])
        let bigint = base.replacingOccurrences(of: "      label: string(30)", with: "      label: string(30)\n      hits: int")
        #expect(try lines(bigint, bigint.replacingOccurrences(of: "hits: int", with: "hits: bigint")) == ["[locking] alter_column tag.hits"])
        #expect(try lines(base, base.replacingOccurrences(of: "name: string(50)", with: "name: text")) == ["[safe] alter_column user.name"])
    }

    @Test("nullable to NOT NULL needs a backfill; NOT NULL to nullable is safe")
    func nullability() throws {
        let optional = base.replacingOccurrences(of: "name: string(50)", with: "name: string(50)?")
        #expect(try lines(optional, base) == ["[needs-backfill] alter_column user.name"])
        #expect(try lines(base, optional) == ["[safe] alter_column user.name"])
    }

    @Test("enum values: additions are safe and come first, removals lose data and come last")
    func enums() throws {
        let more = base.replacingOccurrences(of: "Status: [draft, published]", with: "Status: [draft, published, archived]")
        let added = MigrationPlanner.plan(from: try schema(base), to: try schema(more))
        #expect(added.steps.map { "[\($0.safety.rawValue)] \($0.operation.kind) \($0.operation.subject)" } == ["[safe] alter_enum Status"])
        let removed = MigrationPlanner.plan(from: try schema(more), to: try schema(base))
        #expect(removed.steps.first?.safety == .dataLoss)
        #expect(removed.steps.first?.note.contains("'archived'") == true)
    }

    @Test(
        "renamed enum values are relabelled, not removed: no data lost (breaking: the running app sends the old values), and a default naming one follows without its own step"
    )
    func enumValueRenames() throws {
        let renamed = base.replacingOccurrences(
            of: "Status: [draft, published]", with: "Status: {values: [pending, published, archived], renamed_from: {pending: draft}}"
        )
        .replacingOccurrences(of: "default: draft", with: "default: pending")
        let plan = MigrationPlanner.plan(from: try schema(base), to: try schema(renamed))
        #expect(plan.steps.map { "[\($0.safety.rawValue)] \($0.operation.kind) \($0.operation.subject)" } == ["[breaking] alter_enum Status"])
        guard case let .alterEnum(_, _, renames) = plan.steps.first?.operation else { Issue.record("no alter_enum"); return }
        #expect(renames == ["draft": "pending"])
        #expect(PlanRenderer.detail(plan.steps[0].operation) == ["added": "archived", "renamed": "draft -> pending"])
        // The declaration stays in the schema: once the old value is gone, it changes nothing.
        #expect(MigrationPlanner.plan(from: try schema(renamed), to: try schema(renamed)).isEmpty)
        // The downgrade renames back.
        guard case let .alterEnum(_, _, back) = plan.steps[0].operation.inverse else { Issue.record("no inverse"); return }
        #expect(back == ["pending": "draft"])
    }

    @Test("renamed_from on a relation renames its foreign-key column or its join table, never drop + add")
    func relationRenames() throws {
        let renamed = base.replacingOccurrences(
            of: "author: {to: User, on_delete: cascade, back: posts}",
            with: "writer: {to: User, on_delete: cascade, back: posts, renamed_from: author}"
        )
        .replacingOccurrences(of: "tags: {to: Tag, kind: many_to_many}", with: "labels: {to: Tag, kind: many_to_many, renamed_from: tags}")
        let result = try lines(base, renamed)
        #expect(result.contains("[breaking] rename_column post.author_id -> post.writer_id"))
        #expect(result.contains("[breaking] rename_table post_tags -> post_labels"))
        #expect(
            !result.contains { $0.contains("drop_table") || $0.contains("create_table") || $0.contains("_column post.") && !$0.contains("rename") })
        // With the entity renamed too, the join table still follows.
        let both = renamed.replacingOccurrences(of: "  Post:\n", with: "  Article:\n    renamed_from: Post\n")
        #expect(try lines(base, both).contains("[breaking] rename_table post_tags -> article_labels"))
    }

    @Test("probable renames are suggested once per new object, with the key that applies: entity, field or relation")
    func renameSuggestions() throws {
        let renamed = base.replacingOccurrences(
            of: "author: {to: User, on_delete: cascade, back: posts}", with: "writer: {to: User, on_delete: cascade, back: posts}"
        )
        .replacingOccurrences(of: "tags: {to: Tag, kind: many_to_many}", with: "labels: {to: Tag, kind: many_to_many}")
        let plan = MigrationPlanner.plan(from: try schema(base), to: try schema(renamed))
        #expect(plan.warnings.contains { $0.contains("add 'renamed_from: author' to relation 'writer'") }, "\(plan.warnings)")
        #expect(plan.warnings.contains { $0.contains("join table 'post_tags'") && $0.contains("to relation 'Post.labels'") }, "\(plan.warnings)")
        // Two dropped tables of the same shape and one new one: one suggestion, not two.
        let twoTags = base + "\n  Label:\n    fields:\n      label: string(30)\n"
        let oneNew = base.replacingOccurrences(
            of: "  Tag:\n    fields:\n      label: string(30)", with: "  Badge:\n    fields:\n      label: string(30)"
        )
        .replacingOccurrences(of: "tags: {to: Tag, kind: many_to_many}", with: "tags: {to: Badge, kind: many_to_many}")
        let suggestions = MigrationPlanner.plan(from: try schema(twoTags), to: try schema(oneNew)).warnings.filter {
            $0.contains("'badge' of the same shape")
        }
        #expect(suggestions.count == 1, "\(suggestions)")
    }

    @Test("a new index on an existing table is locking; a changed foreign key action is dropped and re-added")
    func constraints() throws {
        let indexed = base.replacingOccurrences(of: "title: string(200)", with: "title: {type: string, length: 200, index: true}")
        #expect(try lines(base, indexed) == ["[locking] add_index post.ix_post_title"])
        let restrict = base.replacingOccurrences(of: "on_delete: cascade", with: "on_delete: restrict")
        #expect(
            try lines(base, restrict) == [
                "[safe] drop_foreign_key post.fk_post_author_id_user", "[locking] add_foreign_key post.fk_post_author_id_user",
            ])
    }

    @Test("every operation's inverse undoes it")
    func inverses() throws {
        let added = base + "\n  Comment:\n    fields:\n      body: text\n"
        let plan = MigrationPlanner.plan(from: try schema(base), to: try schema(added))
        for step in plan.steps { #expect(step.operation.inverse.inverse == step.operation) }
        let back = MigrationPlanner.plan(from: try schema(added), to: try schema(base))
        #expect(back.steps.map(\.operation) == plan.steps.reversed().map(\.operation.inverse))
    }

    @Test("the JSON plan lists kind, subject, safety and details, sorted and stable")
    func json() throws {
        let changed = base.replacingOccurrences(of: "name: string(50)", with: "name: string(20)")
        let text = PlanRenderer.json(MigrationPlanner.plan(from: try schema(base), to: try schema(changed)))
        #expect(text.contains("\"kind\" : \"alter_column\""))
        #expect(text.contains("\"safety\" : \"data-loss\""))
        #expect(text.contains("\"type\" : \"string(50) -> string(20)\""))
    }
}

@Suite("Safety classes for deployment")
struct BreakingChangeTests {
    @Test("a value that changes kind breaks the running app; one that widens within its kind does not")
    func typeChanges() throws {
        let before = "entities:\n  Item:\n    fields:\n      code: string(10)\n      qty: int\n"
        let widened = "entities:\n  Item:\n    fields:\n      code: text\n      qty: bigint\n"
        let retyped = "entities:\n  Item:\n    fields:\n      code: string(10)\n      qty: decimal(14,2)\n"
        #expect(try lines(before, widened).allSatisfy { !$0.hasPrefix("[breaking]") })
        let plan = MigrationPlanner.plan(from: try schema(before), to: try schema(retyped))
        let step = try #require(plan.steps.first)
        #expect(step.safety == .breaking)
        #expect(step.note.contains("the running app reads and writes integer values"))
    }
}

@Suite("Foreign keys across renames")
struct ForeignKeyRenameTests {
    @Test("a foreign key whose name follows a renamed table is renamed, never dropped and added again")
    func renamedWithItsTable() throws {
        let renamed = base.replacingOccurrences(of: "  Post:\n", with: "  Article:\n    renamed_from: Post\n")
        let result = try lines(base, renamed)
        #expect(result.contains("[safe] rename_foreign_key article.fk_post_author_id_user -> article.fk_article_author_id_user"))
        #expect(!result.contains { $0.contains("drop_foreign_key") || $0.contains("add_foreign_key") }, "\(result)")
        let plan = MigrationPlanner.plan(from: try schema(base), to: try schema(renamed))
        let rename = try #require(plan.steps.first { $0.operation.kind == "rename_foreign_key" })
        #expect(
            rename.operation.inverse.subject == "article.fk_article_author_id_user -> article.fk_post_author_id_user", "the downgrade renames it back"
        )
    }

    @Test("a foreign key that changes its action is still dropped and added")
    func changedAction() throws {
        let changed = base.replacingOccurrences(
            of: "author: {to: User, on_delete: cascade, back: posts}", with: "author: {to: User, on_delete: restrict, back: posts}")
        let result = try lines(base, changed)
        #expect(result.contains("[safe] drop_foreign_key post.fk_post_author_id_user"))
        #expect(result.contains { $0.hasPrefix("[locking] add_foreign_key post.fk_post_author_id_user") })
    }
}
