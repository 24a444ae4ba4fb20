import Foundation
import SchemaforgeKit
import Testing
import TestSupport

/// `schemaforge lint`'s rules: every non-safe step of a plan has a rule of the catalog (never the
/// fallback), every rule of the catalog is reached by some change, and `docs/lint.md` documents
/// exactly the catalog.
@Suite("Lint rules")
struct LintRuleTests {
    static func schema(_ yaml: String) throws -> Schema {
        let loaded = GeneratorPipeline.load(text: yaml, file: "lint.yaml")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.description))")
        return try #require(loaded.schema)
    }

    static let base = """
        schema: 1
        name: lint
        enums:
          Size: [small, large]
        entities:
          Item:
            fields:
              title: string(80)
              qty: int
              price: decimal(10,2)
              note: {type: text, nullable: true}
              size: {type: Size, default: small}
        """

    /// Changes of `base`, together reaching the rules the evolution series does not.
    static let changes: [String] = [
        base.replacingOccurrences(of: "title: string(80)", with: "title: string(20)"),  // narrow-column
        base.replacingOccurrences(of: "qty: int", with: "qty: decimal(12,2)"),  // change-column-type
        base.replacingOccurrences(of: "price: decimal(10,2)", with: "price: decimal(12,4)"),  // rewrite-column
        base.replacingOccurrences(
            of: "      title: string(80)", with: "      title: string(80)\n      sku: {type: string, length: 20, primary_key: true}"),
        base + "\n    search: {fields: [title]}",  // add-search
        base.replacingOccurrences(of: "      qty: int", with: "      qty: int\n      code: {type: string, length: 8, default: 'x'}"),
    ]

    /// The plans of the evolution series (each step) and of `changes`.
    static func plans() throws -> [MigrationPlan] {
        let evolution = GoldenFile.repositoryRoot.appendingPathComponent("integration/evolution")
        let files = try FileManager.default.contentsOfDirectory(atPath: evolution.path).filter { $0.hasSuffix(".yaml") }.sorted()
        let series = try files.map { try schema(String(contentsOf: evolution.appendingPathComponent($0), encoding: .utf8)) }
        var plans = zip(series, series.dropFirst()).map { MigrationPlanner.plan(from: $0, to: $1) }
        let original = try schema(base)
        for change in changes { plans.append(MigrationPlanner.plan(from: original, to: try schema(change))) }
        return plans
    }

    @Test("every non-safe step has a catalog rule, and every rule is reached")
    func everyStepHasARuleAndEveryRuleIsReached() throws {
        var reached: Set<String> = []
        for plan in try Self.plans() {
            for step in plan.steps {
                let rule = LintRule.of(step)
                #expect((rule == nil) == (step.safety == .safe), "\(step.operation.kind) \(step.operation.subject)")
                guard let rule else { continue }
                #expect(LintRule.all.contains(rule), "no catalog rule for \(step.operation.kind) [\(step.safety.rawValue)]: \(rule.id)")
                reached.insert(rule.id)
            }
        }
        #expect(Set(LintRule.all.map(\.id)).subtracting(reached).sorted() == [], "rules no change here reaches")
    }

    @Test("docs/lint.md documents exactly the catalog, each rule with its fix")
    func theDocumentationListsEveryRule() throws {
        let text = try String(
            contentsOf: GoldenFile.repositoryRoot.appendingPathComponent("docs/lint.md"), encoding: .utf8)
        let documented = text.split(separator: "\n").filter { $0.hasPrefix("### `") }.map {
            String($0.dropFirst("### `".count).prefix { $0 != "`" })
        }
        #expect(documented == LintRule.all.map(\.id))
        for rule in LintRule.all { #expect(text.contains(rule.fix), "docs/lint.md lacks the fix of \(rule.id)") }
    }
}
