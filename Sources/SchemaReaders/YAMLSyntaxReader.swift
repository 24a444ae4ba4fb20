import SchemaModel
import Yams

/// Parses YAML (and JSON, which YAML's flow style reads) into a located `SyntaxNode` tree.
public enum YAMLSyntaxReader {
    /// Parses `text`; a syntax error becomes one diagnostic at the offending position.
    public static func parse(_ text: String, file: String) -> Result<SyntaxNode, Diagnostic> {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return .failure(.error("the schema file is empty", at: SourceLocation(file: file, line: 1, column: 1)))
            }
            return convert(node, file: file)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file))
        } catch {
            return .failure(.error("cannot parse the schema: \(error)", at: SourceLocation(file: file, line: 1, column: 1)))
        }
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node, file: String) -> Result<SyntaxNode, Diagnostic> {
        let loc = location(node.mark, file: file)
        switch node {
        case let .scalar(scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
                || scalar.style == .literal || scalar.style == .folded
            return .success(.scalar(SyntaxScalar(value: scalar.string, isQuoted: quoted, location: loc)))
        case let .mapping(mapping):
            var entries: [(key: SyntaxScalar, value: SyntaxNode)] = []
            for (key, value) in mapping {
                guard case let .scalar(k) = key else {
                    return .failure(.error("mapping keys must be plain names", at: location(key.mark, file: file)))
                }
                let keyLoc = location(key.mark, file: file)
                switch convert(value, file: file) {
                case let .success(v):
                    let quoted = k.style == .singleQuoted || k.style == .doubleQuoted
                    entries.append((SyntaxScalar(value: k.string, isQuoted: quoted, location: keyLoc), v))
                case let .failure(d): return .failure(d)
                }
            }
            return .success(.mapping(SyntaxMapping(entries: entries, location: loc)))
        case let .sequence(sequence):
            var items: [SyntaxNode] = []
            for item in sequence {
                switch convert(item, file: file) {
                case let .success(v): items.append(v)
                case let .failure(d): return .failure(d)
                }
            }
            return .success(.sequence(SyntaxSequence(items: items, location: loc)))
        case .alias:
            return .failure(.error("YAML aliases are not supported in schema files", at: loc))
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text))" }
            return .error(message, at: location(mark, file: file))
        case let .reader(problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: location(nil, file: file))
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("duplicate key '\(duplicates.joined(separator: "', '"))'", at: location(context.mark, file: file))
        default:
            return .error("invalid YAML: \(error)", at: location(nil, file: file))
        }
    }
}
