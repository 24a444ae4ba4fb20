import Foundation
import MigrationPlanner
import PythonGenerators
import SchemaModel

/// `schemaforge check SCHEMA --out DIR`: whether a project's migration history and generated code
/// can be trusted, for CI and pre-commit. Each finding says what is wrong and what to do.
public enum ProjectCheck {
    /// What `check` found, if anything, and what it verified.
    public struct Report: Sendable {
        public var problems: [String] = []
        public var verified: [String] = []
    }

    /// Checks the project in `directory` against `schema`.
    public static func run(schema: Schema, directory: String) -> Report {
        var report = Report()
        guard Manifest.exists(in: directory) else {
            report.problems.append("\(directory) is not a schemaforge project (no \(GenerationPlan.manifestPath)): run 'schemaforge generate' first")
            return report
        }
        let database: TargetDatabase
        do {
            guard let recorded = try ProjectDatabase.recorded(in: directory) else {
                report.problems.append(ProjectDatabase.Problem.unrecorded(directory: directory).description)
                return report
            }
            database = recorded
        } catch {
            report.problems.append("\(error)")
            return report
        }
        let layout = Targets.project(database).layout
        let history = MigrationHistory(directory: directory, layout: layout)
        checkGraph(history, into: &report)
        checkChecksums(history, directory: directory, into: &report)
        if let snapshot = checkSnapshot(layout, directory: directory, into: &report) {
            let plan = MigrationPlanner.plan(from: snapshot, to: schema)
            if plan.isEmpty {
                report.verified.append("no schema change is missing a revision")
            } else {
                let steps = plan.steps.prefix(5).map { "\($0.operation.kind) \($0.operation.subject)" }.joined(separator: ", ")
                report.problems.append(
                    "the schema has \(plan.steps.count) change(s) that no revision holds (\(steps)\(plan.steps.count > 5 ? ", ..." : "")): "
                        + "run 'schemaforge migrate SCHEMA --out \(directory) -m \"...\"'")
            }
        }
        let files = MigrationWorkflow.keepingHistory(GeneratorPipeline.project(schema, database: database), database: database, directory: directory)
        let plan = GenerationPlan.make(files: files, outputDirectory: directory)
        if plan.isUpToDate {
            report.verified.append("the generated code is up to date")
        } else {
            let paths = plan.changes.prefix(8).map(\.path).joined(separator: ", ")
            report.problems.append(
                "the generated code is stale (\(plan.changes.count) file(s): \(paths)\(plan.changes.count > 8 ? ", ..." : "")): run 'schemaforge generate'"
            )
        }
        return report
    }

    /// One head, every parent present, no id twice.
    static func checkGraph(_ history: MigrationHistory, into report: inout Report) {
        let byId = Dictionary(grouping: history.revisions, by: \.id)
        for (id, files) in byId.sorted(by: { $0.key < $1.key }) where files.count > 1 {
            report.problems.append(
                "revision \(id) is in \(files.count) files (\(files.map(\.file).joined(separator: ", "))): two branches each added one; "
                    + "keep one, and write the other's changes again with 'schemaforge migrate' on top of it")
        }
        for revision in history.revisions {
            for parent in revision.parents where byId[parent] == nil {
                report.problems.append("\(revision.file) revises \(parent), which is not in \(history.layout.revisions)")
            }
        }
        let heads = history.heads
        if heads.count > 1 {
            let described = heads.map { head in "\(head.file) (revises \(head.parents.isEmpty ? "nothing" : head.parents.joined(separator: ", ")))" }
            report.problems.append(
                "the history forked: \(heads.count) heads, \(described.joined(separator: " and ")). Two branches each added a revision; "
                    + "delete yours, take the other branch's snapshot (\(history.layout.snapshot)) and revisions.sum, and run "
                    + "'schemaforge migrate' again: one linear history")
        } else if !history.revisions.isEmpty, byId.allSatisfy({ $0.value.count == 1 }) {
            report.verified.append("one linear history of \(history.revisions.count) revision(s)")
        }
    }

    /// The files `migrate` (or, before any, `generate`) wrote are as it wrote them.
    static func checkChecksums(_ history: MigrationHistory, directory: String, into report: inout Report) {
        let base = URL(fileURLWithPath: directory)
        var recorded: [(path: String, hash: String)]
        if let sums = MigrationHistory.checksums(in: directory, layout: history.layout) {
            recorded = sums.files
            if let id = sums.snapshotRevision {
                checkSnapshotRevision(id, history: history, sums: sums, into: &report)
            }
        } else {
            // No revision after the first yet: the initial revision and the snapshot as generated.
            let manifest = Manifest.read(from: directory)
            recorded = [history.layout.initialRevision, history.layout.snapshot].compactMap { path in manifest[path].map { (path, $0) } }
        }
        var edited = false
        for (path, hash) in recorded {
            guard let data = try? Data(contentsOf: base.appendingPathComponent(path)) else {
                report.problems.append("\(path) was written by schemaforge but is gone: restore it (a deployed revision must stay)")
                edited = true
                continue
            }
            if !Manifest.matches(hash, data) {
                report.problems.append(
                    "\(path) changed after schemaforge wrote it: a revision that may be deployed must not change; restore it and "
                        + "write the change as a new revision (or, if it was never applied anywhere, delete it and run 'schemaforge migrate' again)")
                edited = true
            }
        }
        if !edited, !recorded.isEmpty { report.verified.append("\(recorded.count) file(s) of the history match their checksums") }
    }

    /// The snapshot is of the newest revision schemaforge wrote: from the head back over hand-written
    /// revisions, the first one in the checksums.
    static func checkSnapshotRevision(_ id: String, history: MigrationHistory, sums: MigrationHistory.Checksums, into report: inout Report) {
        let listed = Set(sums.files.map { ($0.path as NSString).lastPathComponent })
        let byId = Dictionary(history.revisions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard history.heads.count == 1, var current = history.heads.first else { return }
        var seen: Set<String> = []
        while !listed.contains(current.file), let parent = current.parents.first, let next = byId[parent], !seen.contains(parent) {
            seen.insert(parent)
            current = next
        }
        if listed.contains(current.file), current.id != id {
            report.problems.append(
                "\(history.layout.snapshot) is the schema of revision \(id), but the newest revision schemaforge wrote is \(current.id) "
                    + "(\(current.file)): the snapshot and the revisions come from different branches; take both from one")
        }
    }

    /// The snapshot reads (its own checksum holds).
    static func checkSnapshot(_ layout: MigrationLayout, directory: String, into report: inout Report) -> Schema? {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(layout.snapshot)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            report.problems.append("\(layout.snapshot) is missing: 'schemaforge migrate' needs it (restore it from version control)")
            return nil
        }
        do {
            return try MigrationSnapshot.decode(text)
        } catch {
            report.problems.append("\(layout.snapshot) cannot be read: \(error)")
            return nil
        }
    }
}
