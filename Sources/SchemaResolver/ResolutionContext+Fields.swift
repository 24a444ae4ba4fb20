import Foundation
import SchemaModel

extension ResolutionContext {
    // MARK: Fields -> columns

    func resolveFieldColumns(_ i: Int) {
        let decl = entities[i]
        var seen = SmallStringMap<SourceLocation>()
        var duplicates: Set<SourceLocation> = []
        var columnsSeen = SmallStringMap<SourceLocation>()
        for member in decl.fields.map(\.name) + decl.relations.map(\.name) {
            if let first = seen[member.value] {
                diagnostics.error(
                    "duplicate field or relation '\(member.value)' in entity '\(decl.name.value)'", at: member.location,
                    notes: [.init("first defined here", at: first)])
                duplicates.insert(member.location)
                continue
            }
            seen[member.value] = member.location
        }
        for field in decl.fields {
            // A repeated field name is reported above; do not report its column a second time.
            guard duplicates.isEmpty || !duplicates.contains(field.name.location) else { continue }
            guard
                checkIdentifier(
                    field.name, what: "field", use: field.column == nil ? .databaseUnlessSet(object: "column", key: "column") : .schemaOnly)
            else { continue }
            var columnName = field.name.value
            if let explicit = field.column, checkIdentifier(explicit, what: "column", use: .quotedDatabaseName) { columnName = explicit.value }
            if let first = columnsSeen[columnName] {
                diagnostics.error(
                    "field '\(field.name.value)' uses the column name '\(columnName)', which another field of entity '\(decl.name.value)' already uses; give it a different 'column'",
                    at: field.column?.location ?? field.name.location, notes: [.init("first defined here", at: first)])
                continue
            }
            columnsSeen[columnName] = field.name.location
            guard let column = resolveField(field, columnName: columnName, table: tableNames[i]) else { continue }
            fieldColumns[i].append(PendingColumn(column: column, location: field.name.location, typeLocation: field.type.location))
        }
        if decl.timestamps {
            for name in ["created_at", "updated_at"] {
                if let clash = decl.fields.first(where: { $0.name.value == name || $0.column?.value == name }) {
                    diagnostics.error(
                        "field '\(clash.name.value)' clashes with the '\(name)' column that 'timestamps: true' adds; remove one of them",
                        at: clash.name.location)
                    continue
                }
                let column = Column(
                    name: name, type: .datetime, nullable: false, defaultValue: ColumnDefault(.now), onUpdateNow: name == "updated_at")
                timestampColumns[i].append(PendingColumn(column: column, location: decl.name.location, typeLocation: decl.name.location))
            }
        }
    }

    func resolveField(_ field: FieldDecl, columnName: String, table: String) -> Column? {
        guard let type = resolveType(field.type, field: field) else { return nil }
        var column = Column(name: columnName, field: field.name.value, type: type)
        column.nullable = field.nullable?.value ?? field.type.value.optionalMark
        column.comment = field.comment
        column.renamedFrom = field.renamedFrom?.value
        if let backfill = field.backfill {
            if backfill.value.trimmingCharacters(in: .whitespaces).isEmpty {
                diagnostics.error("'backfill' must be an SQL expression", at: backfill.location)
            } else {
                column.backfill = backfill.value
            }
        }
        if let from = field.renamedFrom { checkIdentifier(from, what: "renamed_from", use: .database) }
        column.sensitive = field.sensitive
        if !field.native.isEmpty {
            column.nativeTypes = Dictionary(uniqueKeysWithValues: field.native.map { ($0.key.rawValue, $0.value.value) })
        }
        if let d = field.defaultValue {
            // Keywords are recognised quoted too (JSON has no plain scalars) where the type gives them meaning.
            if case let .scalar(text, quoted) = d.value, text == "autoincrement", !quoted || type.isInteger {
                if field.autoincrement?.value == false {
                    diagnostics.error("'default: autoincrement' contradicts 'autoincrement: false'", at: d.location)
                }
            } else {
                column.defaultValue = resolveDefault(d, type: type, field: field)
            }
        }
        column.validation = resolveValidation(field, type: type)
        sourceMap[table: table, column: columnName] = field.name.location
        if let filterable = field.filterable {
            sourceMap[table: table, filterableColumn: columnName] = filterable.location
            let scalar: Bool
            switch type {
            case .json, .bytes, .array: scalar = false
            default: scalar = true
            }
            if filterable.value, !scalar {
                diagnostics.error("'filterable' applies to scalar fields, not \(type) ('\(field.name.value)')", at: filterable.location)
            } else if filterable.value, field.sensitive || field.encrypted?.value == true {
                diagnostics.error(
                    "'\(field.name.value)' is \(field.sensitive ? "sensitive" : "encrypted"): it cannot be filterable", at: filterable.location)
            } else {
                column.filterable = filterable.value
            }
        }
        if let encrypted = field.encrypted, encrypted.value {
            encrypt(&column, field: field, at: encrypted.location)
            sourceMap[table: table, encryptedColumn: columnName] = encrypted.location
        }
        if let validation = column.validation, validation.minimum != nil || validation.maximum != nil {
            var parts: [String] = []
            if let min = validation.minimum { parts.append("\(columnName) >= \(Self.number(min))") }
            if let max = validation.maximum { parts.append("\(columnName) <= \(Self.number(max))") }
            var perDialect: [String: String] = [:]
            if !SQLIdentifier.isBareSafe(columnName) {
                for dialect in Dialect.allCases {
                    let q = SQLIdentifier.quoted(columnName, for: dialect)
                    var quotedParts: [String] = []
                    if let min = validation.minimum { quotedParts.append("\(q) >= \(Self.number(min))") }
                    if let max = validation.maximum { quotedParts.append("\(q) <= \(Self.number(max))") }
                    perDialect[dialect.rawValue] = quotedParts.joined(separator: " AND ")
                }
            }
            let name = convention.checkName(table: table, constraint: "\(columnName)_range")
            pendingRangeChecks[table, default: []].append(
                (
                    CheckConstraint(
                        name: name, expression: parts.joined(separator: " AND "), dialectExpressions: perDialect.isEmpty ? nil : perDialect),
                    field.name.location
                ))
        }
        return column
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    // MARK: Types

    func resolveType(_ ref: Located<TypeRef>, field: FieldDecl) -> ColumnType? {
        let t = ref.value
        let canonical: String
        switch t.name {
        case "int", "bigint", "smallint", "float", "text", "bool", "date", "time", "datetime", "uuid", "json", "bytes", "string",
            "decimal", "array":
            canonical = t.name  // already lowercase, and no alias has one of these names
        default:
            let lowered = t.name.lowercased()
            canonical = ColumnType.aliases[lowered] ?? lowered
        }
        func noArguments(_ name: String) -> Bool {
            if !t.arguments.isEmpty {
                diagnostics.error("type '\(name)' takes no arguments", at: ref.location)
                return false
            }
            return true
        }
        if t.element.isEmpty == false, canonical != "array" {
            diagnostics.error("only 'array' takes an element type, not '\(t.name)'", at: ref.location)
            return nil
        }
        switch canonical {
        case "int": return noArguments("int") ? .int : nil
        case "bigint": return noArguments("bigint") ? .bigint : nil
        case "smallint": return noArguments("smallint") ? .smallint : nil
        case "float": return noArguments("float") ? .float : nil
        case "text": return noArguments("text") ? .text : nil
        case "bool": return noArguments("bool") ? .bool : nil
        case "date": return noArguments("date") ? .date : nil
        case "time": return noArguments("time") ? .time : nil
        case "datetime": return noArguments("datetime") ? .datetime : nil
        case "uuid": return noArguments("uuid") ? .uuid : nil
        case "json": return noArguments("json") ? .json : nil
        case "bytes": return noArguments("bytes") ? .bytes : nil
        case "string":
            if t.arguments.count > 1 {
                diagnostics.error("string takes one argument, its length: string(200)", at: ref.location)
                return nil
            }
            let fromArgs = t.arguments.first
            if let a = fromArgs, let l = field.length, a != l.value {
                diagnostics.error("length \(l.value) contradicts the type's length \(a)", at: l.location)
                return nil
            }
            let length = fromArgs ?? field.length?.value ?? 255
            if length < 1 || length > 16383 {
                diagnostics.error(
                    "string length must be between 1 and 16383 (use text for longer values), got \(length)",
                    at: field.length?.location ?? ref.location)
                return nil
            }
            return .string(length: length)
        case "decimal":
            if t.arguments.count > 2 {
                diagnostics.error("decimal takes at most two arguments: decimal(precision, scale)", at: ref.location)
                return nil
            }
            var precision = t.arguments.first ?? field.precision?.value
            var scale = t.arguments.count > 1 ? t.arguments[1] : field.scale?.value
            if precision == nil {
                diagnostics.warning("decimal without a precision; using decimal(18,2) (write decimal(p,s) to choose)", at: ref.location)
                precision = 18
                scale = scale ?? 2
            }
            let p = precision!, s = scale ?? 0
            if p < 1 || p > 65 {
                diagnostics.error("decimal precision must be between 1 and 65, got \(p)", at: field.precision?.location ?? ref.location)
                return nil
            }
            if s < 0 || s > p {
                diagnostics.error("decimal scale must be between 0 and the precision (\(p)), got \(s)", at: field.scale?.location ?? ref.location)
                return nil
            }
            return .decimal(precision: p, scale: s)
        case "array":
            guard let element = t.element.first else {
                diagnostics.error("array needs an element type: array<int> or int[]", at: ref.location)
                return nil
            }
            if element.name.lowercased() == "array" {
                diagnostics.error("arrays of arrays are not supported", at: ref.location)
                return nil
            }
            var elementField = field
            elementField.length = nil
            guard let resolved = resolveType(Located(element, at: ref.location), field: elementField) else { return nil }
            return .array(resolved)
        default:
            if enums[t.name] != nil {
                return noArguments(t.name) ? .enumeration(t.name) : nil
            }
            let candidates = ColumnType.scalarNames + ColumnType.aliases.keys.sorted() + enums.keys.sorted()
            diagnostics.error("unknown type '\(t.name)'\(Suggestions.hint(for: t.name, in: candidates))", at: ref.location)
            return nil
        }
    }

    // MARK: Defaults

    func resolveDefault(_ d: Located<DefaultDecl>, type: ColumnType, field: FieldDecl) -> ColumnDefault? {
        let text: String, quoted: Bool
        switch d.value {
        case let .sql(sql):
            if FastText.isBlank(sql) {
                diagnostics.error("an SQL default must not be empty", at: d.location)
                return nil
            }
            return ColumnDefault(.sql, sql)
        case let .scalar(t, q):
            text = t
            quoted = q
        }
        func bad(_ message: String) -> ColumnDefault? {
            diagnostics.error(message, at: d.location)
            return nil
        }
        if text == "now", !quoted || type.isTemporal {
            return type.isTemporal
                ? ColumnDefault(.now)
                : (isStringLike(type) ? ColumnDefault(.literal, text) : bad("'now' is a default for date, time and datetime fields, not \(type)"))
        }
        if text == "uuid", !quoted || type == .uuid {
            return type == .uuid
                ? ColumnDefault(.uuid)
                : (isStringLike(type) ? ColumnDefault(.literal, text) : bad("'uuid' is a default for uuid fields, not \(type)"))
        }
        switch type {
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on": return ColumnDefault(.literal, "true")
            case "false", "no", "off": return ColumnDefault(.literal, "false")
            default: break
            }
            return bad("the default of a bool field must be true or false, got '\(text)'")
        case .int, .bigint, .smallint:
            guard let v = Int64(text) else { return bad("the default of an integer field must be a whole number, got '\(text)'") }
            return ColumnDefault(.literal, String(v))
        case .float:
            guard Double(text) != nil else { return bad("the default of a float field must be a number, got '\(text)'") }
            return ColumnDefault(.literal, text)
        case let .decimal(p, s):
            // A plain number of a few digits always parses (both checks below); others are checked.
            guard Self.isShortPlainNumber(text) || (Decimal(string: text) != nil && Double(text) != nil) else {
                return bad("the default of a decimal field must be a number, got '\(text)'")
            }
            let parts = text.split(separator: ".")
            let fraction = parts.count > 1 ? parts[1].count : 0
            let whole = parts[0].filter(\.isNumber).count
            if fraction > s || whole > p - s { return bad("default \(text) does not fit decimal(\(p),\(s))") }
            return ColumnDefault(.literal, text)
        case let .string(length):
            if text.count > length { return bad("default '\(text)' is longer than the field's length \(length)") }
            return ColumnDefault(.literal, text)
        case .text:
            return ColumnDefault(.literal, text)
        case let .enumeration(name):
            guard enums[name]?.values.contains(where: { $0.value == text }) == true else {
                let values = enums[name]?.values.map(\.value) ?? []
                return bad(
                    "default '\(text)' is not a value of enum '\(name)'\(Suggestions.hint(for: text, in: values)) (values: \(values.joined(separator: ", ")))"
                )
            }
            return ColumnDefault(.literal, text)
        case .uuid:
            guard UUID(uuidString: text) != nil else { return bad("default '\(text)' is not a UUID (or 'uuid' for a random one)") }
            return ColumnDefault(.literal, text.lowercased())
        case .date, .time, .datetime:
            return bad("the default of a \(type) field is 'now' or {sql: \"...\"}, got '\(text)'")
        case .json:
            guard let data = text.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                return bad("the default of a json field must be JSON text such as '{}' or '[]'")
            }
            return ColumnDefault(.literal, text)
        case .array:
            // One spelling on every database: a JSON array (PostgreSQL's '{}' would be an object elsewhere).
            guard let data = text.data(using: .utf8), (try? JSONSerialization.jsonObject(with: data)) is [Any] else {
                return bad("the default of an array field must be a JSON array such as '[]' or '[\"a\", \"b\"]', got '\(text)'")
            }
            return ColumnDefault(.literal, text)
        case .bytes:
            return bad("bytes fields take only {sql: \"...\"} defaults")
        }
    }

    /// `-?[0-9]{1,15}(\.[0-9]{1,15})?` in ASCII: `Decimal(string:)` and `Double(_:)` accept all of these.
    static func isShortPlainNumber(_ text: String) -> Bool {
        var digits = 0, fractionDigits = 0, sawPoint = false, first = true
        for byte in text.utf8 {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first: continue
            case UInt8(ascii: "."):
                guard !sawPoint, digits > 0 else { return false }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawPoint { fractionDigits += 1 } else { digits += 1 }
            default: return false
            }
        }
        return digits >= 1 && digits <= 15 && (!sawPoint || (fractionDigits >= 1 && fractionDigits <= 15))
    }

    func isStringLike(_ type: ColumnType) -> Bool {
        switch type {
        case .string, .text: return true
        default: return false
        }
    }

    // MARK: Validation

    func resolveValidation(_ field: FieldDecl, type: ColumnType) -> Validation? {
        var v = Validation()
        if case let .string(length) = type { v.maxLength = length }
        if let minLength = field.minLength {
            if !isStringLike(type) {
                diagnostics.error("'min_length' applies to string and text fields, not \(type)", at: minLength.location)
            } else if minLength.value < 0 || (v.maxLength.map { minLength.value > $0 } ?? false) {
                diagnostics.error("'min_length' \(minLength.value) is outside 0...\(v.maxLength ?? Int.max)", at: minLength.location)
            } else {
                v.minLength = minLength.value
            }
        }
        if let pattern = field.pattern {
            if !isStringLike(type) {
                diagnostics.error("'pattern' applies to string and text fields, not \(type)", at: pattern.location)
            } else if (try? NSRegularExpression(pattern: pattern.value)) == nil {
                diagnostics.error("'pattern' is not a valid regular expression: \(pattern.value)", at: pattern.location)
            } else {
                v.pattern = pattern.value
            }
        }
        if let bound = field.minimum {
            if !type.isNumeric {
                diagnostics.error("'min' applies to numeric fields, not \(type)", at: bound.location)
            } else {
                v.minimum = bound.value
            }
        }
        if let bound = field.maximum {
            if !type.isNumeric {
                diagnostics.error("'max' applies to numeric fields, not \(type)", at: bound.location)
            } else {
                v.maximum = bound.value
            }
        }
        if let lo = v.minimum, let hi = v.maximum, lo > hi, let at = field.minimum?.location {
            diagnostics.error("'min' \(Self.number(lo)) is greater than 'max' \(Self.number(hi))", at: at)
            v.minimum = nil
            v.maximum = nil
        }
        if field.length != nil, case .string = type {
        } else if let l = field.length, !isStringLike(type) {
            diagnostics.error("'length' applies to string fields, not \(type)", at: l.location)
        }
        if (field.precision != nil || field.scale != nil), case .decimal = type {
        } else if let p = field.precision ?? field.scale {
            diagnostics.error("'precision' and 'scale' apply to decimal fields, not \(type)", at: p.location)
        }
        return v.isEmpty ? nil : v
    }

    // MARK: Primary keys

    func resolvePrimaryKey(_ i: Int) {
        let decl = entities[i]
        if decl.keyless != nil {
            if let flagged = decl.fields.first(where: { $0.primaryKey?.value == true }) {
                diagnostics.error(
                    "entity '\(decl.name.value)' says 'primary_key: false' but field '\(flagged.name.value)' is a primary key",
                    at: flagged.primaryKey?.location)
            }
            keyMembers[i] = []
            return
        }
        let flagged = decl.fields.filter { $0.primaryKey?.value == true }.map(\.name)
        if let list = decl.primaryKey {
            if !flagged.isEmpty {
                diagnostics.error(
                    "entity '\(decl.name.value)' declares its primary key twice: with 'primary_key' on fields and on the entity",
                    at: flagged[0].location)
            }
            keyMembers[i] = list
        } else if !flagged.isEmpty {
            keyMembers[i] = flagged
        } else if let id = decl.fields.first(where: { $0.name.value == "id" }) {
            keyMembers[i] = [id.name]
        } else {
            let column = Column(name: "id", type: .int, nullable: false, autoincrement: true)
            fieldColumns[i].insert(PendingColumn(column: column, location: decl.name.location, typeLocation: decl.name.location), at: 0)
            keyMembers[i] = [Located("id", at: decl.name.location)]
        }
        // Autoincrement: a single integer key column without a default, unless switched off.
        let members = keyMembers[i] ?? []
        for field in decl.fields {
            let wantsAuto =
                field.autoincrement?.value == true
                || {
                    if case let .scalar(t, q)? = field.defaultValue?.value, t == "autoincrement",
                        !q || (fieldColumns[i].first { $0.column.field == field.name.value }?.column.type.isInteger ?? false)
                    {
                        return true
                    }
                    return false
                }()
            let isKey = members.contains { $0.value == field.name.value }
            guard let c = fieldColumns[i].firstIndex(where: { $0.column.field == field.name.value }) else { continue }
            let column = fieldColumns[i][c].column
            if wantsAuto, !(isKey && members.count == 1 && column.type.isInteger) {
                let reason =
                    !isKey
                    ? "'\(field.name.value)' is not the primary key"
                    : !column.type.isInteger
                        ? "'\(field.name.value)' is \(column.type)" : "the primary key of '\(decl.name.value)' has \(members.count) columns"
                diagnostics.error(
                    "autoincrement applies to a single-column integer primary key only, and \(reason)",
                    at: field.autoincrement?.location ?? field.defaultValue?.location)
                continue
            }
            if isKey, members.count == 1, column.type.isInteger, column.defaultValue == nil, field.autoincrement?.value != false {
                fieldColumns[i][c].column.autoincrement = true
            }
        }
    }

    /// The primary-key columns of entity `i` (resolving relation members), or `nil` for none.
    func keyColumns(_ i: Int) -> [PendingColumn]? {
        if let memo = keyColumnsMemo[i] { return memo.isEmpty ? nil : memo }
        guard let members = keyMembers[i], !members.isEmpty else { return nil }
        if keyInProgress.contains(i) {
            diagnostics.error("the primary key of '\(entities[i].name.value)' depends on itself through its relations", at: members[0].location)
            keyColumnsMemo[i] = []
            return nil
        }
        keyInProgress.insert(i)
        defer { keyInProgress.remove(i) }
        var result: [PendingColumn] = []
        var failed = false
        for member in members {
            if let column = fieldColumns[i].first(where: { $0.column.field == member.value || $0.column.name == member.value }) {
                result.append(column)
            } else if entities[i].relations.contains(where: {
                $0.name.value == member.value && ($0.kind.value == .manyToOne || $0.kind.value == .oneToOne)
            }) {
                guard let columns = columns(forRelation: member.value, of: i) else {
                    failed = true
                    continue
                }
                result.append(contentsOf: columns)
            } else if entities[i].fields.contains(where: { $0.name.value == member.value }) {
                failed = true  // the field itself was invalid and already reported
            } else {
                diagnostics.error(
                    "primary key member '\(member.value)' is not a field or many-to-one relation of '\(entities[i].name.value)'\(Suggestions.hint(for: member.value, in: memberNames(of: i)))",
                    at: member.location)
                failed = true
            }
        }
        for pending in result where pending.column.nullable {
            diagnostics.error(
                "primary key column '\(pending.column.name)' of '\(entities[i].name.value)' cannot be nullable; a primary key is always NOT NULL",
                at: pending.location)
            failed = true
        }
        if failed {
            keyColumnsMemo[i] = []
            return nil
        }
        keyColumnsMemo[i] = result
        primaryKeys[i] = PrimaryKey(name: convention.primaryKeyName(table: tableNames[i]), columns: result.map(\.column.name))
        sourceMap[table: tableNames[i], object: primaryKeys[i]!.name] = members[0].location
        return result
    }
}
