import Foundation
import SchemaforgeKit
import XCTest

/// "Invalid input never crashes": the example schemas, broken in many deterministic ways, must
/// load (with or without diagnostics), every diagnostic must point into the file, and whatever
/// still resolves must generate SQL for every dialect.
final class DiagnosticsRobustnessTests: XCTestCase {
    static let exampleNames = ["blog", "shop", "org_chart"]

    func example(_ name: String) throws -> String {
        let url = repositoryRoot.appendingPathComponent("examples/\(name).yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    func testExamplesLoadCleanly() throws {
        for name in Self.exampleNames {
            let loaded = GeneratorPipeline.load(text: try example(name), file: "\(name).yaml")
            XCTAssertFalse(loaded.hasErrors, "\(name): \(loaded.diagnostics)")
            XCTAssertNotNil(loaded.schema, name)
        }
    }

    func testMutatedExamplesNeverCrashAndAlwaysPointIntoTheFile() throws {
        var total = 0, rejected = 0, resolved = 0
        for name in Self.exampleNames {
            let text = try example(name)
            for (label, mutant) in Mutations.all(of: text) {
                let file = "\(name)-\(label).yaml"
                let loaded = GeneratorPipeline.load(text: mutant, file: file)
                total += 1
                assertWellFormed(loaded, text: mutant, file: file)
                if loaded.hasErrors {
                    rejected += 1
                } else if loaded.schema != nil {
                    resolved += 1
                    for dialect in Dialect.allCases {
                        XCTAssertNotNil(GeneratorPipeline.sql(for: loaded, dialect: dialect), "\(file) \(dialect)")
                    }
                }
            }
        }
        print("mutated examples: \(total) loaded, \(rejected) rejected with errors, \(resolved) resolved")
        // The mutations must really exercise both paths, or this test proves nothing.
        XCTAssertGreaterThan(total, 2000)
        XCTAssertGreaterThan(rejected, total / 5, "too few mutants were rejected")
        XCTAssertGreaterThan(resolved, 50, "too few mutants still resolved")
    }

    /// Inputs that once crashed or hung the reader.
    func testPathologicalInputs() {
        let deepType =
            "schema: 1\nentities:\n  A:\n    fields:\n      x: " + String(repeating: "array<", count: 20_000) + "int"
            + String(repeating: ">", count: 20_000) + "\n"
        let deepBrackets = "schema: 1\nentities:\n  A:\n    fields:\n      x: int" + String(repeating: "[]", count: 20_000) + "\n"
        let deepFlow = "schema: 1\nentities: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\n"
        let manyDuplicates = "schema: 1\nentities:\n  A:\n    fields:\n" + String(repeating: "      x: int\n", count: 300)
        for (label, text) in [("deep-type", deepType), ("deep-brackets", deepBrackets), ("deep-flow", deepFlow), ("many-duplicates", manyDuplicates)]
        {
            let loaded = GeneratorPipeline.load(text: text, file: "\(label).yaml")
            XCTAssertTrue(loaded.hasErrors, label)
            assertWellFormed(loaded, text: text, file: "\(label).yaml")
        }
    }

    func assertWellFormed(_ loaded: LoadedSchema, text: String, file: String, line: UInt = #line) {
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
        for d in loaded.diagnostics {
            guard let location = d.location else {
                XCTFail("\(file): diagnostic without a location: \(d)", line: line)
                continue
            }
            XCTAssertEqual(location.file, file, "\(d)", line: line)
            XCTAssertGreaterThanOrEqual(location.line, 1, "\(file): \(d)", line: line)
            XCTAssertGreaterThanOrEqual(location.column, 1, "\(file): \(d)", line: line)
            XCTAssertLessThanOrEqual(location.line, lineCount + 1, "\(file): \(d)", line: line)
            XCTAssertFalse(d.message.isEmpty, "\(file): empty message", line: line)
            XCTAssertFalse(d.message.contains("\n"), "\(file): multi-line message: \(d.message)", line: line)
            for note in d.notes {
                guard let at = note.location else { continue }
                XCTAssertEqual(at.file, file, "\(d)", line: line)
                XCTAssertGreaterThanOrEqual(at.line, 1, "\(file): \(d)", line: line)
                XCTAssertGreaterThanOrEqual(at.column, 1, "\(file): \(d)", line: line)
            }
        }
        XCTAssertEqual(loaded.schema == nil, loaded.hasErrors, "\(file): \(loaded.diagnostics)", line: line)
    }
}

/// Deterministic ways to break a schema file. Each yields (label, mutated text).
enum Mutations {
    static func all(of text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func join(_ lines: [String]) -> String { lines.joined(separator: "\n") }

        for i in lines.indices {
            // Delete a line.
            var deleted = lines
            deleted.remove(at: i)
            result.append(("delete-line-\(i + 1)", join(deleted)))
            // Duplicate a line.
            var duplicated = lines
            duplicated.insert(lines[i], at: i)
            result.append(("duplicate-line-\(i + 1)", join(duplicated)))
            // Indent and outdent a line by one space.
            var indented = lines
            indented[i] = " " + lines[i]
            result.append(("indent-line-\(i + 1)", join(indented)))
            if lines[i].hasPrefix(" ") {
                var outdented = lines
                outdented[i].removeFirst()
                result.append(("outdent-line-\(i + 1)", join(outdented)))
            }
            // Swap with the next line.
            if i + 1 < lines.count {
                var swapped = lines
                swapped.swapAt(i, i + 1)
                result.append(("swap-lines-\(i + 1)", join(swapped)))
            }
            // Swap the values of two consecutive `key: value` lines, and replace a value by odd ones.
            if let (key, _) = split(lines[i]) {
                if i + 1 < lines.count, let (nextKey, nextValue) = split(lines[i + 1]), let (_, value) = split(lines[i]) {
                    var swapped = lines
                    swapped[i] = key + nextValue
                    swapped[i + 1] = nextKey + value
                    result.append(("swap-values-\(i + 1)", join(swapped)))
                }
                for (n, odd) in [
                    "", "null", "[]", "{}", "-1", "0", "true", "\"\"", "x", "{to: Nowhere}", "decimal(1,9)", "[a, a]", "99999999999999999999",
                ].enumerated() {
                    var replaced = lines
                    replaced[i] = key + odd
                    result.append(("value-\(n)-line-\(i + 1)", join(replaced)))
                }
            }
        }
        // Truncate at every 7th byte, and cut one character out at every 11th.
        let bytes = Array(text.utf8)
        for end in stride(from: 0, to: bytes.count, by: 7) {
            result.append(("truncate-\(end)", String(decoding: bytes[..<end], as: UTF8.self)))
        }
        for at in stride(from: 0, to: bytes.count, by: 11) {
            var cut = bytes
            cut.remove(at: at)
            result.append(("cut-byte-\(at)", String(decoding: cut, as: UTF8.self)))
        }
        // Inside flow mappings (`{type: int, default: 0}`): rotate the values, drop an entry, and
        // give each entry other meaningful values (entity names, kinds, actions, types).
        let entityNames = lines.compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":"), let first = line.dropFirst(2).first, first.isUppercase else {
                return nil
            }
            return String(line.dropFirst(2).dropLast())
        }
        let meaningful =
            entityNames + [
                "many_to_many", "one_to_many", "one_to_one", "set_null", "set_default", "int", "string", "uuid", "now",
                "true", "false", "[]", "-5", "Nowhere", "[id, id]",
            ]
        for (i, line) in lines.enumerated() where line.contains("{") {
            let swapped = swapFlowValues(line)
            if swapped != line {
                var changed = lines
                changed[i] = swapped
                result.append(("swap-flow-values-\(i + 1)", join(changed)))
            }
            guard let entries = flowEntries(line) else { continue }
            for j in entries.pairs.indices {
                var dropped = entries.pairs
                dropped.remove(at: j)
                var changed = lines
                changed[i] = entries.render(dropped)
                result.append(("drop-flow-entry-\(i + 1)-\(j)", join(changed)))
                for (n, value) in meaningful.enumerated() {
                    var replaced = entries.pairs
                    replaced[j].value = " " + value
                    changed[i] = entries.render(replaced)
                    result.append(("flow-value-\(i + 1)-\(j)-\(n)", join(changed)))
                }
            }
        }
        return result
    }

    /// The `key: value` entries of the first flow mapping on a line, and how to write them back.
    struct FlowEntries {
        var prefix: String
        var suffix: String
        var pairs: [(key: String, value: String)]

        func render(_ pairs: [(key: String, value: String)]) -> String {
            prefix + pairs.map { "\($0.key):\($0.value)" }.joined(separator: ",") + suffix
        }
    }

    static func flowEntries(_ line: String) -> FlowEntries? {
        guard let open = line.firstIndex(of: "{"), let close = line[open...].firstIndex(of: "}") else { return nil }
        let inner = line[line.index(after: open)..<close]
        // Values with nested lists or quotes would split wrongly: leave those lines to the other mutations.
        guard !inner.contains("["), !inner.contains("\""), !inner.contains("'") else { return nil }
        let pairs = inner.split(separator: ",").map { $0.split(separator: ":", maxSplits: 1).map(String.init) }
        guard !pairs.isEmpty, pairs.allSatisfy({ $0.count == 2 }) else { return nil }
        return FlowEntries(prefix: String(line[...open]), suffix: String(line[close...]), pairs: pairs.map { ($0[0], $0[1]) })
    }

    /// `"    name: string"` -> `("    name: ", "string")`; nil for lines without a value.
    static func split(_ line: String) -> (String, String)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), let range = line.range(of: ": ") else { return nil }
        return (String(line[..<range.upperBound]), String(line[range.upperBound...]))
    }

    /// Rotates the values of the first flow mapping on the line: `{a: 1, b: 2}` -> `{a: 2, b: 1}`.
    static func swapFlowValues(_ line: String) -> String {
        guard let open = line.firstIndex(of: "{"), let close = line[open...].firstIndex(of: "}") else { return line }
        let inner = line[line.index(after: open)..<close]
        let pairs = inner.split(separator: ",").map { $0.split(separator: ":", maxSplits: 1).map(String.init) }
        guard pairs.count > 1, pairs.allSatisfy({ $0.count == 2 }) else { return line }
        let values = pairs.map { $0[1] }
        let rotated = zip(pairs, values.dropFirst() + values.prefix(1)).map { "\($0.0[0]):\($0.1)" }
        return String(line[...open]) + rotated.joined(separator: ",") + String(line[close...])
    }
}
