import CodeRendering
import XCTest

/// `PythonRenderer.wrap` works on UTF-8 bytes; `ReferenceWrap` is the earlier version that worked on
/// Unicode scalars and Foundation searches. Both must split every line the same way.
final class WrapEquivalenceTests: XCTestCase {
    struct SeededRandom {
        var state: UInt64
        mutating func next(upTo bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let tokens = [
        "name", "mapped_column", "sa.Column", "op.create_table", "café", "名前", "x1", "_y", "42", "3.5", "😀", "e\u{301}",
        "(", ")", "[", "]", "{", "}", ", ", ", ", " = ", " = \"", "\"", "\"text\"", "\"a, (b\"", ": ", " | ", ".", "#", " ",
        "sa.ForeignKeyConstraint([\"a\"], [\"b.id\"], name=op.f(\"fk_a_b\"))", "nullable=False", "server_default=sa.text(\"0\")",
    ]

    func randomLine(_ random: inout SeededRandom) -> String {
        var line = String(repeating: " ", count: 4 * random.next(upTo: 4))
        let target = 20 + random.next(upTo: 200)
        while line.unicodeScalars.count < target { line += Self.tokens[random.next(upTo: Self.tokens.count)] }
        switch random.next(upTo: 4) {
        case 0: line += ")"
        case 1: line += "):"
        case 2: line += "],"
        default: break
        }
        return line
    }

    func testByteWrapEqualsScalarWrap() {
        var random = SeededRandom(state: 11)
        var split = 0, parenthesised = 0
        for lineLength in [40, 88] {
            let renderer = PythonRenderer(lineLength: lineLength)
            let reference = ReferenceWrap(lineLength: lineLength)
            for _ in 0..<20_000 {
                let line = randomLine(&random)
                let wrapped = renderer.wrap(line)
                XCTAssertEqual(wrapped, reference.wrap(line), line)
                if wrapped.count > 1 { split += 1 }
                if wrapped.count > 1, wrapped[0].hasSuffix(" = (") { parenthesised += 1 }
            }
        }
        // The lines reach the splitting paths, not only the early returns.
        XCTAssertGreaterThan(split, 2_000)
        XCTAssertGreaterThan(parenthesised, 50)
    }

    func testRealisticLines() {
        let lines = [
            "    sa.Column(\"created_at\", sa.DateTime(timezone=True), server_default=sa.text(\"CURRENT_TIMESTAMP\"), nullable=False),",
            "op.create_index(op.f(\"ix_order_item_customer_id_created_at\"), \"order_item\", [\"customer_id\", \"created_at\"], unique=False)",
            "    description: str = \"a long description that does not fit on the line at all, not even close to it, really\"",
            "            very_long_target_name_for_the_test = some_function_with_a_long_name(argument_one, argument_two)",
            "@field_validator(\"name\", \"email\", \"password_hash\", \"created_at\", \"updated_at\", \"display_name\", \"bio\")",
            "x = [\"é\", \"名前\", \"😀\", \"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"k\", \"l\", \"m\", \"n\"]",
            "    # a comment that is much longer than the line length and must never be wrapped by the renderer at all",
        ]
        let renderer = PythonRenderer(), reference = ReferenceWrap(lineLength: 88)
        for line in lines { XCTAssertEqual(renderer.wrap(line), reference.wrap(line), line) }
    }
}

/// The scalar-based `PythonRenderer.wrap` before the byte-based version (kept as the reference).
struct ReferenceWrap {
    let lineLength: Int

    /// A raw source line longer than the limit, split the way ruff splits it: the last bracket
    /// pair that closes at the end of the line opens onto an indented line (or one item per line
    /// with a trailing comma); a lone long string after `=` goes in parentheses.
    func wrap(_ line: String) -> [String] {
        // Most lines are short: the UTF-8 length (O(1)) bounds the character count.
        guard line.utf8.count > lineLength, line.unicodeScalars.count > lineLength, !line.drop(while: { $0 == " " }).hasPrefix("#") else {
            return [line]
        }
        let indent = String(line.prefix { $0 == " " })
        // Unicode scalars: no grapheme breaking on every (long) line; delimiters are all ASCII.
        let chars = Array(line.unicodeScalars)
        func text(_ slice: ArraySlice<Unicode.Scalar>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: slice)
            return String(view)
        }
        func isWordEnd(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || (c >= "0" && c <= "9") || c == "_" || c == ")" || c == "]"
        }
        // A trailing ":" (def/for/if lines) or "," (an item of an exploded call) stays after the
        // closing bracket.
        var end = chars.count
        var suffix = ""
        if chars.last == ":" || chars.last == "," {
            end -= 1
            suffix = String(Character(chars[end]))
        }
        if let eq = line.range(of: " = \""), line.hasSuffix("\""), line[eq.upperBound...].dropLast().allSatisfy({ $0 != "\"" }) {
            let head = String(line[..<eq.lowerBound]) + " = ("
            let literal = String(line[line.index(before: eq.upperBound)...])
            // ruff parenthesises a long string only when that makes it fit.
            return (indent + "    " + literal).count <= lineLength ? [head, indent + "    " + literal, indent + ")"] : [line]
        }
        guard end > 0, chars[end - 1] == ")" || chars[end - 1] == "]" || chars[end - 1] == "}" else { return [line] }
        // Find the bracket that the final character closes.
        var depth = 0
        var open: Int?
        var inString = false
        var i = end - 1
        while i >= 0 {
            let c = chars[i]
            if c == "\"" { inString.toggle() }
            if !inString {
                if c == ")" || c == "]" || c == "}" { depth += 1 }
                if c == "(" || c == "[" || c == "{" {
                    depth -= 1
                    if depth == 0 {
                        open = i
                        break
                    }
                }
            }
            i -= 1
        }
        guard let open, open >= indent.count, open + 1 < end - 1 else { return [line] }
        if open + 1 > lineLength, let eq = line.range(of: " = "), line.unicodeScalars.distance(from: line.startIndex, to: eq.lowerBound) < open,
            indent.count + 4 + (open - line.unicodeScalars.distance(from: line.startIndex, to: eq.lowerBound) - 3) + 1 <= lineLength
        {
            // Even the opening line is too long: ruff puts the right-hand side in parentheses (when its
            // opening line fits there).
            let target = String(line[..<eq.upperBound])
            let value = String(line[eq.upperBound...])
            return [target + "("] + wrap(indent + "    " + value) + [indent + ")"]
        }
        let head = text(chars[..<(open + 1)])
        let inner = text(chars[(open + 1)..<(end - 1)])
        let tail = indent + String(Character(chars[end - 1])) + suffix + text(chars[end..<(chars.count - suffix.count)])
        let innerIndent = indent + "    "
        let parts = PythonRenderer.splitTopLevel(inner)
        // A collection literal (not a call or subscript) with several items goes one per line.
        let before: Unicode.Scalar = open > 0 ? chars[open - 1] : " "
        let isCollection = !isWordEnd(before)
        if (innerIndent + inner).unicodeScalars.count <= lineLength, !inner.isEmpty, !(isCollection && parts.count > 1) {
            return [head, innerIndent + inner, tail]
        }
        if parts.count <= 1 { return [head] + wrap(innerIndent + inner) + [tail] }
        return [head] + parts.flatMap { wrap(innerIndent + $0 + ",") } + [tail]
    }

}
