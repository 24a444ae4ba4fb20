import ArgumentParser
import Foundation
import SchemaforgeKit

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report the steps of a migration that need care on a live database with a running app, each with its rule, place and fix.",
        discussion: """
            Compares two versions of a schema (OLD NEW), or a schema with the newest revision of a project (SCHEMA --out DIR: what the next 'migrate' would write). Findings at or above --fail-on are errors (exit 1), the others warnings. The rules are described in docs/lint.md.

            Examples:
              schemaforge lint v1.yaml v2.yaml
              schemaforge lint schema.yaml --out api --fail-on locking
            """)

    @Argument(help: "The old schema (file or snapshot), or with --out the schema.")
    var first: String

    @Argument(help: "The new schema (file or snapshot); not with --out.")
    var second: String?

    @Option(help: "A project directory: lint the schema's changes since its newest revision.")
    var out: String?

    @Option(help: "The least safety class that fails: locking, breaking, needs-backfill or data-loss.")
    var failOn: SafetyClass = .breaking

    func validate() throws {
        if (second == nil) == (out == nil) { throw ValidationError("give OLD NEW, or SCHEMA --out DIR") }
        if failOn == .safe { throw ValidationError("--fail-on safe would fail on every change: choose locking or above") }
    }

    func run() throws {
        let old: LoadedSchema
        let new: LoadedSchema
        if let out {
            do {
                old = LoadedSchema(schema: try PlanLint.projectSnapshot(in: out), sourceMap: SourceMap(), diagnostics: [])
            } catch {
                FileHandle.standardError.write(Data("schemaforge: error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            new = try SchemaSource.loadWithSources(first)
        } else {
            old = try SchemaSource.loadWithSources(first)
            new = try SchemaSource.loadWithSources(second!)
        }
        let plan = MigrationPlanner.plan(from: old.schema!, to: new.schema!)
        let findings = PlanLint.findings(plan: plan, old: old.sourceMap, new: new.sourceMap)
        let diagnostics = findings.map { $0.diagnostic(failOn: failOn) }
        report(diagnostics)
        let failing = diagnostics.filter { $0.severity == .error }.count
        print("\(plan.steps.count) step(s), \(findings.count) finding(s), \(failing) at or above \(failOn.rawValue)")
        if failing > 0 { throw ExitCode(1) }
    }
}

extension SafetyClass: ExpressibleByArgument {}
