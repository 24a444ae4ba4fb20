/// The one naming convention for constraints and indexes.
///
/// The same patterns are emitted as SQLAlchemy `MetaData(naming_convention=...)`, so names in the DDL,
/// in the ORM metadata and in migrations agree and Alembic compares them stably. The tokens are
/// SQLAlchemy's: `%(table_name)s`, `%(column_0_N_name)s` (all columns joined by `_`),
/// `%(referred_table_name)s`, `%(constraint_name)s`.
public struct NamingConvention: Codable, Equatable, Sendable {
    public var index: String
    public var unique: String
    public var check: String
    public var foreignKey: String
    public var primaryKey: String

    public static let standard = NamingConvention(
        index: "ix_%(table_name)s_%(column_0_N_name)s",
        unique: "uq_%(table_name)s_%(column_0_N_name)s",
        check: "ck_%(table_name)s_%(constraint_name)s",
        foreignKey: "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        primaryKey: "pk_%(table_name)s"
    )

    public init(index: String, unique: String, check: String, foreignKey: String, primaryKey: String) {
        self.index = index
        self.unique = unique
        self.check = check
        self.foreignKey = foreignKey
        self.primaryKey = primaryKey
    }

    /// The SQLAlchemy keys (`ix`, `uq`, `ck`, `fk`, `pk`) with their patterns, sorted by key.
    public var sqlalchemyEntries: [(key: String, pattern: String)] {
        [("ck", check), ("fk", foreignKey), ("ix", index), ("pk", primaryKey), ("uq", unique)]
    }

    public func indexName(table: String, columns: [String]) -> String {
        apply(index, table: table, columns: columns)
    }

    public func uniqueName(table: String, columns: [String]) -> String {
        apply(unique, table: table, columns: columns)
    }

    public func checkName(table: String, constraint: String) -> String {
        apply(check, table: table, constraint: constraint)
    }

    public func foreignKeyName(table: String, columns: [String], referredTable: String) -> String {
        apply(foreignKey, table: table, columns: columns, referredTable: referredTable)
    }

    public func primaryKeyName(table: String) -> String { apply(primaryKey, table: table) }

    private func apply(_ pattern: String, table: String, columns: [String] = [], referredTable: String = "", constraint: String = "") -> String {
        if let name = Self.substitute(pattern, table: table, columns: columns, referredTable: referredTable, constraint: constraint) {
            return name
        }
        var result = pattern
        result = result.replacingOccurrences(of: "%(table_name)s", with: table)
        result = result.replacingOccurrences(of: "%(column_0_N_name)s", with: columns.joined(separator: "_"))
        result = result.replacingOccurrences(of: "%(column_0_name)s", with: columns.first ?? "")
        result = result.replacingOccurrences(of: "%(referred_table_name)s", with: referredTable)
        result = result.replacingOccurrences(of: "%(constraint_name)s", with: constraint)
        return result
    }

    /// Token names, in the order of the cases of `substitute`.
    private static let tokenNames: [[UInt8]] = [
        Array("table_name".utf8), Array("column_0_N_name".utf8), Array("column_0_name".utf8),
        Array("referred_table_name".utf8), Array("constraint_name".utf8),
    ]

    /// One pass over `pattern` that copies its text and substitutes the tokens: the same result as the
    /// five replacements in `apply`, which it answers for whenever the two provably agree. That is the
    /// case when the pattern and every value are ASCII and a `%` occurs only where the pattern has a
    /// token: then no replacement can create or break a token for a later one (tokens start with `%`
    /// and none is a prefix of another), and ASCII text compares the same literally and canonically.
    /// Otherwise `nil`, and `apply` runs the replacements themselves.
    static func substitute(_ pattern: String, table: String, columns: [String], referredTable: String, constraint: String) -> String? {
        guard FastText.isASCII(table, without: UInt8(ascii: "%")), FastText.isASCII(referredTable, without: UInt8(ascii: "%")),
            FastText.isASCII(constraint, without: UInt8(ascii: "%")),
            columns.allSatisfy({ FastText.isASCII($0, without: UInt8(ascii: "%")) })
        else { return nil }
        var out: [UInt8] = []
        let done: Bool? = pattern.utf8.withContiguousStorageIfAvailable { p -> Bool in
            out.reserveCapacity(p.count + 2 * table.utf8.count + 16 * max(1, columns.count) + referredTable.utf8.count + constraint.utf8.count)
            var i = 0
            while i < p.count {
                let byte = p[i]
                guard byte < 0x80 else { return false }
                guard byte == UInt8(ascii: "%") else {
                    out.append(byte)
                    i += 1
                    continue
                }
                // `%(name)s`: the name runs to the first `)`.
                guard i + 1 < p.count, p[i + 1] == UInt8(ascii: "(") else { return false }
                var close = i + 2
                while close < p.count, p[close] != UInt8(ascii: ")") { close += 1 }
                guard close + 1 < p.count, p[close + 1] == UInt8(ascii: "s") else { return false }
                let name = UnsafeBufferPointer(rebasing: p[(i + 2)..<close])
                guard let token = tokenNames.firstIndex(where: { $0.elementsEqual(name) }) else { return false }
                switch token {
                case 0: out.append(contentsOf: table.utf8)
                case 1:
                    for (n, column) in columns.enumerated() {
                        if n > 0 { out.append(UInt8(ascii: "_")) }
                        out.append(contentsOf: column.utf8)
                    }
                case 2: out.append(contentsOf: (columns.first ?? "").utf8)
                case 3: out.append(contentsOf: referredTable.utf8)
                default: out.append(contentsOf: constraint.utf8)
                }
                i = close + 2
            }
            return true
        }
        guard done == true else { return nil }
        return String(decoding: out, as: UTF8.self)
    }
}

import Foundation
