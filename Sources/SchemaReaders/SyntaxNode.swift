import SchemaModel

/// A YAML/JSON node with its source location: the reader's raw tree before typed decoding.
public enum SyntaxNode: Sendable, Equatable {
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

public struct SyntaxScalar: Sendable, Equatable {
    public var value: String {
        didSet { fingerprint = Self.fingerprint(of: value) }
    }
    /// Quoted scalars are always strings; plain ones may be numbers, booleans or null.
    public var isQuoted: Bool
    public var location: SourceLocation
    /// `value`'s length and first byte when it is ASCII (0 otherwise): two ASCII strings with
    /// different fingerprints differ, which lets `SyntaxMapping.value(for:)` skip most comparisons.
    private(set) var fingerprint: UInt32

    public init(value: String, isQuoted: Bool, location: SourceLocation) {
        self.value = value
        self.isQuoted = isQuoted
        self.location = location
        self.fingerprint = Self.fingerprint(of: value)
    }

    /// A fingerprint computed by the caller from the same bytes (see `fingerprint(of:)`).
    init(value: String, isQuoted: Bool, location: SourceLocation, fingerprint: UInt32) {
        self.value = value
        self.isQuoted = isQuoted
        self.location = location
        self.fingerprint = fingerprint
    }

    /// Nonzero only for non-empty ASCII text shorter than 2^24 bytes.
    static func fingerprint(of text: String) -> UInt32 {
        if let fingerprint = text.utf8.withContiguousStorageIfAvailable({ bytes in
            fingerprint(ofBytes: bytes, isASCII: bytes.allSatisfy { $0 < 0x80 })
        }) {
            return fingerprint
        }
        let utf8 = text.utf8
        guard let first = utf8.first, utf8.count < 0x100_0000, utf8.allSatisfy({ $0 < 0x80 }) else { return 0 }
        return UInt32(utf8.count) << 8 | UInt32(first)
    }

    /// `fingerprint(of:)` for UTF-8 bytes already known to be ASCII or not.
    static func fingerprint(ofBytes bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> UInt32 {
        guard isASCII, let first = bytes.first, bytes.count < 0x100_0000 else { return 0 }
        return UInt32(bytes.count) << 8 | UInt32(first)
    }

    public var isNull: Bool {
        guard !isQuoted else { return false }
        switch value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    public var boolValue: Bool? {
        guard !isQuoted else { return nil }
        switch value {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: return nil
        }
    }
}

/// One `key: value` pair of a mapping.
public struct SyntaxEntry: Sendable, Equatable {
    public var key: SyntaxScalar
    public var value: SyntaxNode

    public init(key: SyntaxScalar, value: SyntaxNode) {
        self.key = key
        self.value = value
    }
}

public struct SyntaxMapping: Sendable, Equatable {
    public var entries: [SyntaxEntry]
    public var location: SourceLocation

    public init(entries: [SyntaxEntry], location: SourceLocation) {
        self.entries = entries
        self.location = location
    }

    /// `value(for:)` for a non-empty ASCII `key` (the decoder's key names), without measuring the
    /// key: its fingerprint is its length and first byte.
    func value(forASCII key: String) -> SyntaxNode? {
        let utf8 = key.utf8
        guard let first = utf8.first else { return value(for: key) }
        assert(utf8.allSatisfy { $0 < 0x80 } && utf8.count < 0x100_0000, "value(forASCII:) needs an ASCII key")
        let wanted = UInt32(utf8.count) << 8 | UInt32(first)
        for n in entries.indices {
            let fingerprint = entries[n].key.fingerprint
            if fingerprint != wanted, fingerprint != 0 { continue }
            if entries[n].key.value == key { return entries[n].value }
        }
        return nil
    }

    /// The value of the first entry whose key equals `key`.
    public func value(for key: String) -> SyntaxNode? {
        let wanted = SyntaxScalar.fingerprint(of: key)
        if wanted != 0 {
            // An ASCII key equals an ASCII string only byte for byte (same fingerprint); a non-ASCII
            // key (fingerprint 0) is compared in full, since Unicode equivalence can make it equal.
            for entry in entries where entry.key.fingerprint == wanted || entry.key.fingerprint == 0 {
                if entry.key.value == key { return entry.value }
            }
            return nil
        }
        return entries.first { $0.key.value == key }?.value
    }
}

public struct SyntaxSequence: Sendable, Equatable {
    public var items: [SyntaxNode]
    public var location: SourceLocation

    public init(items: [SyntaxNode], location: SourceLocation) {
        self.items = items
        self.location = location
    }
}
