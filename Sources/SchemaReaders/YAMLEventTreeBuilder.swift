import Foundation
import SchemaModel

#if compiler(>=6)
    internal import CYaml
#else
    @_implementationOnly import CYaml
#endif

/// Builds the `SyntaxNode` tree straight from libyaml's parse events: the fast path of
/// `YAMLSyntaxReader.parse`.
///
/// libyaml is the C library Yams wraps (its `CYaml` module, built as part of the Yams dependency), so
/// the scanner, the parser, their error messages and their marks are exactly those of `Yams.compose`;
/// what this skips is Yams' `Node` tree, its tag resolution (regular expressions on every scalar) and
/// its duplicate-key check, none of which the schema reader needs on a well-formed file.
///
/// It only answers when it can guarantee the result `Yams.compose` + `YAMLSyntaxReader.convert` give:
/// one document, no syntax error, no alias, only scalar mapping keys, and no two keys of a mapping
/// with the same text. Anything else returns `nil` and the caller takes the Yams path, which owns
/// every diagnostic (syntax errors, duplicate keys, aliases, several documents, an empty file).
enum YAMLEventTreeBuilder {
    static func build(_ text: String, file: String) -> SyntaxNode? {
        // Yams lets this environment variable choose the encoding (and prints a notice): leave that to it.
        if getenv("YAMS_DEFAULT_ENCODING") != nil { return nil }
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { bytes -> SyntaxNode? in
            var builder = Builder(file: file)
            return builder.run(bytes)
        } ?? nil
    }

    /// A mapping or a sequence whose end event has not come yet. Its children so far sit at the top
    /// of the builder's shared `entries` / `items` stacks, from `start` on.
    private struct Open {
        var isMapping: Bool
        var location: SourceLocation
        var start: Int
        /// The key waiting for its value.
        var key: SyntaxScalar?
        /// The keys seen so far, once the mapping is too long for a linear scan.
        var keySet: Set<String>?
    }

    private struct Builder {
        let file: SourceFileRef
        var stack: [Open] = []
        var root: SyntaxNode?
        /// The children of every open mapping / sequence, innermost last.
        let entries = MoveStack<SyntaxEntry>()
        let items = MoveStack<SyntaxNode>()

        init(file: String) { self.file = SourceFiles.shared.intern(file) }

        private func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(file: file, line: max(1, Int(mark.line) + 1), column: max(1, Int(mark.column) + 1))
        }

        mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) -> SyntaxNode? {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var event = yaml_event_t()
            var documents = 0
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                    continue
                case YAML_STREAM_END_EVENT:
                    return documents == 1 ? root : nil
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 { return nil }
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let count = Int(scalar.length)
                    guard let value = scalar.value else { return nil }
                    // Foundation's UTF-8 decoding (which Yams uses) may treat a leading BOM specially.
                    if count >= 3, value[0] == 0xEF, value[1] == 0xBB, value[2] == 0xBF { return nil }
                    let bytes = UnsafeBufferPointer(start: value, count: count)
                    let string = String(decoding: bytes, as: UTF8.self)
                    let fingerprint = SyntaxScalar.fingerprint(ofBytes: bytes, isASCII: bytes.allSatisfy { $0 < 0x80 })
                    guard
                        add(
                            scalar: string, fingerprint: fingerprint, style: scalar.style,
                            at: location(event.start_mark))
                    else { return nil }
                case YAML_SEQUENCE_START_EVENT:
                    guard stack.last?.isMapping != true || stack[stack.count - 1].key != nil else { return nil }  // a list as a key
                    stack.append(Open(isMapping: false, location: location(event.start_mark), start: items.count))
                case YAML_MAPPING_START_EVENT:
                    guard stack.last?.isMapping != true || stack[stack.count - 1].key != nil else { return nil }  // a mapping as a key
                    stack.append(Open(isMapping: true, location: location(event.start_mark), start: entries.count))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let open = stack.popLast() else { return nil }
                    let node: SyntaxNode =
                        open.isMapping
                        ? .mapping(SyntaxMapping(entries: entries.popArray(from: open.start), location: open.location))
                        : .sequence(SyntaxSequence(items: items.popArray(from: open.start), location: open.location))
                    guard attach(node) else { return nil }
                default:
                    return nil  // an alias (Yams expands it) or an event this builder does not expect
                }
            }
        }

        /// A scalar: a key when the enclosing mapping waits for one, a value otherwise.
        private mutating func add(
            scalar string: String, fingerprint: UInt32, style: yaml_scalar_style_t, at location: SourceLocation
        ) -> Bool {
            let last = stack.count - 1
            if last >= 0, stack[last].isMapping, stack[last].key == nil {
                // The reader calls a key quoted for the quoted styles only (not literal or folded).
                let quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                guard insertKey(string, fingerprint: fingerprint, into: last) else { return false }
                stack[last].key = SyntaxScalar(
                    value: string, isQuoted: quoted, location: location, fingerprint: fingerprint)
                return true
            }
            let quoted =
                style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                || style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE
            return attach(
                .scalar(SyntaxScalar(value: string, isQuoted: quoted, location: location, fingerprint: fingerprint)))
        }

        /// False when the mapping already has a key with this text: Yams may call that a duplicate
        /// (depending on the keys' tags), so the Yams path decides.
        private mutating func insertKey(_ key: String, fingerprint: UInt32, into index: Int) -> Bool {
            if stack[index].keySet != nil {
                return stack[index].keySet!.insert(key).inserted
            }
            let start = stack[index].start
            let end = entries.count
            for j in start..<end {
                let other = entries.keyFingerprint(at: j)
                // Two ASCII keys with different fingerprints differ; anything else is compared in full.
                if other != 0, fingerprint != 0, other != fingerprint { continue }
                if entries.keyValue(at: j) == key { return false }
            }
            if end - start >= 16 {
                var set = Set<String>(minimumCapacity: 64)
                for j in start..<end { set.insert(entries.keyValue(at: j)) }
                set.insert(key)
                stack[index].keySet = set
            }
            return true
        }

        private mutating func attach(_ node: consuming SyntaxNode) -> Bool {
            let last = stack.count - 1
            guard last >= 0 else {
                guard root == nil else { return false }
                root = node
                return true
            }
            if stack[last].isMapping {
                var waiting: SyntaxScalar?
                swap(&waiting, &stack[last].key)
                guard let key = waiting else { return false }  // a collection as a key
                entries.append(SyntaxEntry(key: key, value: node))
            } else {
                items.append(node)
            }
            return true
        }
    }
}

/// A stack whose top part moves out into an exactly sized array, without copying or reference
/// counting the elements: the children of the open containers while a tree is built.
private final class MoveStack<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ element: consuming Element) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Removes the elements from `start` on and returns them, in order.
    func popArray(from start: Int) -> [Element] {
        let n = count - start
        guard n > 0 else { return [] }
        let moved = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: base + start, count: n)
            initialized = n
        }
        count = start
        return moved
    }
}

extension MoveStack where Element == SyntaxEntry {
    func keyFingerprint(at index: Int) -> UInt32 { (base + index).pointee.key.fingerprint }
    func keyValue(at index: Int) -> String { (base + index).pointee.key.value }
}
