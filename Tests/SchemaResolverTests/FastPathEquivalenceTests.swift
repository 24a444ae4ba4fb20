import Foundation
import Testing

@testable import SQLGenerator
@testable import SchemaModel
@testable import SchemaReaders
@testable import SchemaforgeKit

/// The performance work replaced general code on the hot paths with shortcuts that must give the
/// same answers. Each test here runs a shortcut and the general code it stands for (kept in the
/// sources, or restated here when it was replaced) on the same inputs, examples and seeded random
/// ones, and requires identical results.
@Suite("Fast paths give the same results as the general code")
struct FastPathEquivalenceTests {
    // MARK: YAML: libyaml events vs Yams.compose

    @Test("the event-built tree equals the Yams tree for every file the fast path accepts")
    func yamlFastPath() throws {
        var random = SeededRandom(seed: 1)
        var accepted = 0
        var declined = 0
        var texts = try Corpus.examples + Corpus.yamlStyles + [Corpus.generatedSchema(entities: 40)]
        for example in try Corpus.examples {
            for _ in 0..<100 { texts.append(Corpus.mutate(example, using: &random)) }
        }
        for text in texts {
            let reference = YAMLSyntaxReader.parseWithYams(text, file: "m.yaml")
            if let fast = YAMLEventTreeBuilder.build(text, file: "m.yaml") {
                accepted += 1
                guard case .success(let node) = reference else {
                    Issue.record("fast path accepted text that Yams rejects (\(reference)):\n\(text)")
                    continue
                }
                #expect(fast == node, "trees differ for:\n\(text)")
            } else {
                declined += 1
            }
            #expect(YAMLSyntaxReader.parse(text, file: "m.yaml") == reference)
        }
        for example in try Corpus.examples {
            #expect(YAMLEventTreeBuilder.build(example, file: "m.yaml") != nil, "the examples take the fast path")
        }
        #expect(
            accepted > 100 && declined > 50,
            "accepted \(accepted), declined \(declined): the corpus exercises both paths")
    }

    @Test("duplicate keys, aliases, several documents and syntax errors leave the decision to Yams")
    func yamlDeclines() {
        let cases = [
            "a: 1\na: 2\n", "a: 1\n'a': 2\n", "x: &k 1\ny: *k\n", "a: 1\n---\nb: 2\n", "a: [1, 2\n", "",
            "# only a comment\n",
            "? [a]\n: 1\n", "{[a]: 1}\n", "K: 1\n\u{212A}: 2\n",
        ]
        for text in cases {
            #expect(YAMLEventTreeBuilder.build(text, file: "m.yaml") == nil, "\(text)")
        }
    }

    // MARK: Decoder

    @Test("type spellings read by bytes equal the Character-based reading")
    func typeSpellings() {
        var random = SeededRandom(seed: 2)
        var spellings = [
            "string", "string(200)", "decimal(12, 2)", "decimal( 12 ,2 )", "array<int>", "array< int >", "int[]",
            "int[][]",
            " Role ", "text?", "string()", "string(,)", "string(1,,2)", "(", ")", "()", "<>", "a<", "a>", "a(b",
            "a(1)b", "[]",
            "a[]]", "a b", "a,b", "decimal(\t3)", "\tint", "int\r\n", "a<b<c<d<e<f<g<h<i<j>>>>>>>>>", "x(1)(2)",
            "<int>", "(1)",
            "array<int[]>", "map<string, int>", "int\u{A0}", "\u{2003}int", "é", "a\u{301}(1)", "string(２)",
        ]
        let alphabet = ["a", "b", "1", "2", " ", "\t", "(", ")", ",", "<", ">", "[", "]", "?", "\r\n", "\n"]
        for _ in 0..<3000 { spellings.append(random.string(from: alphabet, maxLength: 12)) }
        for spelling in spellings {
            #expect(
                DocumentDecoder.parseType(spelling, depth: 0)
                    == DocumentDecoder.parseType(spelling, depth: 0, byCharacters: true),
                "\(spelling.debugDescription)")
        }
    }

    @Test("key lookups by fingerprint find what String equality finds")
    func keyLookups() {
        let location = SchemaModel.SourceLocation(file: "k.yaml", line: 1, column: 1)
        let keys = ["type", "\u{212A}ey", "Key", "e\u{301}", "é", "nullable", "", "min", "max", "t\u{301}ype"]
        let mapping = SyntaxMapping(
            entries: keys.enumerated().map { n, key in
                SyntaxEntry(
                    key: SyntaxScalar(value: key, isQuoted: false, location: location),
                    value: .scalar(SyntaxScalar(value: "\(n)", isQuoted: false, location: location)))
            },
            location: location)
        for probe in ["type", "Key", "min", "max", "nullable", "x", "types"] {
            #expect(
                mapping.value(forASCII: probe) == mapping.entries.first { $0.key.value == probe }?.value, "\(probe)")
        }
        for probe in keys + ["é", "K"] {
            #expect(mapping.value(for: probe) == mapping.entries.first { $0.key.value == probe }?.value, "\(probe)")
        }
        let spec = DocumentDecoder.KeySpec(["type", "Key", "é", "nullable"])
        for key in keys {
            let scalar = SyntaxScalar(value: key, isQuoted: false, location: location)
            #expect(spec.contains(scalar) == spec.set.contains(key), "\(key)")
        }
    }

    // MARK: Compact source locations

    @Test("source locations behave like stored file, line and column")
    func sourceLocations() throws {
        typealias Location = SchemaModel.SourceLocation
        let extremes = [
            Int.min, Int(Int32.min) - 1, Int(Int32.min), Int(Int32.min) + 1, -1, 0, 1, 42, Int(Int32.max),
            Int(Int32.max) + 1, Int.max,
        ]
        for line in extremes {
            for column in extremes {
                var location = Location(file: "a/b.yaml", line: line, column: column)
                #expect(location.line == line && location.column == column && location.file == "a/b.yaml")
                #expect(location == Location(file: "a/b.yaml", line: line, column: column))
                #expect(location.hashValue == Location(file: "a/b.yaml", line: line, column: column).hashValue)
                #expect(location != Location(file: "a/b.yaml", line: line, column: column &+ 1))
                location.line = 7
                #expect(location.line == 7 && location.column == column)
                location.column = line
                #expect(location.line == 7 && location.column == line)
                let data = try JSONEncoder().encode(location)
                #expect(try JSONDecoder().decode(Location.self, from: data) == location)
            }
        }
        // Paths keep their spelling; equal strings (canonically equivalent) make equal locations.
        let composed = Location(file: "caf\u{E9}.yaml", line: 1, column: 2)
        let decomposed = Location(file: "cafe\u{301}.yaml", line: 1, column: 2)
        #expect(composed.file.unicodeScalars.count == 9 && decomposed.file.unicodeScalars.count == 10)
        #expect(composed == decomposed && composed.hashValue == decomposed.hashValue)
        #expect(composed != Location(file: "cafe.yaml", line: 1, column: 2))
        var moved = composed
        moved.file = "other.yaml"
        #expect(moved.file == "other.yaml" && moved.description == "other.yaml:1:2")
        let json = String(decoding: try JSONEncoder().encode(Location(file: "x", line: 3, column: 4)), as: UTF8.self)
        #expect(json.contains("\"file\":\"x\"") && json.contains("\"line\":3") && json.contains("\"column\":4"))
        #expect(MemoryLayout<Location>.size == 16)
    }

    @Test("the key enums name the keys of their specs, in order")
    func keyEnums() {
        #expect(EntityKey.allCases.map { String(describing: $0) } == DocumentDecoder.entityKeys.keys)
        #expect(FieldKey.allCases.map { String(describing: $0) } == DocumentDecoder.fieldKeys.keys)
        #expect(RelationKey.allCases.map { String(describing: $0) } == DocumentDecoder.relationKeys.keys)
        #expect(EntityKey.allCases.map(\.rawValue) == Array(0..<EntityKey.allCases.count))
        #expect(FieldKey.allCases.map(\.rawValue) == Array(0..<FieldKey.allCases.count))
        #expect(RelationKey.allCases.map(\.rawValue) == Array(0..<RelationKey.allCases.count))
        // And a keyed lookup is `value(for:)`, duplicates and Unicode-equal keys included.
        let location = SchemaModel.SourceLocation(file: "k.yaml", line: 1, column: 1)
        let keys = ["type", "nullable", "type", "\u{212A}", "default", "min", "max", "items", "x"]
        let mapping = SyntaxMapping(
            entries: keys.enumerated().map { n, key in
                SyntaxEntry(
                    key: SyntaxScalar(value: key, isQuoted: false, location: location),
                    value: .scalar(SyntaxScalar(value: "\(n)", isQuoted: false, location: location)))
            },
            location: location)
        let keyed = Keyed<FieldKey>(mapping)
        for key in FieldKey.allCases {
            #expect(keyed[key] == mapping.value(for: String(describing: key)), "\(key)")
        }
    }

    // MARK: Text helpers vs Foundation

    @Test("FastText answers like the Foundation calls it replaces")
    func fastText() {
        var random = SeededRandom(seed: 3)
        let alphabet = [
            " ", "\t", "\u{A0}", "\u{2003}", "\u{200B}", "\u{3000}", "\u{1680}", "\u{202F}", "a", "Z", "é", "e\u{301}",
            "\u{301}", "\n",
            "\r\n", "'", "\"", "`", "\\", "%", "_", "😀",
        ]
        var texts = ["", " ", "\t", "a", " a ", "\u{A0}a\u{A0}", "a\u{301}", " \u{301}"]
        for _ in 0..<3000 { texts.append(random.string(from: alphabet, maxLength: 8)) }
        for text in texts {
            #expect(
                FastText.trimmingWhitespace(text) == text.trimmingCharacters(in: .whitespaces),
                "\(text.debugDescription)")
            let sub = Substring(text).dropFirst(text.isEmpty ? 0 : 1)
            #expect(
                FastText.trimmingWhitespace(sub) == sub.trimmingCharacters(in: .whitespaces), "\(sub.debugDescription)")
            #expect(
                FastText.isBlank(text) == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text.debugDescription)")
            for target: Unicode.Scalar in [" ", "'", "\"", "`", "\\"] {
                let replacement = target == "\\" ? "\\\\" : "_\(target)"
                #expect(
                    FastText.replacing(target, with: replacement, in: text)
                        == text.replacingOccurrences(of: String(target), with: replacement),
                    "\(text.debugDescription) \(target)")
            }
            #expect(FastText.isASCII(text) == text.unicodeScalars.allSatisfy(\.isASCII))
            for needle in ["a", "{n}", "n %", "e", "_%", "\"\""] {
                #expect(FastText.contains(needle, in: text) == text.contains(needle), "\(text.debugDescription) \(needle.debugDescription)")
            }
            for target in ["{n}", "aa", "\\", "_%", "e\u{301}", "\"\"\""] {
                #expect(
                    FastText.replacing(target, with: "<\(target.count)>", in: text + target + text)
                        == (text + target + text).replacingOccurrences(of: target, with: "<\(target.count)>"),
                    "\(text.debugDescription) \(target.debugDescription)")
            }
        }
    }

    @Test("naming-convention names equal the five sequential replacements")
    func namingConvention() {
        var random = SeededRandom(seed: 4)
        let pieces = [
            "ix_", "_", "%(table_name)s", "%(column_0_N_name)s", "%(column_0_name)s", "%(referred_table_name)s",
            "%(constraint_name)s", "%",
            "%(", ")s", "%(other)s", "é", "%(table_name)x", "s",
        ]
        let values = ["post", "user_id", "a%b", "x(y)s", "é", "", "%(table_name)s", "column_0_N", "e\u{301}"]
        func reference(
            _ pattern: String, _ table: String, _ columns: [String], _ referred: String, _ constraint: String
        ) -> String {
            var result = pattern
            result = result.replacingOccurrences(of: "%(table_name)s", with: table)
            result = result.replacingOccurrences(of: "%(column_0_N_name)s", with: columns.joined(separator: "_"))
            result = result.replacingOccurrences(of: "%(column_0_name)s", with: columns.first ?? "")
            result = result.replacingOccurrences(of: "%(referred_table_name)s", with: referred)
            result = result.replacingOccurrences(of: "%(constraint_name)s", with: constraint)
            return result
        }
        var fast = 0
        for n in 0..<4000 {
            let pattern = (0..<random.next(upTo: 6)).map { _ in random.element(of: pieces) }.joined()
            // Mostly plain values (the fast path), sometimes awkward ones (the fallback).
            let pick = { (random: inout SeededRandom) in
                n % 3 == 0 ? random.element(of: values) : random.element(of: ["post", "user_id", "order", "a1"])
            }
            let table = pick(&random)
            let referred = pick(&random)
            let constraint = pick(&random)
            let columns = (0..<random.next(upTo: 3)).map { _ in pick(&random) }
            let expected = reference(pattern, table, columns, referred, constraint)
            if let name = NamingConvention.substitute(
                pattern, table: table, columns: columns, referredTable: referred, constraint: constraint)
            {
                fast += 1
                #expect(name == expected, "\(pattern) \(table) \(columns) \(referred) \(constraint)")
            }
            // The public names (fast path or fallback) equal the replacements with each name's inputs.
            let convention = NamingConvention(
                index: pattern, unique: pattern, check: pattern, foreignKey: pattern, primaryKey: pattern)
            #expect(
                convention.foreignKeyName(table: table, columns: columns, referredTable: referred)
                    == reference(pattern, table, columns, referred, ""))
            #expect(
                convention.checkName(table: table, constraint: constraint)
                    == reference(pattern, table, [], "", constraint))
            #expect(convention.indexName(table: table, columns: columns) == reference(pattern, table, columns, "", ""))
        }
        #expect(fast > 1000)
    }

    @Test("bare-safe names and snake case by bytes equal the general definitions")
    func identifiers() {
        var random = SeededRandom(seed: 5)
        var names =
            Array(ReservedWords.sql) + ReservedWords.sql.map { $0.uppercased() } + [
                "", "_", "a", "1a", "a1", "id", "é", "Order", "order_",
            ]
        let alphabet = ["a", "b", "z", "A", "Z", "0", "9", "_", "-", " ", "é", "\u{212A}"]
        for _ in 0..<3000 { names.append(random.string(from: alphabet, maxLength: 10)) }
        for name in names {
            let general =
                Identifiers.isPlainIdentifier(name) && name == name.lowercased() && !ReservedWords.isReserved(name)
            #expect(SQLIdentifier.isBareSafe(name) == general, "\(name.debugDescription)")
            #expect(
                Identifiers.isPlainIdentifier(name)
                    == (name.unicodeScalars.first.map {
                        ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || $0 == "_"
                    } ?? false
                        && name.unicodeScalars.allSatisfy {
                            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
                                || $0 == "_"
                        }),
                "\(name.debugDescription)")
        }
        var words = [
            "BlogPost", "HTTPRequest", "userID", "ABC", "aBC", "A1B", "a1B", "_X", "X_Y", "ab__C", "Entity00001", "",
        ]
        let letters = ["a", "B", "c", "D", "1", "_", "X", "y", "Q2"]
        for _ in 0..<3000 { words.append(random.string(from: letters, maxLength: 9)) }
        for word in words {
            #expect(Identifiers.snakeCase(word) == Identifiers.unicodeSnakeCase(word), "\(word)")
        }
    }

    // MARK: DDL order

    @Test("table creation order equals the original quadratic selection")
    func creationOrder() {
        var random = SeededRandom(seed: 6)
        for _ in 0..<300 {
            let count = 1 + random.next(upTo: 12)
            let names = (0..<count).map { "t\($0)" }.shuffled(using: &random)
            let tables = names.map { name -> Table in
                let fks = (0..<random.next(upTo: 4)).map { n -> ForeignKey in
                    let target = random.next(upTo: 5) == 0 ? "missing" : random.element(of: names)
                    return ForeignKey(
                        name: "fk_\(name)_\(n)", columns: ["c\(n)"], referencedTable: target, referencedColumns: ["id"])
                }
                return Table(name: name, entity: name, columns: [], primaryKey: nil, foreignKeys: fks)
            }.sorted { $0.name < $1.name }
            let schema = Schema(name: "s", enums: [], tables: tables)
            for dialect in Dialect.allCases {
                let fast = DDLGenerator(dialect: dialect).creationOrder(schema)
                let reference = ReferenceOrder.creationOrder(schema, dialect: dialect)
                #expect(fast.tables.map(\.name) == reference.tables.map(\.name))
                #expect(fast.deferred == reference.deferred)
            }
        }
    }

    @Test("text built in place retries with more room until it fits")
    func textBuffer() {
        let pieces = ["CREATE TABLE ", "\"é\"", " (\n", String(repeating: "x", count: 300), ")", ""]
        for capacity in [1, 16, 17, 40, 400, 4000] {
            let text = TextBuffer.build(capacity: capacity) { out in
                for piece in pieces { out.add(piece) }
                out.add(";" as StaticString)
            }
            #expect(text == pieces.joined() + ";")
        }
    }

    // MARK: Snapshot JSON

    @Test("the snapshot writer produces JSONEncoder's bytes", arguments: ["blog", "shop", "org_chart"])
    func snapshotExamples(example: String) throws {
        let text = try String(
            contentsOf: Corpus.root.appendingPathComponent("examples/\(example).yaml"), encoding: .utf8)
        let schema = try #require(GeneratorPipeline.load(text: text, file: "\(example).yaml").schema)
        #expect(SnapshotEncoder.encode(schema) == SnapshotEncoder.jsonEncoderReference(schema))
    }

    @Test("the snapshot writer matches JSONEncoder on a generated schema and on every optional field")
    func snapshotEverything() throws {
        let generated = try #require(
            GeneratorPipeline.load(text: Corpus.generatedSchema(entities: 40), file: "gen.yaml").schema)
        #expect(SnapshotEncoder.encode(generated) == SnapshotEncoder.jsonEncoderReference(generated))
        let full = Corpus.everyFieldSchema(strings: Corpus.awkwardStrings, numbers: Corpus.awkwardNumbers)
        #expect(SnapshotEncoder.encode(full) == SnapshotEncoder.jsonEncoderReference(full))
        // A first guess that is too small is retried with more room, to the same bytes.
        for capacity in [1, 100, 1000] {
            #expect(
                SnapshotEncoder.encode(full, initialCapacity: capacity) == SnapshotEncoder.jsonEncoderReference(full))
        }
        let invalid = Corpus.everyFieldSchema(strings: ["x"], numbers: [.nan])
        #expect(SnapshotEncoder.encode(invalid) == SnapshotEncoder.jsonEncoderReference(invalid))
        #expect(SnapshotEncoder.encode(invalid) == "\n")
    }

    /// The writer lists each type's coding keys by hand; a property added to the IR must be added
    /// there too (this test then fails until it is).
    @Test("the snapshot writer knows every stored property of the IR")
    func snapshotCoversTheIR() {
        let schema = Corpus.everyFieldSchema(strings: ["x"], numbers: [1])
        let table = schema.tables[0]
        let column = table.columns[0]
        let expected: [(Any, [String])] = [
            (schema, ["formatVersion", "name", "namingConvention", "enums", "tables", "auth"]),
            (schema.auth!, ["user", "login", "password", "role", "registration"]),
            (table.access!, ["owner", "read", "create", "update", "delete"]),
            (table.access!.read, ["anyone", "authenticated", "owner", "roles"]),
            (schema.namingConvention, ["index", "unique", "check", "foreignKey", "primaryKey"]),
            (schema.enums[0], ["name", "databaseName", "values", "comment", "renamedValues"]),
            (
                table,
                [
                    "name", "entity", "comment", "renamedFrom", "columns", "primaryKey", "foreignKeys", "uniques",
                    "checks", "indexes", "relations", "mongo", "access", "managedBy", "search",
                ]
            ),
            (table.search!, ["columns", "language", "vectorColumn", "name"]),
            (
                column,
                [
                    "name", "field", "type", "nullable", "defaultValue", "autoincrement", "onUpdateNow", "comment",
                    "renamedFrom", "sensitive", "validation", "nativeTypes", "relation", "backfill", "encrypted", "filterable",
                ]
            ),
            (column.defaultValue!, ["kind", "value"]),
            (column.validation!, ["minLength", "maxLength", "pattern", "minimum", "maximum"]),
            (table.primaryKey!, ["name", "columns"]),
            (
                table.foreignKeys[0],
                ["name", "columns", "referencedTable", "referencedColumns", "onDelete", "onUpdate"]
            ),
            (table.uniques[0], ["name", "columns"]),
            (MongoOptions(), ["collection", "additionalProperties", "ttlField", "ttlSeconds", "textFields"]),
            (table.checks[0], ["name", "expression", "dialectExpressions"]),
            (table.indexes[0], ["name", "columns", "expressions", "unique", "predicate", "method"]),
            (
                table.relations[0],
                [
                    "name", "kind", "targetEntity", "targetTable", "back", "foreignKey", "joinTable",
                    "targetForeignKey", "throughEntity", "nullable", "read", "embed",
                ]
            ),
        ]
        for (value, keys) in expected {
            #expect(
                Mirror(reflecting: value).children.compactMap(\.label) == keys,
                "\(type(of: value)): update SnapshotJSONWriter")
        }
    }
}

// MARK: - Support

/// SplitMix64: a small deterministic generator, so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func element<T>(of items: [T]) -> T { items[next(upTo: items.count)] }

    mutating func string(from alphabet: [String], maxLength: Int) -> String {
        (0..<next(upTo: maxLength + 1)).map { _ in element(of: alphabet) }.joined()
    }
}

enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var examples: [String] {
        get throws {
            try ["blog", "shop", "org_chart"].map {
                try String(contentsOf: root.appendingPathComponent("examples/\($0).yaml"), encoding: .utf8)
            }
        }
    }

    /// YAML written in the styles libyaml distinguishes: flow and block, quoting, block scalars,
    /// comments, documents markers, tags, anchors without aliases, CRLF, a BOM, JSON.
    static let yamlStyles = [
        "a: 1\nb: [x, 'y', \"z\"]\nc: {d: e, 'f': \"g\"}\n",
        "%YAML 1.1\n---\nentities:\n  A:\n    fields:\n      x: int\n...\n",
        "key: |\n  line one\n  line two\nother: >-\n  folded\n  text\n",
        "? complex\n: value\nplain multi\n  line: v\n",
        "a: !!str 1\nb: !custom x\nc: &anchor {x: 1}\n",
        "\u{FEFF}a: 1\r\nb: 2\r\n",
        "{\"schema\": 1, \"entities\": {\"A\": {\"fields\": {\"x\": \"int\", \"y\": null}}}}",
        "a:\n- 1\n- - 2\n  - 3\n- {x: [4, {y: 5}]}\n",
        "# comment\na: b # trailing\n\n\nc:    d   \n",
        "a: \"esc \\t \\u00e9 \\\\ \\\" \\n\"\nb: 'it''s'\nc: ~\nd:\ne: ''\n",
        "unicode: éà 😀\nkey é: \u{212A}\n\"quoted key\": 1\n'single': 2\n",
        "a: [\n  1,\n  2,\n]\nb: {\n  c: 3,\n}\n",
        "- top\n- level\n- list\n",
        "scalar at the root\n",
        "a: 1\n\t\nb: 2\n",
        "a:\n  - b: 1\n    c: 2\n  - d: 3\n",
        "a: x: y\n",
        "a: [1, 2\n",
        "a: 'unterminated\n",
    ]

    /// A schema shaped like bench/generate_schema.py's: fields of every kind, relations, indexes.
    static func generatedSchema(entities: Int) -> String {
        var text =
            "schema: 1\nname: generated\nenums:\n  Status: [draft, active, archived]\n  Color: [red, green]\nentities:\n"
        for n in 0..<entities {
            let parent = max(0, n - 1)
            let owner = n / 2
            text += """
                  Entity\(n):
                    comment: Entity number \(n)
                    fields:
                      code: {type: string(\(20 + n % 5 * 10)), unique: true}
                      quantity: {type: int, default: 0, min: 0, max: \(n * 1000 + 10)}
                      ratio: {type: float, min: -1.5, max: 2.25e3}
                      amount: {type: decimal, precision: 12, scale: 2, default: 0}
                      active: {type: bool, default: true, index: true}
                      happened_at: {type: datetime, default: now}
                      notes: text?
                      public_id: {type: uuid, default: uuid}
                      payload: {type: json, nullable: true}
                      tags: {type: "array<string>", nullable: true}
                      state: {type: \(n % 2 == 0 ? "Status" : "Color"), default: \(n % 2 == 0 ? "draft" : "red")}
                    relations:
                      parent: {to: Entity\(parent), nullable: true, on_delete: set_null}
                      owner: {to: Entity\(owner), kind: many_to_one, on_delete: cascade}

                """
            if n % 3 == 0 {
                text +=
                    "    indexes:\n      - [state, happened_at]\n      - {fields: [code], where: \"active\", name: ix_partial_\(n)}\n"
            }
            if n % 4 == 0 { text += "    checks:\n      - {name: amount_ok, expr: \"amount <= 1000\"}\n" }
            if n % 5 == 0 { text += "    unique:\n      - [parent, public_id]\n" }
            if n % 7 == 0 { text += "    timestamps: true\n" }
        }
        return text
    }

    /// One random edit: delete, insert or replace a character, duplicate or drop a line.
    static func mutate(_ text: String, using random: inout SeededRandom) -> String {
        var scalars = Array(text.unicodeScalars)
        let inserts: [Unicode.Scalar] = [
            ":", "-", "#", "'", "\"", "&", "*", "!", "|", ">", "[", "]", "{", "}", ",", " ", "\t", "\n", "é", "?", "%",
            "@", "\u{212A}",
        ]
        switch random.next(upTo: 5) {
        case 0 where !scalars.isEmpty:
            scalars.remove(at: random.next(upTo: scalars.count))
        case 1:
            scalars.insert(random.element(of: inserts), at: random.next(upTo: scalars.count + 1))
        case 2 where !scalars.isEmpty:
            scalars[random.next(upTo: scalars.count)] = random.element(of: inserts)
        default:
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let n = random.next(upTo: lines.count)
            if random.next(upTo: 2) == 0 { lines.insert(lines[n], at: n) } else { lines.remove(at: n) }
            return lines.joined(separator: "\n")
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    static let awkwardStrings = [
        "plain", "", "quote \" and backslash \\", "slash / stays", "tab\tnewline\ncr\r", "\u{0}\u{1}\u{1F}\u{7F}\u{80}",
        "é e\u{301} 😀 \u{2028}",
        "{[,:]}", "%(table_name)s",
    ]
    static let awkwardNumbers: [Double] = [
        0, -0.0, 1, 1.5, -2.25, 1e20, 1e-7, 123_456_789_012_345_678, 0.1, 1e300, 5e-324, 1e15, 1e16, 100,
    ]

    /// A schema whose every optional field is set, with the given strings and numbers spread over it.
    static func everyFieldSchema(strings: [String], numbers: [Double]) -> Schema {
        var s = strings.makeIterator()
        var d = numbers.makeIterator()
        func text() -> String {
            if let next = s.next() { return next }
            s = strings.makeIterator()
            return s.next()!
        }
        func number() -> Double {
            if let next = d.next() { return next }
            d = numbers.makeIterator()
            return d.next()!
        }
        var tables: [Table] = []
        for n in 0..<max(3, numbers.count / 2) {
            let columns = (0..<3).map { c in
                var column = Column(
                    name: text() + "\(c)", field: text(),
                    type: [ColumnType.int, .decimal(precision: 12, scale: 2), .array(.enumeration(text()))][c],
                    nullable: c == 1, defaultValue: ColumnDefault(.literal, text()), autoincrement: c == 0,
                    onUpdateNow: c == 2,
                    comment: text(), renamedFrom: text(), sensitive: c == 1,
                    validation: Validation(
                        minLength: c, maxLength: 10 + c, pattern: text(), minimum: number(), maximum: number()),
                    nativeTypes: ["postgresql": text(), "mysql": text(), "sqlite": text(), text(): text()],
                    relation: text())
                column.backfill = text()
                column.encrypted = c == 2
                return column
            }
            tables.append(
                Table(
                    name: "t\(n)" + text(), entity: text(), comment: text(), renamedFrom: text(), columns: columns,
                    primaryKey: PrimaryKey(name: text(), columns: [text(), text()]),
                    foreignKeys: [
                        ForeignKey(
                            name: text(), columns: [text()], referencedTable: text(), referencedColumns: [text()],
                            onDelete: .setNull, onUpdate: .cascade),
                        ForeignKey(name: text(), columns: [], referencedTable: text(), referencedColumns: []),
                    ],
                    uniques: [UniqueConstraint(name: text(), columns: [text(), text()])],
                    checks: [
                        CheckConstraint(
                            name: text(), expression: text(),
                            dialectExpressions: ["mysql": text(), "postgresql": text()]),
                        CheckConstraint(name: text(), expression: text()),
                    ],
                    indexes: [
                        Index(
                            name: text(), columns: [text()], expressions: [text()], unique: true, predicate: text(),
                            method: .gin), Index(name: text(), columns: []),
                    ],
                    relations: [
                        Relation(
                            name: text(), kind: .manyToMany, targetEntity: text(), targetTable: text(), back: text(),
                            foreignKey: text(), joinTable: text(),
                            targetForeignKey: text(), throughEntity: text(), nullable: true
                        ).with(read: .nested),
                        Relation(
                            name: text(), kind: .oneToOneInverse, targetEntity: text(), targetTable: text(), back: nil,
                            foreignKey: text()),
                    ]))
            tables[tables.count - 1].relations[0].embed = n % 2 == 1
            tables[tables.count - 1].mongo = MongoOptions(
                collection: text(), additionalProperties: n % 2 == 0, ttlField: text(), ttlSeconds: 3600, textFields: [text(), text()])
            tables[tables.count - 1].access = EntityAccess(
                owner: n % 2 == 0 ? text() : nil, read: AccessRule(anyone: true), create: AccessRule(authenticated: true, roles: [text(), text()]),
                update: AccessRule(owner: true), delete: AccessRule(roles: []))
            tables[tables.count - 1].managedBy = n % 2 == 0 ? text() : nil
            tables[tables.count - 1].search =
                n % 2 == 0 ? TextSearch(columns: [text(), text()], language: text(), vectorColumn: text(), name: text()) : nil
        }
        let enums = [
            EnumType(
                name: text(), databaseName: text(), values: [text(), text()], comment: text(),
                renamedValues: Dictionary([(text(), text()), (text(), text())], uniquingKeysWith: { a, _ in a })),
            EnumType(name: text(), databaseName: text(), values: []),
        ]
        var schema = Schema(name: text(), namingConvention: .standard, enums: enums, tables: tables)
        schema.auth = AuthConfig(user: text(), login: text(), password: text(), role: text(), registration: false)
        return schema
    }
}

/// `DDLGenerator.creationOrder` as it was before the heap-based version: rescans the remaining
/// tables from the start after every table it creates.
enum ReferenceOrder {
    static func creationOrder(_ schema: Schema, dialect: Dialect) -> (tables: [Table], deferred: [String: Set<String>]) {
        var remaining = schema.tables
        var created: Set<String> = []
        var order: [Table] = []
        var deferred: [String: Set<String>] = [:]
        // A foreign key to a table outside the schema (an existing one) never blocks.
        let names = Set(schema.tables.map(\.name))
        func blockers(_ table: Table) -> [ForeignKey] {
            table.foreignKeys.filter {
                $0.referencedTable != table.name && names.contains($0.referencedTable) && !created.contains($0.referencedTable)
            }
        }
        func create(at index: Int) {
            let table = remaining.remove(at: index)
            order.append(table)
            created.insert(table.name)
        }
        while !remaining.isEmpty {
            if let index = remaining.firstIndex(where: { blockers($0).isEmpty }) {
                create(at: index)
                continue
            }
            let edges = Dictionary(
                uniqueKeysWithValues: remaining.map { ($0.name, Set(blockers($0).map(\.referencedTable))) })
            func reaches(_ from: String, _ goal: String) -> Bool {
                var stack = [from]
                var seen: Set<String> = [from]
                while let next = stack.popLast() {
                    if next == goal { return true }
                    for n in edges[next] ?? [] where seen.insert(n).inserted { stack.append(n) }
                }
                return false
            }
            let index =
                remaining.firstIndex { table in (edges[table.name] ?? []).allSatisfy { reaches($0, table.name) } } ?? 0
            if dialect != .sqlite { deferred[remaining[index].name] = Set(blockers(remaining[index]).map(\.name)) }
            create(at: index)
        }
        return (order, deferred)
    }
}

extension Relation {
    func with(read: RelationRead) -> Relation {
        var copy = self
        copy.read = read
        return copy
    }
}
