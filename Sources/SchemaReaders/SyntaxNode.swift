import SchemaModel

/// A YAML/JSON node with its source location: the reader's raw tree before typed decoding.
public indirect enum SyntaxNode: Sendable {
    case scalar(SyntaxScalar)
    case mapping(SyntaxMapping)
    case sequence(SyntaxSequence)

    public var location: SourceLocation {
        switch self {
        case let .scalar(s): return s.location
        case let .mapping(m): return m.location
        case let .sequence(s): return s.location
        }
    }

    /// "a string", "a mapping", "a list": used in "expected X, found Y" messages.
    public var kindDescription: String {
        switch self {
        case let .scalar(s): return s.isNull ? "null" : "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

public struct SyntaxScalar: Sendable {
    public var value: String
    /// Quoted scalars are always strings; plain ones may be numbers, booleans or null.
    public var isQuoted: Bool
    public var location: SourceLocation

    public var isNull: Bool { !isQuoted && ["", "~", "null", "Null", "NULL"].contains(value) }

    public var boolValue: Bool? {
        guard !isQuoted else { return nil }
        switch value {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: return nil
        }
    }
}

public struct SyntaxMapping: Sendable {
    public var entries: [(key: SyntaxScalar, value: SyntaxNode)]
    public var location: SourceLocation

    public func value(for key: String) -> SyntaxNode? { entries.first { $0.key.value == key }?.value }
}

public struct SyntaxSequence: Sendable {
    public var items: [SyntaxNode]
    public var location: SourceLocation
}
