import Foundation

/// Pure-Swift shortcuts for Foundation string calls on hot paths. Each one answers only where its
/// result provably equals the Foundation call it stands for (ASCII text at the edges, where Foundation's
/// Unicode-aware comparison cannot differ from a byte comparison) and otherwise calls Foundation itself,
/// so behaviour is unchanged for every input.
public enum FastText {
    /// `text.trimmingCharacters(in: .whitespaces)`.
    public static func trimmingWhitespace(_ text: String) -> String {
        // The only ASCII members of `.whitespaces` are space and tab: when both ends are other ASCII
        // characters there is nothing to trim.
        guard let first = text.utf8.first, let last = text.utf8.last else { return "" }
        if isSolidASCII(first), isSolidASCII(last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// `text.trimmingCharacters(in: .whitespaces)`.
    public static func trimmingWhitespace(_ text: Substring) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return "" }
        if isSolidASCII(first), isSolidASCII(last) { return String(text) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// `text.trimmingCharacters(in: .whitespaces).isEmpty`.
    public static func isBlank(_ text: String) -> Bool {
        var sawOther = false
        for byte in text.utf8 {
            if isSolidASCII(byte) { return false }  // a character trimming keeps
            if byte >= 0x80 { sawOther = true }
        }
        // Only spaces and tabs, or nothing: blank. Non-ASCII characters: let Foundation decide.
        return sawOther ? text.trimmingCharacters(in: .whitespaces).isEmpty : true
    }

    /// True for ASCII bytes other than space and tab.
    @inline(__always)
    static func isSolidASCII(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }

    /// True when every byte of `text` is ASCII.
    @inlinable
    public static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in !bytes.contains { $0 >= 0x80 } }
            ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// True when every byte of `text` is ASCII.
    @inlinable
    public static func isASCII(_ text: Substring) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// True when every byte of `text` is ASCII and none is `excluded`.
    public static func isASCII(_ text: String, without excluded: UInt8) -> Bool {
        if let result = text.utf8.withContiguousStorageIfAvailable({ bytes in
            for byte in bytes where byte >= 0x80 || byte == excluded { return false }
            return true
        }) {
            return result
        }
        return text.utf8.allSatisfy { $0 < 0x80 && $0 != excluded }
    }

    /// `text.replacingOccurrences(of: target, with: replacement)` for a one-character ASCII `target`.
    public static func replacing(_ target: Unicode.Scalar, with replacement: String, in text: String) -> String {
        precondition(target.isASCII)
        let byte = UInt8(target.value)
        guard isASCII(text) else { return text.replacingOccurrences(of: String(target), with: replacement) }
        guard text.utf8.contains(byte) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for b in text.utf8 {
            if b == byte { out.append(contentsOf: replacement.utf8) } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text.replacingOccurrences(of: target, with: replacement)` (non-overlapping, left to right).
    /// ASCII `text` and `target` are searched byte by byte; anything else goes to Foundation.
    public static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        guard !target.isEmpty, isASCII(text), isASCII(target) else { return text.replacingOccurrences(of: target, with: replacement) }
        let needle = Array(target.utf8)
        return text.utf8.withContiguousStorageIfAvailable { bytes -> String in
            var out: [UInt8] = []
            var i = 0, copied = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == needle[0] {
                    var k = 1
                    while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                    if k == needle.count {
                        if out.isEmpty { out.reserveCapacity(bytes.count + replacement.utf8.count) }
                        out.append(contentsOf: bytes[copied..<i])
                        out.append(contentsOf: replacement.utf8)
                        i += needle.count
                        copied = i
                        continue
                    }
                }
                i += 1
            }
            if copied == 0 { return text }
            out.append(contentsOf: bytes[copied...])
            return String(decoding: out, as: UTF8.self)
        } ?? text.replacingOccurrences(of: target, with: replacement)
    }

    /// `text.contains(needle)` (Foundation's substring search): a byte search when both are ASCII
    /// (no canonical equivalence to consider), Foundation otherwise.
    public static func contains(_ needle: String, in text: String) -> Bool {
        guard isASCII(needle), isASCII(text), let first = needle.utf8.first else { return text.contains(needle) }
        let pattern = Array(needle.utf8)
        return text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count >= pattern.count else { return false }
            var i = 0
            let last = bytes.count - pattern.count
            while i <= last {
                if bytes[i] == first {
                    var k = 1
                    while k < pattern.count, bytes[i + k] == pattern[k] { k += 1 }
                    if k == pattern.count { return true }
                }
                i += 1
            }
            return false
        } ?? text.contains(needle)
    }
}
