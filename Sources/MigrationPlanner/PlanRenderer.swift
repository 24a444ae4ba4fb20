import Foundation
import SchemaModel

/// Text and JSON forms of a migration plan (`schemaforge diff --format text|json`).
public enum PlanRenderer {
    /// One line per operation: `[data-loss] drop_column post.body: the column's values are dropped`.
    public static func text(_ plan: MigrationPlan) -> String {
        if plan.isEmpty { return "no changes\n" }
        var lines = plan.steps.map { step in
            "[\(step.safety.rawValue)] \(step.operation.kind) \(step.operation.subject)" + (step.note.isEmpty ? "" : ": \(step.note)")
        }
        lines += plan.warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A stable JSON document: `{"operations": [...], "warnings": [...]}`.
    public static func json(_ plan: MigrationPlan) -> String {
        struct Entry: Encodable {
            var kind: String
            var subject: String
            var safety: String
            var note: String?
            var detail: [String: String]
        }
        struct Document: Encodable {
            var operations: [Entry]
            var warnings: [String]
        }
        let entries = plan.steps.map { step in
            Entry(
                kind: step.operation.kind, subject: step.operation.subject, safety: step.safety.rawValue,
                note: step.note.isEmpty ? nil : step.note, detail: detail(step.operation))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(operations: entries, warnings: plan.warnings))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// What an operation changes, for the JSON plan: `{"type": "int -> bigint"}`, `{"renamed": "a -> b"}`.
    public static func detail(_ operation: MigrationOperation) -> [String: String] {
        switch operation {
        case let .alterColumn(_, from, to):
            var d: [String: String] = [:]
            if from.type != to.type { d["type"] = "\(from.type) -> \(to.type)" }
            if from.nullable != to.nullable { d["nullable"] = "\(from.nullable) -> \(to.nullable)" }
            if from.defaultValue != to.defaultValue { d["default"] = "\(describe(from.defaultValue)) -> \(describe(to.defaultValue))" }
            if from.comment != to.comment { d["comment"] = "\(from.comment ?? "none") -> \(to.comment ?? "none")" }
            return d
        case let .alterEnum(from, to, renames):
            var d: [String: String] = [:]
            let change = EnumChange(from: from, to: to, renames: renames)
            if !change.added.isEmpty { d["added"] = change.added.joined(separator: ", ") }
            if !change.removed.isEmpty { d["removed"] = change.removed.joined(separator: ", ") }
            if !change.renamed.isEmpty { d["renamed"] = change.renamed.map { "\($0.old) -> \($0.new)" }.joined(separator: ", ") }
            return d
        case let .addColumn(_, c), let .dropColumn(_, c):
            return ["type": c.type.description, "nullable": String(c.nullable)]
        default:
            return [:]
        }
    }

    static func describe(_ d: ColumnDefault?) -> String {
        guard let d else { return "none" }
        return d.value.map { "\(d.kind.rawValue) \($0)" } ?? d.kind.rawValue
    }
}
