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
        var result = pattern
        result = result.replacingOccurrences(of: "%(table_name)s", with: table)
        result = result.replacingOccurrences(of: "%(column_0_N_name)s", with: columns.joined(separator: "_"))
        result = result.replacingOccurrences(of: "%(column_0_name)s", with: columns.first ?? "")
        result = result.replacingOccurrences(of: "%(referred_table_name)s", with: referredTable)
        result = result.replacingOccurrences(of: "%(constraint_name)s", with: constraint)
        return result
    }
}

import Foundation
