import Foundation

/// A portable column type of the resolved schema.
///
/// Encoded in the snapshot as its spelling (`string(200)`, `decimal(12,2)`, `enum(Role)`,
/// `array<int>`) so that snapshots stay short and readable in review.
public indirect enum ColumnType: Hashable, Sendable, CustomStringConvertible {
    case int
    case bigint
    case smallint
    case float
    case decimal(precision: Int, scale: Int)
    case string(length: Int)
    case text
    case bool
    case date
    case time
    case datetime
    case uuid
    case json
    case bytes
    /// A named enum of the schema.
    case enumeration(String)
    case array(ColumnType)

    /// The scalar type names a schema may use, with the arguments each takes.
    public static let scalarNames: [String] = [
        "int", "bigint", "smallint", "float", "decimal", "string", "text", "bool", "date", "time",
        "datetime", "uuid", "json", "bytes", "array",
    ]

    /// Aliases accepted in schema files for convenience.
    public static let aliases: [String: String] = [
        "integer": "int", "boolean": "bool", "str": "string", "varchar": "string", "timestamp": "datetime",
        "double": "float", "numeric": "decimal", "blob": "bytes", "binary": "bytes", "jsonb": "json",
        "int64": "bigint", "int32": "int", "int16": "smallint",
    ]

    public var isInteger: Bool {
        switch self {
        case .int, .bigint, .smallint: return true
        default: return false
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .int, .bigint, .smallint, .float, .decimal: return true
        default: return false
        }
    }

    public var isTemporal: Bool {
        switch self {
        case .date, .time, .datetime: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .int: return "int"
        case .bigint: return "bigint"
        case .smallint: return "smallint"
        case .float: return "float"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        case let .string(n): return "string(\(n))"
        case .text: return "text"
        case .bool: return "bool"
        case .date: return "date"
        case .time: return "time"
        case .datetime: return "datetime"
        case .uuid: return "uuid"
        case .json: return "json"
        case .bytes: return "bytes"
        case let .enumeration(name): return "enum(\(name))"
        case let .array(element): return "array<\(element)>"
        }
    }

    /// Parses the spelling produced by `description`.
    public init?(spelling: String) {
        let s = spelling.trimmingCharacters(in: .whitespaces)
        func args(_ prefix: String) -> [Int]? {
            guard s.hasPrefix(prefix + "("), s.hasSuffix(")") else { return nil }
            let inner = s.dropFirst(prefix.count + 1).dropLast()
            let parts = inner.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.contains(where: { $0 == nil }) else { return nil }
            return parts.map { $0! }
        }
        if s.hasPrefix("array<"), s.hasSuffix(">") {
            guard let element = ColumnType(spelling: String(s.dropFirst(6).dropLast())) else { return nil }
            self = .array(element)
            return
        }
        if s.hasPrefix("enum("), s.hasSuffix(")") {
            self = .enumeration(String(s.dropFirst(5).dropLast()))
            return
        }
        if let a = args("decimal"), a.count == 2 {
            self = .decimal(precision: a[0], scale: a[1])
            return
        }
        if let a = args("string"), a.count == 1 {
            self = .string(length: a[0])
            return
        }
        switch s {
        case "int": self = .int
        case "bigint": self = .bigint
        case "smallint": self = .smallint
        case "float": self = .float
        case "text": self = .text
        case "bool": self = .bool
        case "date": self = .date
        case "time": self = .time
        case "datetime": self = .datetime
        case "uuid": self = .uuid
        case "json": self = .json
        case "bytes": self = .bytes
        default: return nil
        }
    }
}

extension ColumnType: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let spelling = try container.decode(String.self)
        guard let type = ColumnType(spelling: spelling) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown column type '\(spelling)'")
        }
        self = type
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
