import Foundation

/// Naming helpers shared by every stage: snake case, identifier checks, length limits.
public enum Identifiers {
    /// `BlogPost` -> `blog_post`, `HTTPRequest` -> `http_request`, `userID` -> `user_id`.
    public static func snakeCase(_ name: String) -> String {
        if let ascii = name.utf8.withContiguousStorageIfAvailable(asciiSnakeCase), let ascii { return ascii }
        return unicodeSnakeCase(name)
    }

    /// `snakeCase` by Unicode scalars and `CharacterSet`: the general case (tests compare it with the
    /// ASCII shortcut).
    static func unicodeSnakeCase(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        var out = ""
        for (i, c) in scalars.enumerated() {
            let isUpper = CharacterSet.uppercaseLetters.contains(c)
            if isUpper {
                let prev = i > 0 ? scalars[i - 1] : nil
                let next = i + 1 < scalars.count ? scalars[i + 1] : nil
                let prevIsLowerOrDigit = prev.map { CharacterSet.lowercaseLetters.contains($0) || CharacterSet.decimalDigits.contains($0) } ?? false
                let prevIsUpper = prev.map { CharacterSet.uppercaseLetters.contains($0) } ?? false
                let nextIsLower = next.map { CharacterSet.lowercaseLetters.contains($0) } ?? false
                if i > 0, !out.hasSuffix("_"), prevIsLowerOrDigit || (prevIsUpper && nextIsLower) {
                    out += "_"
                }
                out += String(c).lowercased()
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `snakeCase` for ASCII text (`nil` otherwise): among ASCII characters the uppercase letters,
    /// lowercase letters and decimal digits of `CharacterSet` are exactly A-Z, a-z and 0-9.
    private static func asciiSnakeCase(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isUpper(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
        func isLower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 4)
        for i in 0..<bytes.count {
            let c = bytes[i]
            guard isUpper(c) else {
                out.append(c)
                continue
            }
            let prevIsLowerOrDigit = i > 0 && (isLower(bytes[i - 1]) || isDigit(bytes[i - 1]))
            let prevIsUpper = i > 0 && isUpper(bytes[i - 1])
            let nextIsLower = i + 1 < bytes.count && isLower(bytes[i + 1])
            if i > 0, out.last != UInt8(ascii: "_"), prevIsLowerOrDigit || (prevIsUpper && nextIsLower) {
                out.append(UInt8(ascii: "_"))
            }
            out.append(c + 32)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for `[A-Za-z_][A-Za-z0-9_]*`: safe as a SQL, Python and JSON name alike.
    public static func isPlainIdentifier(_ name: String) -> Bool {
        // By UTF-8 bytes: every accepted character is ASCII, and every byte of a non-ASCII one is >= 0x80.
        if let plain = name.utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let first = bytes.first else { return false }
            if first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") { return false }
            for c in bytes {
                let ok =
                    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
                if !ok { return false }
            }
            return true
        }) {
            return plain
        }
        guard let first = name.utf8.first else { return false }
        func isLetter(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
        }
        guard isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    }

    /// The longest name a schema may spell out for a table, column or constraint: the smallest
    /// limit of the SQL dialects (PostgreSQL's 63 bytes).
    public static let maxExplicitLength = 63

    /// Shortens a generated name that exceeds `limit` bytes the way SQLAlchemy does for convention
    /// names: the first `limit - 8` characters, `_`, and the last 4 hex digits of the name's MD5.
    public static func shorten(_ name: String, limit: Int?) -> String {
        guard let limit, name.utf8.count > limit else { return name }
        let digest = MD5.hex(Array(name.utf8))
        let keep = String(name.prefix(limit - 8))
        return keep + "_" + digest.suffix(4)
    }

    /// A name the resolver derives (table from an entity, foreign-key and join columns, enum type),
    /// shortened to fit every dialect the same way convention names are.
    public static func derived(_ name: String) -> String { shorten(name, limit: maxExplicitLength) }

    /// Turns arbitrary SQL text into a name fragment: `lower(email)` -> `lower_email`.
    public static func fragment(fromSQL sql: String) -> String {
        var out = ""
        var lastWasUnderscore = true
        for c in sql.lowercased().unicodeScalars {
            let ok = (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
            if ok {
                out.unicodeScalars.append(c)
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                out += "_"
                lastWasUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out.isEmpty ? "expr" : out
    }
}

/// MD5, used only to derive the deterministic suffix of shortened identifiers (as SQLAlchemy does).
public enum MD5 {
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]
    private static let table: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4294967296.0)) }
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The lowercase hex digest of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { hex(UnsafeRawBufferPointer($0)) }
    }

    /// The lowercase hex digest of the bytes in `buffer`: whole 64-byte blocks are read in place,
    /// only the padded tail is copied.
    public static func hex(_ buffer: UnsafeRawBufferPointer) -> String {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        let whole = buffer.count / 64 * 64
        shifts.withUnsafeBufferPointer { s in
            table.withUnsafeBufferPointer { k in
                var offset = 0
                while offset < whole {
                    compress(UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + 64)]), &state, s, k)
                    offset += 64
                }
                // The tail: the remaining bytes, 0x80, zeros, and the bit length (little-endian).
                var tail = [UInt8](buffer[whole...])
                tail.append(0x80)
                while tail.count % 64 != 56 { tail.append(0) }
                let bitLength = UInt64(buffer.count) &* 8
                for i in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
                tail.withUnsafeBytes { t in
                    var o = 0
                    while o < t.count {
                        compress(UnsafeRawBufferPointer(rebasing: t[o..<(o + 64)]), &state, s, k)
                        o += 64
                    }
                }
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [state.0, state.1, state.2, state.3] {
            for i in 0..<4 {
                let byte = Int((word >> (8 * UInt32(i))) & 0xff)
                out.append(hexDigits[byte >> 4])
                out.append(hexDigits[byte & 0xf])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The message word each of the 64 steps adds.
    private static let wordIndex: [Int] = (0..<64).map { i in
        switch i {
        case 0..<16: return i
        case 16..<32: return (5 * i + 1) & 15
        case 32..<48: return (3 * i + 5) & 15
        default: return (7 * i) & 15
        }
    }

    /// One 64-byte block: the four rounds as four loops (no per-step switch), message words read
    /// in place (little-endian).
    @inline(__always)
    private static func compress(
        _ block: UnsafeRawBufferPointer, _ state: inout (UInt32, UInt32, UInt32, UInt32),
        _ shifts: UnsafeBufferPointer<UInt32>, _ table: UnsafeBufferPointer<UInt32>
    ) {
        wordIndex.withUnsafeBufferPointer { index in
            @inline(__always) func word(_ i: Int) -> UInt32 {
                UInt32(littleEndian: block.loadUnaligned(fromByteOffset: index[i] &* 4, as: UInt32.self))
            }
            var a = state.0, b = state.1, c = state.2, d = state.3
            @inline(__always) func step(_ f: UInt32, _ i: Int) {
                let sum = f &+ a &+ table[i] &+ word(i)
                a = d
                d = c
                c = b
                let r = shifts[i]
                b = b &+ ((sum << r) | (sum >> (32 &- r)))
            }
            for i in 0..<16 { step((b & c) | (~b & d), i) }
            for i in 16..<32 { step((d & b) | (~d & c), i) }
            for i in 32..<48 { step(b ^ c ^ d, i) }
            for i in 48..<64 { step(c ^ (b | ~d), i) }
            state.0 = state.0 &+ a
            state.1 = state.1 &+ b
            state.2 = state.2 &+ c
            state.3 = state.3 &+ d
        }
    }
}
