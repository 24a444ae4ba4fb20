/// A finding of `schemaforge lint`: why a step of a plan needs care when it runs against a live
/// database and a running app, and what to do about it. Every rule is documented in `docs/lint.md`.
public struct LintRule: Equatable, Sendable {
    /// The stable id (`rename-column`), used in output, in `docs/lint.md` and to silence nothing:
    /// a finding goes away when the plan changes.
    public let id: String
    /// What the generated revision does, or what to do instead: the fix.
    public let fix: String

    /// Every rule, in the order of `docs/lint.md`.
    public static let all: [LintRule] = [
        LintRule(
            id: "rename-table",
            fix:
                "The revision renames the table and keeps its rows. Deploy the new app with the migration, or keep the old name with `table:` until the old app is gone."
        ),
        LintRule(
            id: "rename-column",
            fix:
                "The revision renames the column and keeps its values. Deploy the new app with the migration, or keep the old name with `column:` until the old app is gone."
        ),
        LintRule(
            id: "rename-enum-value",
            fix: "Rows are relabelled in the same revision. Deploy the new app with the migration: the old app still sends the old value."),
        LintRule(
            id: "remove-enum-value",
            fix:
                "Rows holding the value take the column's default, else NULL, else the first value left. Move them yourself first if another value is right."
        ),
        LintRule(
            id: "change-column-type",
            fix:
                "The running app reads and writes the old type. Deploy the new app with the migration, or add a new field, move the values, and drop the old field later."
        ),
        LintRule(
            id: "narrow-column",
            fix: "Values that do not fit are refused or cut. Check the longest or largest stored value first, or keep the wider type."),
        LintRule(
            id: "rewrite-column",
            fix: "PostgreSQL rewrites the table under an exclusive lock (lock_timeout bounds the wait). Run it when the table is quiet."),
        LintRule(
            id: "set-not-null",
            fix:
                "The revision fills NULLs (the default or `backfill:`) and then sets NOT NULL; PostgreSQL checks it through a validated CHECK first. Without a default or `backfill:` the step fails on rows with NULL."
        ),
        LintRule(
            id: "required-column-backfilled",
            fix:
                "The revision adds the column nullable, fills it (the default or `backfill:`), then sets NOT NULL. On a large table give `backfill:` a cheap expression."
        ),
        LintRule(
            id: "unique-on-existing-rows",
            fix:
                "PostgreSQL: the unique index is built CONCURRENTLY and attached with USING INDEX; elsewhere the table is locked while it builds. Duplicate rows make it fail: remove them first."
        ),
        LintRule(
            id: "index-on-existing-rows",
            fix: "PostgreSQL builds the index CONCURRENTLY, outside the transaction; MariaDB and SQLite lock the table for writes while it builds."),
        LintRule(
            id: "foreign-key-on-existing-rows",
            fix:
                "PostgreSQL: added NOT VALID and validated in a separate step, without blocking writes. Rows pointing nowhere make the validation fail."
        ),
        LintRule(
            id: "rebuild-primary-key",
            fix: "The table is locked while its primary key is rebuilt. Run it when the table is quiet."),
        LintRule(
            id: "add-search",
            fix: "The search column and its index are built over every row under the table's lock. Run it when the table is quiet."),
        LintRule(
            id: "drop-table",
            fix: "The rows are gone: back the table up first. The downgrade re-creates the table, empty."),
        LintRule(
            id: "drop-column",
            fix: "The values are gone: back them up first. The downgrade re-adds the column, empty (or with its default)."),
    ]

    /// The rule a step breaks, or nil when the step is safe.
    public static func of(_ step: PlannedStep) -> LintRule? {
        guard step.safety != .safe else { return nil }
        let id: String
        switch (step.operation, step.safety) {
        case (.renameTable, _): id = "rename-table"
        case (.renameColumn, _): id = "rename-column"
        case (.alterEnum, .dataLoss): id = "remove-enum-value"
        case (.alterEnum, _): id = "rename-enum-value"
        case (.alterColumn, .dataLoss): id = "narrow-column"
        case (.alterColumn, .breaking): id = "change-column-type"
        case (.alterColumn, .needsBackfill): id = "set-not-null"
        case (.alterColumn, _): id = "rewrite-column"
        case (.addColumn, _): id = "required-column-backfilled"
        case (.addUnique, _): id = "unique-on-existing-rows"
        case (.addIndex, _): id = "index-on-existing-rows"
        case (.addForeignKey, _): id = "foreign-key-on-existing-rows"
        case (.alterPrimaryKey, _): id = "rebuild-primary-key"
        case (.addSearch, _): id = "add-search"
        case (.dropTable, _): id = "drop-table"
        case (.dropColumn, _): id = "drop-column"
        default: id = "\(step.operation.kind.replacingOccurrences(of: "_", with: "-"))-\(step.safety.rawValue)"
        }
        return all.first { $0.id == id } ?? LintRule(id: id, fix: "No rule describes this step yet: read the plan (`schemaforge diff`).")
    }
}
