import Foundation

/// `schemaforge migrate`: diff the schema against the project's snapshot and write the next revision.
public enum MigrationWorkflow {
    public enum Outcome: Equatable {
        /// Nothing changed; nothing was written.
        case noChanges
        /// The revision file and the new snapshot to write.
        case revision(path: String, contents: String, snapshot: String, layout: MigrationLayout, plan: MigrationPlan)
    }

    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Plans the next revision for the project in `directory`, or explains why it will not.
    public static func prepare(
        schema: Schema, directory: String, message: String, allowDataLoss: Bool, database override: TargetDatabase?
    ) throws -> Outcome {
        let base = URL(fileURLWithPath: directory)
        let recorded: TargetDatabase?
        do {
            if let override { try ProjectDatabase.check(override, directory: directory) }
            recorded = override == nil ? try ProjectDatabase.recorded(in: directory) : nil
        } catch let problem as ProjectDatabase.Problem {
            throw Refusal(description: problem.description)
        }
        guard let database = override ?? recorded else {
            let snapshots = Targets.migrationLayouts.map { base.appendingPathComponent($0.snapshot).path }
            if !snapshots.contains(where: FileManager.default.fileExists(atPath:)) {
                throw Refusal(description: "\(snapshots[0]) not found: run 'schemaforge generate' for this project first")
            }
            throw Refusal(description: "cannot tell the project's database: pass --db")
        }
        let target = Targets.project(database)
        let layout = target.layout
        let snapshotURL = base.appendingPathComponent(layout.snapshot)
        guard let snapshotText = try? String(contentsOf: snapshotURL, encoding: .utf8) else {
            throw Refusal(description: "\(snapshotURL.path) not found: run 'schemaforge generate' for this project first")
        }
        let old: Schema
        do {
            old = try MigrationSnapshot.decode(snapshotText)
        } catch {
            throw Refusal(description: "\(snapshotURL.path): \(error)")
        }
        let plan = MigrationPlanner.plan(from: old, to: schema)
        if plan.isEmpty { return .noChanges }
        if let refusal = target.refusal(plan, old: old, new: schema) { throw Refusal(description: refusal) }
        try refuseDataLoss(plan, allowDataLoss: allowDataLoss)
        let history = MigrationHistory(directory: directory, layout: layout)
        let heads = history.heads
        if heads.count > 1 {
            throw Refusal(
                description: "the migration history has \(heads.count) heads (\(heads.map(\.file).joined(separator: ", "))): two branches each "
                    + "added a revision. Keep one of them and write the other's changes again on top of it ('schemaforge check' says more)")
        }
        let id = String(format: "%04d", history.nextNumber)
        let name = "\(id)_\(Identifiers.fragment(fromSQL: message).prefix(40))"
        let contents = target.revision(plan, old: old, new: schema, id: id, name: name, parent: heads.first?.id, message: message)
        return .revision(
            path: layout.revisionPath(name), contents: contents, snapshot: MigrationSnapshot.encode(schema), layout: layout, plan: plan)
    }

    static func refuseDataLoss(_ plan: MigrationPlan, allowDataLoss: Bool) throws {
        if !allowDataLoss, !plan.dataLossSteps.isEmpty {
            throw Refusal(
                description: "refusing operations that lose data (pass --allow-data-loss to accept them):\n"
                    + plan.dataLossSteps.map { "  \($0.operation.kind) \($0.operation.subject): \($0.note)" }.joined(separator: "\n"))
        }
    }

    /// Once `migrate` has written revisions after the initial one, the initial revision and the
    /// snapshot belong to the migration history: regenerating the project keeps them as they are on
    /// disk (the new files of those paths are replaced by the files in `directory`).
    public static func keepingHistory(_ files: [GeneratedFile], database: TargetDatabase, directory: String) -> [GeneratedFile] {
        let layout = Targets.project(database).layout
        let base = URL(fileURLWithPath: directory)
        let revisions = ((try? FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(layout.revisions).path)) ?? [])
            .filter { $0.hasSuffix(".py") && $0 != "__init__.py" }
        guard revisions.contains(where: { layout.revisionPath(String($0.dropLast(3))) != layout.initialRevision }) else { return files }
        return files.map { file in
            guard layout.historyPaths.contains(file.path),
                let existing = try? String(contentsOf: base.appendingPathComponent(file.path), encoding: .utf8)
            else { return file }
            var kept = file
            kept.contents = existing
            return kept
        }
    }

    /// Writes the revision and the new snapshot (the revision first: a failure leaves the old state).
    public static func write(_ outcome: Outcome, to directory: String) throws {
        guard case let .revision(path, contents, snapshot, layout, _) = outcome else { return }
        let base = URL(fileURLWithPath: directory)
        let revisionURL = base.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: revisionURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: revisionURL, options: .atomic)
        try Data(snapshot.utf8).write(to: base.appendingPathComponent(layout.snapshot), options: .atomic)
        // The checksums last: what `schemaforge check` verifies later.
        let file = revisionURL.lastPathComponent
        let id = MigrationHistory.number(file).map { String(format: "%04d", $0) } ?? String(file.dropLast(3))
        let sums = MigrationHistory.checksums(
            afterWriting: path, contents: contents, id: id, snapshot: snapshot, in: directory, layout: layout)
        try Data(sums.text.utf8).write(to: base.appendingPathComponent(layout.checksums), options: .atomic)
    }
}
