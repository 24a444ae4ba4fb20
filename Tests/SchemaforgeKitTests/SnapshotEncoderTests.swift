import Foundation
import SchemaforgeKit
import Testing

@Suite("Snapshot JSON")
struct SnapshotEncoderTests {
    @Test("encoding is byte-identical across encodes and loads", arguments: Examples.names)
    func byteIdentical(example: String) throws {
        let first = try #require(try Examples.load(example).schema)
        let second = try #require(try Examples.load(example).schema)
        #expect(SnapshotEncoder.encode(first) == SnapshotEncoder.encode(first))
        #expect(SnapshotEncoder.encode(first) == SnapshotEncoder.encode(second))
    }

    @Test("object keys are sorted at every level; tables and enums are sorted by name", arguments: Examples.names)
    func sorted(example: String) throws {
        let schema = try #require(try Examples.load(example).schema)
        let json = SnapshotEncoder.encode(schema)
        #expect(JSONKeyOrder.unsortedKeys(in: json) == [])
        #expect(schema.tables.map(\.name) == schema.tables.map(\.name).sorted())
        #expect(schema.enums.map(\.name) == schema.enums.map(\.name).sorted())
        for table in schema.tables {
            #expect(table.foreignKeys.map(\.name) == table.foreignKeys.map(\.name).sorted(), "\(table.name)")
            #expect(table.indexes.map(\.name) == table.indexes.map(\.name).sorted(), "\(table.name)")
            #expect(table.relations.map(\.name) == table.relations.map(\.name).sorted(), "\(table.name)")
        }
        #expect(json.hasSuffix("}\n"))
        #expect(!json.contains("\\/"), "slashes are not escaped")
    }

    @Test("the key-order checker itself finds unsorted keys")
    func checkerWorks() {
        #expect(
            JSONKeyOrder.unsortedKeys(in: #"{"a": 1, "b": {"y": [1, {"q": "}", "p": 2}], "z": 0}}"#) == ["p after q"])
        #expect(JSONKeyOrder.unsortedKeys(in: #"{"a\"b": 1, "a\"c": [{"k": "v"}]}"#) == [])
        #expect(JSONKeyOrder.unsortedKeys(in: #"{"b": 1, "a": 2}"#) == ["a after b"])
    }

    @Test("the snapshot does not depend on the order entities are declared in")
    func declarationOrder() throws {
        let forward = """
            enums:
              Kind: [a, b]
            entities:
              Author:
                fields:
                  kind: Kind
              Book:
                relations:
                  author: {to: Author, back: books}
                  genres: {to: Genre, kind: many_to_many, back: books}
              Genre:
                fields:
                  name: string
            """
        let backward = """
            enums:
              Kind: [a, b]
            entities:
              Genre:
                fields:
                  name: string
              Book:
                relations:
                  author: {to: Author, back: books}
                  genres: {to: Genre, kind: many_to_many, back: books}
              Author:
                fields:
                  kind: Kind
            """
        let a = try #require(resolve(forward))
        let b = try #require(resolve(backward))
        #expect(SnapshotEncoder.encode(a) == SnapshotEncoder.encode(b))
    }

    @Test("decoding a snapshot gives the schema back; a snapshot with an unknown type is rejected")
    func decode() throws {
        let schema = try #require(try Examples.load("blog").schema)
        let json = SnapshotEncoder.encode(schema)
        #expect(try SnapshotEncoder.decode(json) == schema)
        let broken = json.replacingOccurrences(of: #""type" : "text""#, with: #""type" : "txet""#)
        #expect(broken != json)
        #expect(throws: (any Error).self) { try SnapshotEncoder.decode(broken) }
    }
}

/// Checks the order of object keys in JSON text, which `JSONSerialization` would lose.
enum JSONKeyOrder {
    /// "b after c" for each key that follows a greater key in the same object.
    static func unsortedKeys(in json: String) -> [String] {
        var problems: [String] = []
        // One entry per open container: nil for arrays, the last key seen for objects.
        var stack: [(isObject: Bool, lastKey: String?, expectingKey: Bool)] = []
        var chars = Array(json.unicodeScalars)[...]
        while let c = chars.popFirst() {
            switch c {
            case "{": stack.append((true, nil, true))
            case "[": stack.append((false, nil, false))
            case "}", "]": _ = stack.popLast()
            case ",": if let top = stack.last, top.isObject { stack[stack.count - 1].expectingKey = true }
            case "\"":
                var text = ""
                while let s = chars.popFirst(), s != "\"" {
                    if s == "\\", let escaped = chars.popFirst() {
                        text.unicodeScalars.append(s)
                        text.unicodeScalars.append(escaped)
                    } else {
                        text.unicodeScalars.append(s)
                    }
                }
                if let top = stack.last, top.isObject, top.expectingKey {
                    if let last = top.lastKey, last >= text { problems.append("\(text) after \(last)") }
                    stack[stack.count - 1].lastKey = text
                    stack[stack.count - 1].expectingKey = false
                }
            default: break
            }
        }
        return problems
    }
}
