import Foundation

/// A position in a schema file: the file path and a 1-based line and column.
///
/// Stored compactly as plain data (16 bytes, no reference counting), because every declaration and
/// syntax node carries one: the path as a reference into a process-wide table of interned paths, the
/// line and column as 32-bit numbers (values outside that range go to a side table). Behaviour is that
/// of stored `file`, `line` and `column` properties: `file` returns the path exactly as it was given,
/// and two locations are equal when their paths are equal as Swift strings and their lines and
/// columns are equal.
public struct SourceLocation: Hashable, Codable, Sendable, CustomStringConvertible {
    private var fileRef: SourceFileRef
    private var packedLine: Int32
    private var packedColumn: Int32

    /// The path of the file as the user gave it.
    public var file: String {
        get { SourceFiles.shared.path(of: fileRef) }
        set { fileRef = SourceFiles.shared.intern(newValue) }
    }

    /// 1-based line number.
    public var line: Int {
        get {
            packedLine == Self.overflow ? SourceFiles.shared.overflowPosition(Int(packedColumn)).line : Int(packedLine)
        }
        set { (packedLine, packedColumn) = Self.pack(line: newValue, column: column) }
    }

    /// 1-based column number, counted in Unicode scalars.
    public var column: Int {
        get {
            packedLine == Self.overflow
                ? SourceFiles.shared.overflowPosition(Int(packedColumn)).column : Int(packedColumn)
        }
        set { (packedLine, packedColumn) = Self.pack(line: line, column: newValue) }
    }

    public init(file: String, line: Int, column: Int) {
        self.init(file: SourceFiles.shared.intern(file), line: line, column: column)
    }

    /// A location in a file interned once with `SourceFiles.shared.intern(_:)` (no lookup per location).
    package init(file: SourceFileRef, line: Int, column: Int) {
        self.fileRef = file
        (packedLine, packedColumn) = Self.pack(line: line, column: column)
    }

    /// `packedLine` of a position kept in the side table; `packedColumn` is then its index there.
    private static var overflow: Int32 { Int32.min }

    private static func pack(line: Int, column: Int) -> (Int32, Int32) {
        if line > Int(Int32.min), line <= Int(Int32.max), let column = Int32(exactly: column) {
            return (Int32(line), column)
        }
        return (overflow, Int32(SourceFiles.shared.storeOverflowPosition(line: line, column: column)))
    }

    /// `path:line:column`, the form editors and terminals turn into links.
    public var description: String { "\(file):\(line):\(column)" }

    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        guard lhs.fileRef.equivalenceClass == rhs.fileRef.equivalenceClass else { return false }
        if lhs.packedLine != overflow, rhs.packedLine != overflow {
            return lhs.packedLine == rhs.packedLine && lhs.packedColumn == rhs.packedColumn
        }
        return lhs.line == rhs.line && lhs.column == rhs.column
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fileRef.equivalenceClass)
        hasher.combine(line)
        hasher.combine(column)
    }

    // The same keyed container the compiler synthesizes for stored `file`, `line`, `column`.
    private enum CodingKeys: String, CodingKey {
        case file, line, column
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let file = try container.decode(String.self, forKey: .file)
        let line = try container.decode(Int.self, forKey: .line)
        let column = try container.decode(Int.self, forKey: .column)
        self.init(file: file, line: line, column: column)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }
}

/// An interned file path: `id` names the exact spelling, `equivalenceClass` the first interned
/// spelling that compares equal to it as a Swift `String` (canonical equivalence).
package struct SourceFileRef: Sendable, Hashable {
    package let id: UInt32
    package let equivalenceClass: UInt32
}

/// The process-wide table of interned file paths. Paths are only added, never removed.
package final class SourceFiles: @unchecked Sendable {
    package static let shared = SourceFiles()

    /// A `String` compared and hashed by its exact UTF-8 bytes.
    private struct Spelling: Hashable {
        let text: String
        static func == (lhs: Spelling, rhs: Spelling) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
        func hash(into hasher: inout Hasher) {
            hasher.combine(text.utf8.count)
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }

    private let lock = NSLock()
    private var paths: [String] = []
    private var refs: [Spelling: SourceFileRef] = [:]
    private var classes: [String: UInt32] = [:]

    package func intern(_ path: String) -> SourceFileRef {
        lock.lock()
        defer { lock.unlock() }
        let spelling = Spelling(text: path)
        if let ref = refs[spelling] { return ref }
        let id = UInt32(paths.count)
        paths.append(path)
        let equivalenceClass: UInt32
        if let existing = classes[path] {
            equivalenceClass = existing
        } else {
            equivalenceClass = id
            classes[path] = id
        }
        let ref = SourceFileRef(id: id, equivalenceClass: equivalenceClass)
        refs[spelling] = ref
        return ref
    }

    package func path(of ref: SourceFileRef) -> String {
        lock.lock()
        defer { lock.unlock() }
        return paths[Int(ref.id)]
    }

    /// Lines and columns that do not fit in 32 bits, by index.
    private var overflowPositions: [(line: Int, column: Int)] = []

    func storeOverflowPosition(line: Int, column: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        overflowPositions.append((line, column))
        return overflowPositions.count - 1
    }

    func overflowPosition(_ index: Int) -> (line: Int, column: Int) {
        lock.lock()
        defer { lock.unlock() }
        return overflowPositions[index]
    }
}

/// A value together with the place in the source it came from.
public struct Located<Value> {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Sendable where Value: Sendable {}
