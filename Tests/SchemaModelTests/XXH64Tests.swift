import Testing

@testable import SchemaModel

/// Known vectors, computed with the reference implementation (Python `xxhash.xxh64(s).hexdigest()`).
/// Lengths 31 and 32 straddle the 32-byte stripe; 43 and 768 exercise every tail (8, 4 and 1 bytes).
@Suite("xxHash64")
struct XXH64Tests {
    static let bytes768 = String(decoding: (0..<768).map { UInt8($0 % 128) }, as: UTF8.self)

    @Test(
        "known vectors",
        arguments: [
            ("", "ef46db3751d8e999"),
            ("a", "d24ec4f1a98c6e5b"),
            ("abc", "44bc2cf5ad770999"),
            (String(repeating: "x", count: 31), "60dd0d01083b99f0"),
            (String(repeating: "x", count: 32), "e2df261fc2ec30eb"),
            ("The quick brown fox jumps over the lazy dog", "0b242d361fda71bc"),
        ])
    func vector(input: String, digest: String) {
        #expect(XXH64.hex(utf8: input) == digest)
    }

    @Test("a long input with every tail length agrees with the reference")
    func long() {
        // bytes(range(128)) * 6 in Python: xxhash.xxh64(...).hexdigest()
        #expect(XXH64.hex(utf8: Self.bytes768) == "fef346dd8e049075")
    }
}
