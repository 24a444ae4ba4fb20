import Foundation

/// The schema snapshot kept beside the migrations: the resolved schema plus a checksum of its
/// canonical JSON, so a corrupted or hand-edited snapshot is detected instead of silently diffed.
public enum MigrationSnapshot {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// `{"checksum": "md5:...", "schema": {...}}` with the schema in its stable snapshot form.
    public static func encode(_ schema: Schema) -> String {
        var canonical = SnapshotEncoder.encode(schema)
        let checksum = Self.checksum(canonical)
        let head = Array("{\n  \"checksum\" : \"\(checksum)\",\n  \"schema\" : ".utf8), tail = Array("\n}\n".utf8)
        // One pass into the final text: the schema nested one level, every line after the first
        // indented by two spaces.
        return canonical.withUTF8 { source -> String in
            var end = source.count
            while end > 0, source[end - 1] == UInt8(ascii: "\n") { end -= 1 }
            var newlines = 0
            for i in 0..<end where source[i] == UInt8(ascii: "\n") { newlines += 1 }
            return String(unsafeUninitializedCapacity: head.count + end + 2 * newlines + tail.count) { out in
                var w = 0
                for byte in head {
                    out[w] = byte
                    w += 1
                }
                for i in 0..<end {
                    let byte = source[i]
                    out[w] = byte
                    w += 1
                    if byte == UInt8(ascii: "\n") {
                        out[w] = 0x20
                        out[w + 1] = 0x20
                        w += 2
                    }
                }
                for byte in tail {
                    out[w] = byte
                    w += 1
                }
                return w
            }
        }
    }

    /// Reads a snapshot, verifying its checksum.
    public static func decode(_ text: String) throws -> Schema {
        if let schema = try decodeAsWritten(text) { return schema }
        return try decodeReformatted(text)
    }

    /// The usual case, in one pass: the file is laid out as `encode` writes it, so the canonical
    /// JSON is the `schema` member un-indented, and the checksum is verified on those bytes before
    /// they are decoded. `nil` when the layout or the checksum differs (the general path then decides).
    static func decodeAsWritten(_ text: String) throws -> Schema? {
        let prefix = Array("{\n  \"checksum\" : \"".utf8), middle = Array("\",\n  \"schema\" : ".utf8), suffix = Array("\n}\n".utf8)
        var bytes = Array(text.utf8)
        guard bytes.count > prefix.count + middle.count + suffix.count, bytes.starts(with: prefix), bytes.suffix(suffix.count).elementsEqual(suffix),
            let quote = bytes[prefix.count...].firstIndex(of: UInt8(ascii: "\"")),
            bytes[quote...].starts(with: middle)
        else { return nil }
        let recorded = String(decoding: bytes[prefix.count..<quote], as: UTF8.self)
        // Un-indent the member in place: drop the two spaces after every newline.
        var write = 0
        var read = quote + middle.count
        let end = bytes.count - suffix.count
        while read < end {
            let byte = bytes[read]
            bytes[write] = byte
            write += 1
            read += byte == 0x0A && read + 2 < end && bytes[read + 1] == 0x20 && bytes[read + 2] == 0x20 ? 3 : 1
        }
        bytes[write] = 0x0A
        let canonical = bytes[..<(write + 1)]
        // A mismatch may be a reformatted file: the general path decides (and reports an edit).
        guard canonical.withUnsafeBytes({ Self.checksum(of: $0, like: recorded) }) == recorded else { return nil }
        do {
            return try JSONDecoder().decode(Schema.self, from: Data(canonical))
        } catch {
            throw Invalid(description: "the snapshot's schema cannot be read: \(error)")
        }
    }

    /// A snapshot whose JSON was reformatted: parsed, re-encoded canonically, then checked.
    static func decodeReformatted(_ text: String) throws -> Schema {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let recorded = object["checksum"] as? String, let schemaObject = object["schema"]
        else { throw Invalid(description: "not a schemaforge snapshot (expected \"checksum\" and \"schema\")") }
        let schemaData = try JSONSerialization.data(withJSONObject: schemaObject)
        let schema: Schema
        do {
            schema = try JSONDecoder().decode(Schema.self, from: schemaData)
        } catch {
            throw Invalid(description: "the snapshot's schema cannot be read: \(error)")
        }
        var canonical = SnapshotEncoder.encode(schema)
        let actual = canonical.withUTF8 { Self.checksum(of: UnsafeRawBufferPointer($0), like: recorded) }
        guard actual == recorded else {
            throw Invalid(
                description:
                    "the snapshot was edited or corrupted: its checksum is \(recorded) but its content hashes to \(actual); restore it from version control"
            )
        }
        return schema
    }

    /// The checksum written into new snapshots: xxHash64 of the canonical JSON (it guards against
    /// edits and corruption, not attacks; MD5 cost more than the rest of encoding a large schema).
    static func checksum(_ canonical: String) -> String { "xxh64:" + XXH64.hex(utf8: canonical) }

    /// The checksum of `bytes` in the algorithm `recorded` names: snapshots written before
    /// xxHash64 carry `md5:` and are still verified.
    static func checksum(of bytes: UnsafeRawBufferPointer, like recorded: String) -> String {
        recorded.hasPrefix("md5:") ? "md5:" + MD5.hex(bytes) : "xxh64:" + XXH64.hex(bytes)
    }
}

extension GeneratorPipeline {
    /// The files of the FastAPI project for `schema` on `database`.
    public static func project(_ schema: Schema, database: TargetDatabase) -> [GeneratedFile] {
        Targets.project(database).files(schema, snapshot: { MigrationSnapshot.encode(schema) })
    }
}
