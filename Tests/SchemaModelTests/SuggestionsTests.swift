import Testing

@testable import SchemaModel

@Suite("Suggestions")
struct SuggestionsTests {
    @Test("a close typo is suggested")
    func closeTypos() {
        #expect(Suggestions.closest(to: "Usr", in: ["User", "Post", "Tag"]) == "User")
        #expect(Suggestions.closest(to: "strng", in: ColumnType.scalarNames) == "string")
        #expect(Suggestions.closest(to: "datetme", in: ColumnType.scalarNames) == "datetime")
        #expect(Suggestions.closest(to: "on_delte", in: ["on_delete", "on_update", "nullable"]) == "on_delete")
    }

    @Test("comparison ignores case but returns the candidate's spelling")
    func caseInsensitive() {
        #expect(Suggestions.closest(to: "user", in: ["User", "Post"]) == "User")
        #expect(Suggestions.closest(to: "POST", in: ["User", "Post"]) == "Post")
    }

    @Test("nothing is suggested when nothing is close")
    func noSuggestion() {
        #expect(Suggestions.closest(to: "xyz", in: ["User", "Post"]) == nil)
        #expect(Suggestions.closest(to: "completely_different", in: ["string", "int"]) == nil)
        #expect(Suggestions.closest(to: "User", in: [String]()) == nil)
    }

    @Test("ties go to the alphabetically first candidate, whatever the input order")
    func ties() {
        #expect(Suggestions.closest(to: "cat", in: ["cot", "cut", "bat"]) == "bat")
        #expect(Suggestions.closest(to: "cat", in: ["cut", "bat", "cot"]) == "bat")
    }

    @Test("hint formats the suggestion or is empty")
    func hint() {
        #expect(Suggestions.hint(for: "Usr", in: ["User"]) == "; did you mean 'User'?")
        #expect(Suggestions.hint(for: "zzz", in: ["User"]) == "")
    }

    @Test("edit distance is Levenshtein's")
    func editDistance() {
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("abc", "") == 3)
        #expect(Suggestions.editDistance("same", "same") == 0)
        #expect(Suggestions.editDistance("flaw", "lawn") == 2)
    }
}
