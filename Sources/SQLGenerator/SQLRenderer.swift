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
        let comment = header.split(separator: "\n", omittingEmptySubsequences: false).map { "-- \($0)" }.joined(separator: "\n") + "\n"
        // About 400 bytes a statement at most for generated schemas; more room is taken if needed.
        return TextBuffer.build(capacity: comment.utf8.count + statements.count * 400) { out in
            out.add(comment)
            for statement in statements {
                out.add("\n" as StaticString)
                write(statement, into: &out)
                out.add(";\n" as StaticString)
            }
        }
    }

    public func render(_ statement: SQLStatement) -> String {
        TextBuffer.build(capacity: 256) { write(statement, into: &$0) }
    }

    /// Appends `statement` to `out`: the text `render(_:)` returns, without intermediate strings.
    private func write(_ statement: SQLStatement, into out: inout TextBuffer) {
        switch statement {
        case let .pragma(text):
            out.add("PRAGMA " as StaticString)
            out.add(text)
        case let .createEnumType(name, values):
            out.add("CREATE TYPE " as StaticString)
            out.add(quote(name))
            out.add(" AS ENUM (" as StaticString)
            for (i, value) in values.enumerated() {
                if i > 0 { out.add(", " as StaticString) }
                out.add(literal(value))
            }
            out.add(")" as StaticString)
        case let .createTable(table):
            write(table, into: &out)
        case let .addConstraint(table, constraint):
            out.add("ALTER TABLE " as StaticString)
            out.add(quote(table))
            out.add(" ADD " as StaticString)
            write(constraint, into: &out)
        case let .createIndex(index):
            out.add(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ")
            out.add(constraintName(index.name))
            out.add(" ON " as StaticString)
            out.add(quote(index.table))
            if let method = index.method {
                out.add(" USING " as StaticString)
                out.add(method)
            }
            out.add(" (" as StaticString)
            for (i, part) in index.parts.enumerated() {
                if i > 0 { out.add(", " as StaticString) }
                out.add(part)
            }
            out.add(")" as StaticString)
            if let predicate = index.predicate {
                out.add(" WHERE " as StaticString)
                out.add(predicate)
            }
        case let .commentOnTable(table, comment):
            out.add("COMMENT ON TABLE " as StaticString)
            out.add(quote(table))
            out.add(" IS " as StaticString)
            out.add(literal(comment))
        case let .commentOnColumn(table, column, comment):
            out.add("COMMENT ON COLUMN " as StaticString)
            out.add(quote(table))
            out.add("." as StaticString)
            out.add(quote(column))
            out.add(" IS " as StaticString)
            out.add(literal(comment))
        case let .spelled(text):
            out.add(text)
        }
    }

    private func write(_ table: SQLCreateTable, into out: inout TextBuffer) {
        if dialect == .sqlite, let comment = table.comment {
            out.add("-- " as StaticString)
            out.add(oneLine(comment))
            out.add("\n" as StaticString)
        }
        out.add("CREATE TABLE " as StaticString)
        out.add(quote(table.name))
        out.add(" (\n" as StaticString)
        var first = true
        for column in table.columns {
            if !first { out.add(",\n" as StaticString) }
            first = false
            if dialect == .sqlite, let comment = column.comment {
                out.add("    -- " as StaticString)
                out.add(oneLine(comment))
                out.add("\n" as StaticString)
            }
            out.add("    " as StaticString)
            write(column, into: &out)
        }
        for constraint in table.constraints {
            if !first { out.add(",\n" as StaticString) }
            first = false
            out.add("    " as StaticString)
            write(constraint, into: &out)
        }
        out.add("\n)" as StaticString)
        var options: [String] = []
        if let o = table.options { options.append(o) }
        if dialect == .mysql, let comment = table.comment { options.append("COMMENT=\(literal(comment))") }
        if !options.isEmpty {
            out.add(" " as StaticString)
            out.add(options.joined(separator: " "))
        }
    }

    /// A column definition as `CREATE TABLE`, `ADD COLUMN` and `MODIFY COLUMN` spell it.
    public func render(_ column: SQLColumnDefinition) -> String {
        TextBuffer.build(capacity: 128) { write(column, into: &$0) }
    }

    /// A named table constraint as `CREATE TABLE` and `ADD` spell it: `CONSTRAINT name ...`.
    public func render(_ constraint: SQLTableConstraint) -> String {
        TextBuffer.build(capacity: 128) { write(constraint, into: &$0) }
    }

    private func write(_ column: SQLColumnDefinition, into out: inout TextBuffer) {
        out.add(quote(column.name))
        out.add(" " as StaticString)
        out.add(column.type)
        if let extra = column.extra, extra.hasPrefix("GENERATED") {
            out.add(" " as StaticString)
            out.add(extra)
        }
        if column.notNull { out.add(" NOT NULL" as StaticString) }
        if let d = column.defaultExpression {
            out.add(" DEFAULT " as StaticString)
            out.add(d)
        }
        if let extra = column.extra, !extra.hasPrefix("GENERATED") {
            out.add(" " as StaticString)
            out.add(extra)
        }
        if dialect == .mysql, let comment = column.comment {
            out.add(" COMMENT " as StaticString)
            out.add(literal(comment))
        }
    }

    private func write(_ constraint: SQLTableConstraint, into out: inout TextBuffer) {
        out.add("CONSTRAINT " as StaticString)
        out.add(constraintName(constraint.name))
        out.add(" " as StaticString)
        switch constraint.kind {
        case let .primaryKey(columns):
            out.add("PRIMARY KEY (" as StaticString)
            writeQuoted(columns, into: &out)
            out.add(")" as StaticString)
        case let .unique(columns):
            out.add("UNIQUE (" as StaticString)
            writeQuoted(columns, into: &out)
            out.add(")" as StaticString)
        case let .foreignKey(columns, table, referenced, onDelete, onUpdate):
            out.add("FOREIGN KEY (" as StaticString)
            writeQuoted(columns, into: &out)
            out.add(") REFERENCES " as StaticString)
            out.add(quote(table))
            out.add(" (" as StaticString)
            writeQuoted(referenced, into: &out)
            out.add(")" as StaticString)
            if let onDelete {
                out.add(" ON DELETE " as StaticString)
                out.add(onDelete.sql)
            }
            if let onUpdate {
                out.add(" ON UPDATE " as StaticString)
                out.add(onUpdate.sql)
            }
        case let .check(expression):
            out.add("CHECK (" as StaticString)
            out.add(expression)
            out.add(")" as StaticString)
        }
    }

    /// Quoted names separated by ", ".
    private func writeQuoted(_ names: [String], into out: inout TextBuffer) {
        for (i, name) in names.enumerated() {
            if i > 0 { out.add(", " as StaticString) }
            out.add(quote(name))
        }
    }

    private func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// UTF-8 text written into the storage of the `String` it becomes: appends are a bounds check and
/// a copy, and there is no final copy.
struct TextBuffer {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var count = 0
    private var overflowed = false

    private init(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!
        capacity = buffer.count
    }

    /// The text `body` writes, built in place in the storage of the returned string: first with
    /// `capacity` bytes of room, then with twice as much until it fits.
    static func build(capacity: Int, _ body: (inout TextBuffer) -> Void) -> String {
        var capacity = max(16, capacity)
        while true {
            var overflowed = false
            let text = String(unsafeUninitializedCapacity: capacity) { buffer in
                var out = TextBuffer(into: buffer)
                body(&out)
                overflowed = out.overflowed
                return overflowed ? 0 : out.count
            }
            if !overflowed { return text }
            capacity *= 2
        }
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        guard count + bytes.count <= capacity else {
            overflowed = true
            return
        }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func add(_ text: StaticString) {
        text.withUTF8Buffer { add($0) }
    }

    mutating func add(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ add($0) }) == nil {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { add($0) }
        }
    }
}
