import Testing

@testable import SchemaModel

/// Known vectors, computed with Python: `hashlib.md5(s.encode()).hexdigest()`.
/// Lengths 55, 56 and 64 straddle the padding boundary (one block vs. two).
@Suite("MD5")
struct MD5Tests {
    static let alphabet100 = String((0..<100).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })

    @Test(
        "known vectors",
        arguments: [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
            (String(repeating: "a", count: 100), "36a92cc94a9e0fa21f625f8bfb007adf"),
            (alphabet100, "c850e15189ee11cd8535000b8d8fd6de"),
            (String(repeating: "x", count: 55), "04364420e25c512fd958a70738aa8f72"),
            (String(repeating: "y", count: 56), "6c830a5d23df58dbe0171eb5639bf3e4"),
            (String(repeating: "z", count: 64), "3ecc49f9d9d6c263b4f0de7fc3f38aed"),
        ])
    func vector(input: String, digest: String) {
        #expect(MD5.hex(Array(input.utf8)) == digest)
    }

    @Test("the 100-character vector is what the test says it is")
    func alphabetVectorShape() {
        #expect(Self.alphabet100.count == 100)
        #expect(Self.alphabet100.hasPrefix("abcdefghijklmnopqrstuvwxyzabc"))
    }
}
