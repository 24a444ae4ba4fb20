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
        for statement in statements {
            out += "\n" + render(statement) + ";\n"
        }
        return out
    }

    public func render(_ statement: SQLStatement) -> String {
        switch statement {
        case let .pragma(text):
            return "PRAGMA \(text)"
        case let .createEnumType(name, values):
            return "CREATE TYPE \(quote(name)) AS ENUM (\(values.map(literal).joined(separator: ", ")))"
        case let .createTable(table):
            return render(table)
        case let .addConstraint(table, constraint):
            return "ALTER TABLE \(quote(table)) ADD \(render(constraint))"
        case let .createIndex(index):
            var sql = "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(constraintName(index.name)) ON \(quote(index.table))"
            if let method = index.method { sql += " USING \(method)" }
            sql += " (\(index.parts.joined(separator: ", ")))"
            if let predicate = index.predicate { sql += " WHERE \(predicate)" }
            return sql
        case let .commentOnTable(table, comment):
            return "COMMENT ON TABLE \(quote(table)) IS \(literal(comment))"
        case let .commentOnColumn(table, column, comment):
            return "COMMENT ON COLUMN \(quote(table)).\(quote(column)) IS \(literal(comment))"
        }
    }

    private func render(_ table: SQLCreateTable) -> String {
        var lines: [String] = []
        for column in table.columns {
            var line = ""
            if dialect == .sqlite, let comment = column.comment {
                line += "    -- \(oneLine(comment))\n"
            }
            line += "    \(quote(column.name)) \(column.type)"
            if let extra = column.extra, extra.hasPrefix("GENERATED") { line += " \(extra)" }
            if column.notNull { line += " NOT NULL" }
            if let d = column.defaultExpression { line += " DEFAULT \(d)" }
            if let extra = column.extra, !extra.hasPrefix("GENERATED") { line += " \(extra)" }
            if dialect == .mysql, let comment = column.comment { line += " COMMENT \(literal(comment))" }
            lines.append(line)
        }
        for constraint in table.constraints {
            lines.append("    " + render(constraint))
        }
        var sql = ""
        if dialect == .sqlite, let comment = table.comment { sql += "-- \(oneLine(comment))\n" }
        sql += "CREATE TABLE \(quote(table.name)) (\n" + lines.joined(separator: ",\n") + "\n)"
        var options: [String] = []
        if let o = table.options { options.append(o) }
        if dialect == .mysql, let comment = table.comment { options.append("COMMENT=\(literal(comment))") }
        if !options.isEmpty { sql += " " + options.joined(separator: " ") }
        return sql
    }

    private func render(_ constraint: SQLTableConstraint) -> String {
        let head = "CONSTRAINT \(constraintName(constraint.name)) "
        switch constraint.kind {
        case let .primaryKey(columns):
            return head + "PRIMARY KEY (\(columns.map(quote).joined(separator: ", ")))"
        case let .unique(columns):
            return head + "UNIQUE (\(columns.map(quote).joined(separator: ", ")))"
        case let .foreignKey(columns, table, referenced, onDelete, onUpdate):
            var sql = head + "FOREIGN KEY (\(columns.map(quote).joined(separator: ", "))) REFERENCES \(quote(table)) (\(referenced.map(quote).joined(separator: ", ")))"
            if let onDelete { sql += " ON DELETE \(onDelete.sql)" }
            if let onUpdate { sql += " ON UPDATE \(onUpdate.sql)" }
            return sql
        case let .check(expression):
            return head + "CHECK (\(expression))"
        }
    }

    private func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
