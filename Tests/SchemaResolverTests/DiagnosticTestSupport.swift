import Foundation
import SchemaforgeKit
import XCTest

/// One expected diagnostic: severity, `line:column`, the exact message, and its notes.
///
/// Written as `.error(5, 13, "unknown type 'strng'; did you mean 'string'?")` so that a test reads
/// like the compiler output it pins down. The file path is checked too: every location (of the
/// diagnostic and of each note) must name the file the schema was loaded as.
struct Expected: Equatable, CustomStringConvertible {
    struct Note: Equatable {
        var line: Int
        var column: Int
        var message: String

        static func note(_ line: Int, _ column: Int, _ message: String) -> Note {
            Note(line: line, column: column, message: message)
        }
    }

    var severity: Severity
    var line: Int
    var column: Int
    var message: String
    var notes: [Note]

    static func error(_ line: Int, _ column: Int, _ message: String, notes: [Note] = []) -> Expected {
        Expected(severity: .error, line: line, column: column, message: message, notes: notes)
    }

    static func warning(_ line: Int, _ column: Int, _ message: String, notes: [Note] = []) -> Expected {
        Expected(severity: .warning, line: line, column: column, message: message, notes: notes)
    }

    /// Swift source for this expectation, printed on a mismatch so a failing test shows what to
    /// compare (and, after review, what to paste).
    var description: String {
        let notesText =
            notes.isEmpty ? "" : ", notes: [" + notes.map { ".note(\($0.line), \($0.column), \(literal($0.message)))" }.joined(separator: ", ") + "]"
        return ".\(severity.rawValue)(\(line), \(column), \(literal(message))\(notesText)),"
    }

    private func literal(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// A schema written inline in a test. Swift's multi-line literal strips the indentation of its
/// closing `"""`, so line 1 of the literal is line 1 of the file and columns are what the
/// editor shows: `Source.yaml("""` followed by the file.
struct Source {
    var text: String
    var file: String

    static func yaml(_ text: String, file: String = "schema.yaml") -> Source { Source(text: text + "\n", file: file) }
    static func json(_ text: String, file: String = "schema.json") -> Source { Source(text: text + "\n", file: file) }

    /// The text with line numbers, for failure messages.
    var numbered: String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { String(format: "%3d| ", $0.offset + 1) + $0.element }.joined(separator: "\n")
    }
}

extension XCTestCase {
    /// Loads `source` through the real pipeline and asserts that its diagnostics are exactly
    /// `expected`, in order: severity, file, line, column, message and notes.
    @discardableResult
    func assertDiagnostics(
        _ source: Source, _ expected: [Expected], file: StaticString = #filePath, line: UInt = #line
    ) -> LoadedSchema {
        let loaded = GeneratorPipeline.load(text: source.text, file: source.file)
        var actual: [Expected] = []
        var problems: [String] = []
        for d in loaded.diagnostics {
            guard let location = d.location else {
                problems.append("diagnostic without a location: \(d)")
                continue
            }
            if location.file != source.file { problems.append("diagnostic names file '\(location.file)', not '\(source.file)': \(d)") }
            var notes: [Expected.Note] = []
            for note in d.notes {
                guard let at = note.location else {
                    problems.append("note without a location: \(note.message)")
                    continue
                }
                if at.file != source.file { problems.append("note names file '\(at.file)': \(note.message)") }
                notes.append(.init(line: at.line, column: at.column, message: note.message))
            }
            actual.append(Expected(severity: d.severity, line: location.line, column: location.column, message: d.message, notes: notes))
        }
        if actual != expected || !problems.isEmpty {
            XCTFail(
                """
                diagnostics differ
                source (\(source.file)):
                \(source.numbered)
                expected:
                \(expected.map(\.description).joined(separator: "\n"))
                actual:
                \(actual.map(\.description).joined(separator: "\n"))
                \(problems.joined(separator: "\n"))
                """, file: file, line: line)
        }
        let hasErrors = expected.contains { $0.severity == .error }
        XCTAssertEqual(loaded.schema == nil, hasErrors, "a schema resolves exactly when there are no errors", file: file, line: line)
        return loaded
    }
}

/// The repository root, found from this file's path (Tests/SchemaResolverTests/<file>).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
