import SchemaModel
import Yams

/// Parses YAML (and JSON, which YAML's flow style reads) into a located `SyntaxNode` tree.
public enum YAMLSyntaxReader {
    /// Parses `text`; a syntax error becomes one diagnostic at the offending position.
    ///
    /// Duplicate keys are not a syntax error here: libyaml (through Yams) rejects a mapping with a
    /// repeated key and reports only the first occurrence, so the reader renames each reported
    /// first occurrence in a private copy of the text (one Unicode scalar, so every column stays
    /// put), parses again, and restores the real name in the tree. The decoder and the resolver then
    /// report every duplicate at its own position with a "first defined here" note.
    public static func parse(_ text: String, file: String) -> Result<SyntaxNode, Diagnostic> {
        // Fast path: a well-formed file straight from libyaml's events (same parser, same marks).
        if let node = YAMLEventTreeBuilder.build(text, file: file) { return .success(node) }
        return parseWithYams(text, file: file)
    }

    /// The reference path: `Yams.compose` and a conversion of its tree. It decides every file the
    /// fast path declines (syntax errors, duplicate keys, aliases, an empty file, several documents).
    static func parseWithYams(_ text: String, file: String) -> Result<SyntaxNode, Diagnostic> {
        let language = file.lowercased().hasSuffix(".json") ? "JSON" : "YAML"
        var working = text
        var renamed: [SourceLocation: String] = [:]
        for attempt in 0..<maxDuplicateRetries {
            do {
                guard let node = try Yams.compose(yaml: working) else {
                    return .failure(.error("the schema file is empty", at: SourceLocation(file: file, line: 1, column: 1)))
                }
                return convert(node, file: file, renamed: renamed)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                let location = SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
                guard let key = duplicates.first, renamed[location] == nil,
                    let rewritten = renameKey(in: working, line: context.mark.line, column: context.mark.column, attempt: attempt)
                else {
                    return .failure(.error("duplicate key '\(duplicates.joined(separator: "', '"))'", at: location))
                }
                renamed[location] = key
                working = rewritten
            } catch let error as YamlError {
                return .failure(diagnostic(for: error, language: language, text: text, file: file))
            } catch {
                return .failure(.error("cannot parse the schema as \(language): \(error)", at: SourceLocation(file: file, line: 1, column: 1)))
            }
        }
        return .failure(
            .error(
                "too many duplicate keys (more than \(maxDuplicateRetries)); remove the repeated keys",
                at: SourceLocation(file: file, line: 1, column: 1)))
    }

    private static let maxDuplicateRetries = 200

    /// Replaces the first scalar of the key at `line`:`column` (1-based, in Unicode scalars) with a
    /// private-use scalar unique to `attempt`, so that the key no longer equals its duplicate.
    /// Returns `nil` when the key cannot be renamed without moving other text.
    private static func renameKey(in text: String, line: Int, column: Int, attempt: Int) -> String? {
        var scalars = Array(text.unicodeScalars)
        var index = 0, currentLine = 1
        while currentLine < line, index < scalars.count {
            if scalars[index] == "\n" { currentLine += 1 }
            index += 1
        }
        index += column - 1
        guard currentLine == line, index < scalars.count else { return nil }
        let first = scalars[index]
        // Keys with properties (anchors, tags) or collection keys cannot be renamed in place.
        if "[{?&*!|>".unicodeScalars.contains(first) { return nil }
        if first == "\"" || first == "'" {
            index += 1  // quoted key: rename its first character, not the quote
            guard index < scalars.count, scalars[index] != first, scalars[index] != "\\", scalars[index] != "\n" else { return nil }
        }
        guard let sentinel = Unicode.Scalar(0xE000 + attempt) else { return nil }
        scalars[index] = sentinel
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: max(1, mark?.line ?? 1), column: max(1, mark?.column ?? 1))
    }

    private static func convert(_ node: Node, file: String, renamed: [SourceLocation: String]) -> Result<SyntaxNode, Diagnostic> {
        let loc = location(node.mark, file: file)
        switch node {
        case let .scalar(scalar):
            let quoted =
                scalar.style == .singleQuoted || scalar.style == .doubleQuoted
                || scalar.style == .literal || scalar.style == .folded
            return .success(.scalar(SyntaxScalar(value: scalar.string, isQuoted: quoted, location: loc)))
        case let .mapping(mapping):
            var entries: [SyntaxEntry] = []
            for (key, value) in mapping {
                guard case let .scalar(k) = key else {
                    return .failure(
                        .error(
                            "mapping keys must be plain names, found \(key.isMapping ? "a mapping" : "a list")", at: location(key.mark, file: file)))
                }
                let keyLoc = location(key.mark, file: file)
                switch convert(value, file: file, renamed: renamed) {
                case let .success(v):
                    let quoted = k.style == .singleQuoted || k.style == .doubleQuoted
                    entries.append(SyntaxEntry(key: SyntaxScalar(value: renamed[keyLoc] ?? k.string, isQuoted: quoted, location: keyLoc), value: v))
                case let .failure(d): return .failure(d)
                }
            }
            return .success(.mapping(SyntaxMapping(entries: entries, location: loc)))
        case let .sequence(sequence):
            var items: [SyntaxNode] = []
            for item in sequence {
                switch convert(item, file: file, renamed: renamed) {
                case let .success(v): items.append(v)
                case let .failure(d): return .failure(d)
                }
            }
            return .success(.sequence(SyntaxSequence(items: items, location: loc)))
        case .alias:
            return .failure(.error("YAML aliases are not supported in schema files", at: loc))
        }
    }

    private static func diagnostic(for error: YamlError, language: String, text: String, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            let notes = context.map { [Diagnostic.Note(noteText(for: $0.text, language: language), at: location($0.mark, file: file))] } ?? []
            return .error(
                "invalid \(language): \(explain(problem, context: context?.text, language: language))", at: location(mark, file: file), notes: notes)
        case let .reader(problem, offset, _, _):
            return .error("invalid \(language): \(problem)", at: location(forCharacterOffset: offset, in: text, file: file))
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("duplicate key '\(duplicates.joined(separator: "', '"))'", at: location(context.mark, file: file))
        default:
            return .error("invalid \(language): \(error)", at: location(nil, file: file))
        }
    }

    /// libyaml's wording, plus what the user most likely has to change.
    private static func explain(_ problem: String, context: String?, language: String) -> String {
        let within = context.map { " \($0)" } ?? ""
        switch (problem, context) {
        case ("did not find expected key", "while parsing a block mapping"?):
            return "this line is not aligned with the keys of its mapping (did not find expected key\(within)); check the indentation"
        case ("did not find expected ',' or '}'", "while parsing a flow mapping"?):
            return language == "JSON"
                ? "expected ',' or '}' in the object that starts at the note; is a ',' or a closing '}' missing?"
                : "expected ',' or '}' in the flow mapping '{...}' that starts at the note; is a ',' or a closing '}' missing?"
        case ("did not find expected ',' or ']'", "while parsing a flow sequence"?):
            return language == "JSON"
                ? "expected ',' or ']' in the array that starts at the note; is a ',' or a closing ']' missing?"
                : "expected ',' or ']' in the flow list '[...]' that starts at the note; is a ',' or a closing ']' missing?"
        case ("mapping values are not allowed in this context", _):
            return "a ':' followed by a space is not allowed here; quote the value if it contains ': ', or fix the indentation"
        case ("found character that cannot start any token", _):
            return "found a character that cannot start any token\(within); quote the value if it starts with '@', '`' or '%'"
        default:
            return problem + within
        }
    }

    private static func noteText(for context: String, language: String) -> String {
        switch context {
        case "while parsing a flow mapping": return language == "JSON" ? "the object starts here" : "the flow mapping starts here"
        case "while parsing a flow sequence": return language == "JSON" ? "the array starts here" : "the flow list starts here"
        case "while parsing a block mapping": return "the enclosing mapping starts here"
        case "while parsing a block collection": return "the enclosing list starts here"
        case "while scanning a quoted scalar": return "the quoted string starts here"
        default: return context.replacingOccurrences(of: "while ", with: "") + " started here"
        }
    }

    /// 1-based line and column (in Unicode scalars) of the character at `offset`.
    private static func location(forCharacterOffset offset: Int?, in text: String, file: String) -> SourceLocation {
        guard let offset else { return SourceLocation(file: file, line: 1, column: 1) }
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}

private extension Node {
    var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}
