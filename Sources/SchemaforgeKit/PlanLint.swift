import Foundation
import MigrationPlanner
import PythonGenerators
import SchemaModel

/// `schemaforge lint`: the steps of a migration plan that need care on a live database with a
/// running app, each with its rule (`LintRule`), its place in the schema file and the fix.
public enum PlanLint {
    /// One step that breaks a rule.
    public struct Finding: Sendable {
        public let step: PlannedStep
        public let rule: LintRule
        /// Where the schema declares what the step touches (the new file; the old one for drops).
        public let location: SourceLocation?

        /// As a compiler-style diagnostic: an error when its class is at least `failOn`, else a
        /// warning; the fix as a note.
        public func diagnostic(failOn: SafetyClass) -> Diagnostic {
            let subject = "\(step.operation.kind) \(step.operation.subject)" + (step.note.isEmpty ? "" : ": \(step.note)")
            return Diagnostic(
                step.safety >= failOn ? .error : .warning, "[\(step.safety.rawValue)] \(rule.id): \(subject)", at: location,
                notes: [.init("fix: \(rule.fix)", at: location)])
        }
    }

    /// The findings of the plan from `old` to `new`, in plan order.
    public static func findings(plan: MigrationPlan, old: SourceMap?, new: SourceMap?) -> [Finding] {
        plan.steps.compactMap { step in
            LintRule.of(step).map { Finding(step: step, rule: $0, location: location(of: step.operation, old: old, new: new)) }
        }
    }

    /// Where the schema declares what an operation touches: the field or object when it is known,
    /// else its entity.
    static func location(of operation: MigrationOperation, old: SourceMap?, new: SourceMap?) -> SourceLocation? {
        func at(_ map: SourceMap?, _ table: String, column: String? = nil, object: String? = nil) -> SourceLocation? {
            guard let map else { return nil }
            if let column, let found = map[table: table, column: column] { return found }
            if let object, let found = map[table: table, object: object] { return found }
            return map[table: table, object: nil]
        }
        switch operation {
        case let .renameTable(_, to): return at(new, to)
        case let .renameColumn(t, _, to): return at(new, t, column: to)
        case let .alterColumn(t, _, to): return at(new, t, column: to.name)
        case let .addColumn(t, c): return at(new, t, column: c.name)
        case let .addUnique(t, u): return at(new, t, object: u.name)
        case let .addIndex(t, i): return at(new, t, object: i.name)
        case let .addForeignKey(t, f): return at(new, t, object: f.name)
        case let .addCheck(t, c): return at(new, t, object: c.name)
        case let .addSearch(t, s): return at(new, t, object: s.name)
        case let .alterPrimaryKey(t, _, _): return at(new, t)
        case let .alterEnum(_, to, _): return new?[enumeration: to.name]
        case let .dropTable(t): return at(old, t.name)
        case let .dropColumn(t, c): return at(old, t, column: c.name) ?? at(new, t)
        default: return nil
        }
    }

    /// The schema of a project's newest revision (its migration snapshot), whichever target it is.
    public static func projectSnapshot(in directory: String) throws -> Schema {
        let root = URL(fileURLWithPath: directory)
        for layout in Targets.migrationLayouts {
            let url = root.appendingPathComponent(layout.snapshot)
            if let text = try? String(contentsOf: url, encoding: .utf8) { return try MigrationSnapshot.decode(text) }
        }
        throw ProjectSnapshotMissing(directory: directory)
    }

    public struct ProjectSnapshotMissing: Error, CustomStringConvertible {
        public let directory: String
        public var description: String {
            "\(directory) has no \(Targets.migrationLayouts.map(\.snapshot).joined(separator: " nor ")): run 'schemaforge generate' first"
        }
    }
}
