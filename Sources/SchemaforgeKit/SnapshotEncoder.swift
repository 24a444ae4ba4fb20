import Foundation

/// Stable JSON for the resolved schema: sorted keys, two-space indentation, trailing newline.
///
/// The bytes are exactly those of Foundation's `JSONEncoder` with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` over the IR's `Codable` conformance (`jsonEncoderReference`), written
/// directly: keys in byte order, `"key" : value`, empty containers as `[\n\n<indent>]`, doubles as
/// their `description` without a trailing `.0`, strings with `"`, `\\` and control characters escaped.
/// Tests compare the two on every example and on a schema that sets every field.
public enum SnapshotEncoder {
    public static func encode(_ schema: Schema) -> String {
        // About half a kilobyte of JSON per column, with its table's share of keys and constraints.
        encode(schema, initialCapacity: 4096 + 512 * schema.tables.reduce(0) { $0 + $1.columns.count })
    }

    /// Writes straight into the storage of the result, and again with twice the room if it did not fit.
    static func encode(_ schema: Schema, initialCapacity: Int) -> String {
        var capacity = max(16, initialCapacity)
        while true {
            var valid = true, overflowed = false
            let text = String(unsafeUninitializedCapacity: capacity) { buffer in
                var writer = SnapshotJSONWriter(into: buffer)
                valid = writer.write(schema)
                let count = writer.finishWithNewline()
                overflowed = writer.overflowed
                return valid && !overflowed ? count : 0
            }
            if !valid { return "\n" }  // JSONEncoder fails on NaN or infinity
            if !overflowed { return text }
            capacity *= 2
        }
    }

    /// The reference encoding `encode` reproduces.
    public static func jsonEncoderReference(_ schema: Schema) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(schema)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func decode(_ text: String) throws -> Schema {
        try JSONDecoder().decode(Schema.self, from: Data(text.utf8))
    }
}

/// Writes the IR as pretty-printed JSON with sorted keys (see `SnapshotEncoder`). Each `write` lists
/// the type's coding keys in byte order; optional properties that are `nil` are left out, as the
/// synthesized `Codable` conformances do.
struct SnapshotJSONWriter {
    private var out: RawTextBuffer
    /// A newline and the indentation of the current nesting level (two spaces a level).
    private var lineStart: [UInt8] = [0x0A]
    /// Whether each open container has a member yet (for the separators), innermost last.
    private var hasMember: [Bool] = []
    /// False once a non-finite double was met: `JSONEncoder` rejects those.
    private var valid = true

    /// A writer that fills `buffer` (and reports `overflowed` when it is too small).
    init(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        out = RawTextBuffer(into: buffer)
        lineStart.reserveCapacity(32)
        hasMember.reserveCapacity(16)
    }

    /// True when the buffer was too small for the text.
    var overflowed: Bool { out.overflowed }

    /// Ends the text with a newline; the number of bytes written.
    mutating func finishWithNewline() -> Int {
        out.append(0x0A)
        return out.count
    }

    // MARK: Structure

    private mutating func raw(_ text: StaticString) { out.append(text) }

    private mutating func open(_ bracket: UInt8) {
        out.append(bracket)
        lineStart.append(0x20)
        lineStart.append(0x20)
        hasMember.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasMember.removeLast()
        lineStart.removeLast(2)
        if !had { out.append(0x0A) }  // an empty container spans a blank line
        out.append(lineStart)
        out.append(bracket)
    }

    /// Starts the next member of the current container: separator, newline, indentation.
    private mutating func next() {
        if hasMember[hasMember.count - 1] {
            out.append(UInt8(ascii: ","))
        } else {
            hasMember[hasMember.count - 1] = true
        }
        out.append(lineStart)
    }

    private mutating func key(_ name: StaticString) {
        next()
        out.append(UInt8(ascii: "\""))
        raw(name)
        raw("\" : ")
    }

    private mutating func key(_ name: String) {
        next()
        string(name)
        raw(" : ")
    }

    // MARK: Values

    private mutating func string(_ value: String) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them whole.
        let copied = value.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(bytes)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x08: raw("\\b")
            case 0x09: raw("\\t")
            case 0x0A: raw("\\n")
            case 0x0C: raw("\\f")
            case 0x0D: raw("\\r")
            case 0..<0x20:
                raw("\\u00")
                out.append(Self.hexDigits[Int(byte >> 4)])
                out.append(Self.hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func number(_ value: Int) { out.append(String(value)) }

    private mutating func number(_ value: Double) {
        guard value.isFinite else {
            valid = false
            out.append("0" as StaticString)
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(text)
    }

    private mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    private mutating func strings(_ values: [String]) {
        open(UInt8(ascii: "["))
        for value in values {
            next()
            string(value)
        }
        close(UInt8(ascii: "]"))
    }

    /// A `[String: String]`: keys sorted as `JSONEncoder` sorts them (byte order).
    private mutating func dictionary(_ values: [String: String]) {
        open(UInt8(ascii: "{"))
        for key in values.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            self.key(key)
            string(values[key]!)
        }
        close(UInt8(ascii: "}"))
    }

    private mutating func array<T>(_ values: [T], _ element: (inout SnapshotJSONWriter, T) -> Void) {
        open(UInt8(ascii: "["))
        for value in values {
            next()
            element(&self, value)
        }
        close(UInt8(ascii: "]"))
    }

    // MARK: The IR

    mutating func write(_ schema: Schema) -> Bool {
        open(UInt8(ascii: "{"))
        if let auth = schema.auth {
            key("auth")
            write(auth)
        }
        key("enums")
        array(schema.enums) { $0.write($1) }
        key("formatVersion")
        number(schema.formatVersion)
        key("name")
        string(schema.name)
        key("namingConvention")
        write(schema.namingConvention)
        key("tables")
        array(schema.tables) { $0.write($1) }
        close(UInt8(ascii: "}"))
        return valid
    }

    private mutating func write(_ auth: AuthConfig) {
        open(UInt8(ascii: "{"))
        key("login")
        string(auth.login)
        key("password")
        string(auth.password)
        key("registration")
        bool(auth.registration)
        if let role = auth.role {
            key("role")
            string(role)
        }
        key("user")
        string(auth.user)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ access: EntityAccess) {
        open(UInt8(ascii: "{"))
        key("create")
        write(access.create)
        key("delete")
        write(access.delete)
        if let owner = access.owner {
            key("owner")
            string(owner)
        }
        key("read")
        write(access.read)
        key("update")
        write(access.update)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ rule: AccessRule) {
        open(UInt8(ascii: "{"))
        key("anyone")
        bool(rule.anyone)
        key("authenticated")
        bool(rule.authenticated)
        key("owner")
        bool(rule.owner)
        key("roles")
        strings(rule.roles)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ convention: NamingConvention) {
        open(UInt8(ascii: "{"))
        key("check")
        string(convention.check)
        key("foreignKey")
        string(convention.foreignKey)
        key("index")
        string(convention.index)
        key("primaryKey")
        string(convention.primaryKey)
        key("unique")
        string(convention.unique)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ type: EnumType) {
        open(UInt8(ascii: "{"))
        if let comment = type.comment {
            key("comment")
            string(comment)
        }
        key("databaseName")
        string(type.databaseName)
        key("name")
        string(type.name)
        if let renamedValues = type.renamedValues {
            key("renamedValues")
            dictionary(renamedValues)
        }
        key("values")
        strings(type.values)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ table: Table) {
        open(UInt8(ascii: "{"))
        if let access = table.access {
            key("access")
            write(access)
        }
        key("checks")
        array(table.checks) { $0.write($1) }
        key("columns")
        array(table.columns) { $0.write($1) }
        if let comment = table.comment {
            key("comment")
            string(comment)
        }
        if let entity = table.entity {
            key("entity")
            string(entity)
        }
        key("foreignKeys")
        array(table.foreignKeys) { $0.write($1) }
        key("indexes")
        array(table.indexes) { $0.write($1) }
        if let managedBy = table.managedBy {
            key("managedBy")
            string(managedBy)
        }
        if let mongo = table.mongo {
            key("mongo")
            open(UInt8(ascii: "{"))
            if let v = mongo.additionalProperties {
                key("additionalProperties")
                bool(v)
            }
            if let v = mongo.collection {
                key("collection")
                string(v)
            }
            if let v = mongo.textFields {
                key("textFields")
                strings(v)
            }
            if let v = mongo.ttlField {
                key("ttlField")
                string(v)
            }
            if let v = mongo.ttlSeconds {
                key("ttlSeconds")
                number(v)
            }
            close(UInt8(ascii: "}"))
        }
        key("name")
        string(table.name)
        if let primaryKey = table.primaryKey {
            key("primaryKey")
            open(UInt8(ascii: "{"))
            key("columns")
            strings(primaryKey.columns)
            key("name")
            string(primaryKey.name)
            close(UInt8(ascii: "}"))
        }
        key("relations")
        array(table.relations) { $0.write($1) }
        if let renamedFrom = table.renamedFrom {
            key("renamedFrom")
            string(renamedFrom)
        }
        if let search = table.search {
            key("search")
            open(UInt8(ascii: "{"))
            key("columns")
            strings(search.columns)
            key("language")
            string(search.language)
            key("name")
            string(search.name)
            key("vectorColumn")
            string(search.vectorColumn)
            close(UInt8(ascii: "}"))
        }
        key("uniques")
        array(table.uniques) { writer, unique in
            writer.open(UInt8(ascii: "{"))
            writer.key("columns")
            writer.strings(unique.columns)
            writer.key("name")
            writer.string(unique.name)
            writer.close(UInt8(ascii: "}"))
        }
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ column: Column) {
        open(UInt8(ascii: "{"))
        key("autoincrement")
        bool(column.autoincrement)
        if let backfill = column.backfill {
            key("backfill")
            string(backfill)
        }
        if let comment = column.comment {
            key("comment")
            string(comment)
        }
        if let defaultValue = column.defaultValue {
            key("defaultValue")
            open(UInt8(ascii: "{"))
            key("kind")
            string(defaultValue.kind.rawValue)
            if let value = defaultValue.value {
                key("value")
                string(value)
            }
            close(UInt8(ascii: "}"))
        }
        if let encrypted = column.encrypted {
            key("encrypted")
            bool(encrypted)
        }
        key("field")
        string(column.field)
        if let filterable = column.filterable {
            key("filterable")
            bool(filterable)
        }
        key("name")
        string(column.name)
        if let nativeTypes = column.nativeTypes {
            key("nativeTypes")
            dictionary(nativeTypes)
        }
        key("nullable")
        bool(column.nullable)
        key("onUpdateNow")
        bool(column.onUpdateNow)
        if let relation = column.relation {
            key("relation")
            string(relation)
        }
        if let renamedFrom = column.renamedFrom {
            key("renamedFrom")
            string(renamedFrom)
        }
        key("sensitive")
        bool(column.sensitive)
        key("type")
        string(column.type.description)
        if let validation = column.validation {
            key("validation")
            open(UInt8(ascii: "{"))
            if let maxLength = validation.maxLength {
                key("maxLength")
                number(maxLength)
            }
            if let maximum = validation.maximum {
                key("maximum")
                number(maximum)
            }
            if let minLength = validation.minLength {
                key("minLength")
                number(minLength)
            }
            if let minimum = validation.minimum {
                key("minimum")
                number(minimum)
            }
            if let pattern = validation.pattern {
                key("pattern")
                string(pattern)
            }
            close(UInt8(ascii: "}"))
        }
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ fk: ForeignKey) {
        open(UInt8(ascii: "{"))
        key("columns")
        strings(fk.columns)
        key("name")
        string(fk.name)
        if let onDelete = fk.onDelete {
            key("onDelete")
            string(onDelete.rawValue)
        }
        if let onUpdate = fk.onUpdate {
            key("onUpdate")
            string(onUpdate.rawValue)
        }
        key("referencedColumns")
        strings(fk.referencedColumns)
        key("referencedTable")
        string(fk.referencedTable)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ check: CheckConstraint) {
        open(UInt8(ascii: "{"))
        if let dialectExpressions = check.dialectExpressions {
            key("dialectExpressions")
            dictionary(dialectExpressions)
        }
        key("expression")
        string(check.expression)
        key("name")
        string(check.name)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ index: Index) {
        open(UInt8(ascii: "{"))
        key("columns")
        strings(index.columns)
        key("expressions")
        strings(index.expressions)
        if let method = index.method {
            key("method")
            string(method.rawValue)
        }
        key("name")
        string(index.name)
        if let predicate = index.predicate {
            key("predicate")
            string(predicate)
        }
        key("unique")
        bool(index.unique)
        close(UInt8(ascii: "}"))
    }

    private mutating func write(_ relation: Relation) {
        open(UInt8(ascii: "{"))
        if let back = relation.back {
            key("back")
            string(back)
        }
        if let embed = relation.embed {
            key("embed")
            bool(embed)
        }
        key("foreignKey")
        string(relation.foreignKey)
        if let joinTable = relation.joinTable {
            key("joinTable")
            string(joinTable)
        }
        key("kind")
        string(relation.kind.rawValue)
        key("name")
        string(relation.name)
        key("nullable")
        bool(relation.nullable)
        if let read = relation.read {
            key("read")
            string(read.rawValue)
        }
        key("targetEntity")
        string(relation.targetEntity)
        if let targetForeignKey = relation.targetForeignKey {
            key("targetForeignKey")
            string(targetForeignKey)
        }
        key("targetTable")
        string(relation.targetTable)
        if let throughEntity = relation.throughEntity {
            key("throughEntity")
            string(throughEntity)
        }
        close(UInt8(ascii: "}"))
    }
}

/// A fixed UTF-8 byte buffer with cheap appends (a bounds check and a copy): the bytes go into
/// storage someone else owns; when they do not fit, `overflowed` is set and the rest is dropped.
struct RawTextBuffer {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    init(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!
        capacity = buffer.count
    }

    mutating func append(_ byte: UInt8) {
        guard count < capacity else {
            overflowed = true
            return
        }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        guard count + bytes.count <= capacity else {
            overflowed = true
            return
        }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            for byte in text.utf8 { append(byte) }
        }
    }
}
