import SchemaModel

/// Renders `SQLStatement` values as DDL text for one dialect: quoting, layout, name shortening.
public struct SQLRenderer: Sendable {
    public let dialect: Dialect

    public init(dialect: Dialect) { self.dialect = dialect }

    public func quote(_ name: String) -> String { SQLIdentifier.quoted(name, for: dialect) }

    /// A generated name shortened to the dialect's limit (the SQLAlchemy scheme), then quoted.
    public func constraintName(_ name: String) -> String {
        quote(Identifiers.shorten(name, limit: dialect.maxIdentifierLength))
    }

    public func literal(_ text: String) -> String { SQLIdentifier.literal(text, for: dialect) }

    public func render(_ statements: [SQLStatement], header: String) -> String {
        var out = header.split(separator: "\n", omittingEmptySubsequences: false).map { "-- \($0)" }.joined(separator: "\n") + "\n"
        out.reserveCapacity(out.utf8.count + statements.count * 256)
        for statement in statements {
            out += "\n"
            write(statement, into: &out)
            out += ";\n"
        }
        return out
    }

    public func render(_ statement: SQLStatement) -> String {
        var out = ""
        write(statement, into: &out)
        return out
    }

    /// Appends `statement` to `out`: the text `render(_:)` returns, without intermediate strings.
    private func write(_ statement: SQLStatement, into out: inout String) {
        switch statement {
        case let .pragma(text):
            out += "PRAGMA "
            out += text
        case let .createEnumType(name, values):
            out += "CREATE TYPE "
            out += quote(name)
            out += " AS ENUM ("
            for (i, value) in values.enumerated() {
                if i > 0 { out += ", " }
                out += literal(value)
            }
            out += ")"
        case let .createTable(table):
            write(table, into: &out)
        case let .addConstraint(table, constraint):
            out += "ALTER TABLE "
            out += quote(table)
            out += " ADD "
            write(constraint, into: &out)
        case let .createIndex(index):
            out += index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX "
            out += constraintName(index.name)
            out += " ON "
            out += quote(index.table)
            if let method = index.method {
                out += " USING "
                out += method
            }
            out += " ("
            for (i, part) in index.parts.enumerated() {
                if i > 0 { out += ", " }
                out += part
            }
            out += ")"
            if let predicate = index.predicate {
                out += " WHERE "
                out += predicate
            }
        case let .commentOnTable(table, comment):
            out += "COMMENT ON TABLE "
            out += quote(table)
            out += " IS "
            out += literal(comment)
        case let .commentOnColumn(table, column, comment):
            out += "COMMENT ON COLUMN "
            out += quote(table)
            out += "."
            out += quote(column)
            out += " IS "
            out += literal(comment)
        }
    }

    private func write(_ table: SQLCreateTable, into out: inout String) {
        if dialect == .sqlite, let comment = table.comment {
            out += "-- "
            out += oneLine(comment)
            out += "\n"
        }
        out += "CREATE TABLE "
        out += quote(table.name)
        out += " (\n"
        var first = true
        for column in table.columns {
            if !first { out += ",\n" }
            first = false
            if dialect == .sqlite, let comment = column.comment {
                out += "    -- "
                out += oneLine(comment)
                out += "\n"
            }
            out += "    "
            out += quote(column.name)
            out += " "
            out += column.type
            if let extra = column.extra, extra.hasPrefix("GENERATED") {
                out += " "
                out += extra
            }
            if column.notNull { out += " NOT NULL" }
            if let d = column.defaultExpression {
                out += " DEFAULT "
                out += d
            }
            if let extra = column.extra, !extra.hasPrefix("GENERATED") {
                out += " "
                out += extra
            }
            if dialect == .mysql, let comment = column.comment {
                out += " COMMENT "
                out += literal(comment)
            }
        }
        for constraint in table.constraints {
            if !first { out += ",\n" }
            first = false
            out += "    "
            write(constraint, into: &out)
        }
        out += "\n)"
        var options: [String] = []
        if let o = table.options { options.append(o) }
        if dialect == .mysql, let comment = table.comment { options.append("COMMENT=\(literal(comment))") }
        if !options.isEmpty {
            out += " "
            out += options.joined(separator: " ")
        }
    }

    private func write(_ constraint: SQLTableConstraint, into out: inout String) {
        out += "CONSTRAINT "
        out += constraintName(constraint.name)
        out += " "
        switch constraint.kind {
        case let .primaryKey(columns):
            out += "PRIMARY KEY ("
            writeQuoted(columns, into: &out)
            out += ")"
        case let .unique(columns):
            out += "UNIQUE ("
            writeQuoted(columns, into: &out)
            out += ")"
        case let .foreignKey(columns, table, referenced, onDelete, onUpdate):
            out += "FOREIGN KEY ("
            writeQuoted(columns, into: &out)
            out += ") REFERENCES "
            out += quote(table)
            out += " ("
            writeQuoted(referenced, into: &out)
            out += ")"
            if let onDelete {
                out += " ON DELETE "
                out += onDelete.sql
            }
            if let onUpdate {
                out += " ON UPDATE "
                out += onUpdate.sql
            }
        case let .check(expression):
            out += "CHECK ("
            out += expression
            out += ")"
        }
    }

    /// Quoted names separated by ", ".
    private func writeQuoted(_ names: [String], into out: inout String) {
        for (i, name) in names.enumerated() {
            if i > 0 { out += ", " }
            out += quote(name)
        }
    }

    private func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
