/// Where the resolved objects came from, for diagnostics raised after resolution (dialect lints,
/// generators). Not part of the snapshot: locations change when a file is merely reformatted.
public struct SourceMap: Sendable {
    private var locations: [String: SourceLocation] = [:]
    /// Where `auth:` is.
    public var auth: SourceLocation?

    public init() {}

    /// Room for `count` entries without rehashing.
    public mutating func reserveCapacity(_ count: Int) { locations.reserveCapacity(count) }

    /// Key for a table-level object: `table` or `table.object`.
    public static func key(table: String, object: String? = nil) -> String {
        object.map { "\(table).\($0)" } ?? table
    }

    /// Where a column's field is marked `encrypted` (for the targets that cannot encrypt).
    public subscript(table table: String, encryptedColumn column: String) -> SourceLocation? {
        get { locations["\(table)\u{0}encrypted\u{0}\(column)"] }
        set { locations["\(table)\u{0}encrypted\u{0}\(column)"] = newValue }
    }

    /// Where a column's field says `filterable:` (for the warning when no index serves the filter).
    public subscript(table table: String, filterableColumn column: String) -> SourceLocation? {
        get { locations["\(table)\u{0}filterable\u{0}\(column)"] }
        set { locations["\(table)\u{0}filterable\u{0}\(column)"] = newValue }
    }

    /// Where an enum is declared.
    public subscript(enumeration name: String) -> SourceLocation? {
        get { locations["\u{0}enum\u{0}\(name)"] }
        set { locations["\u{0}enum\u{0}\(name)"] = newValue }
    }

    /// Where a column's field (or the relation that made it) is declared.
    public subscript(table table: String, column column: String) -> SourceLocation? {
        get { locations["\(table)\u{0}column\u{0}\(column)"] }
        set { locations["\(table)\u{0}column\u{0}\(column)"] = newValue }
    }

    public subscript(table table: String, object object: String?) -> SourceLocation? {
        get { locations[SourceMap.key(table: table, object: object)] }
        set { locations[SourceMap.key(table: table, object: object)] = newValue }
    }
}
