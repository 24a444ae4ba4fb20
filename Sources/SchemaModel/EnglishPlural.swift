import Foundation

/// English plurals and singulars of snake-case names: the one rule that route prefixes, list
/// functions and imported entity names share.
public enum EnglishPlural {
    /// Words whose plural is not made by a rule (`person` -> `people`), and uncountable words (the
    /// plural is the word itself: `staff`, `data`).
    static let irregularPlurals: [String: String] = [
        "person": "people", "child": "children", "man": "men", "woman": "women", "mouse": "mice",
        "foot": "feet", "tooth": "teeth", "goose": "geese", "ox": "oxen", "criterion": "criteria",
        "thief": "thieves", "quiz": "quizzes", "hero": "heroes", "potato": "potatoes", "tomato": "tomatoes",
        "echo": "echoes", "golf": "golfs", "gulf": "gulfs",
        "staff": "staff", "data": "data", "metadata": "metadata", "information": "information",
        "equipment": "equipment", "news": "news", "series": "series", "species": "species", "sheep": "sheep",
        "fish": "fish", "deer": "deer", "feedback": "feedback", "software": "software", "media": "media",
    ]

    /// `OrderLine` -> `order_lines` for route prefixes: snake case with the English plural of its
    /// last word. A small table (`person` -> `people`, uncountable `staff`), then the rules:
    /// `-sis` -> `-ses`, `-lf`/`-eaf`/`-oaf` -> `-ves`, `-ife` -> `-ives`, `-s`/`-x`/`-z`/`-ch`/`-sh`
    /// -> `+es`, consonant + `y` -> `-ies`, otherwise `+s`.
    /// `noun` after its indefinite article: "an Order", "a User" (by the sound of the first letters,
    /// as far as spelling tells it: "a Unit", "an Hour" are not told apart from "an Umbrella").
    public static func withArticle(_ noun: String, capitalized: Bool = false) -> String {
        let lower = noun.lowercased()
        let youSound = ["uni", "use", "usu", "uti", "eu", "one", "ewe"].contains { lower.hasPrefix($0) }
        let vowel = lower.first.map { "aeiou".contains($0) } ?? false
        let article = vowel && !youSound ? "an " : "a "
        return (capitalized ? article.prefix(1).uppercased() + article.dropFirst() : article) + noun
    }

    public static func plural(_ snake: String) -> String {
        let (head, word) = lastWord(snake)
        if let irregular = irregularPlurals[String(word)] { return head + irregular }
        func replacing(_ suffix: Int, with ending: String) -> String { head + word.dropLast(suffix) + ending }
        if word.hasSuffix("sis") { return replacing(2, with: "es") }
        if word.hasSuffix("lf") || word.hasSuffix("eaf") || word.hasSuffix("oaf") { return replacing(1, with: "ves") }
        if word.hasSuffix("ife") { return replacing(2, with: "ves") }
        if word.hasSuffix("s") || word.hasSuffix("x") || word.hasSuffix("z") || word.hasSuffix("ch") || word.hasSuffix("sh") { return snake + "es" }
        if word.hasSuffix("y"), let before = word.dropLast().last, !"aeiou".contains(before) { return replacing(1, with: "ies") }
        return snake + "s"
    }

    /// The singular of a snake-case name's last word, the inverse of `plural` (`order_lines` ->
    /// `order_line`, `people` -> `person`, `categories` -> `category`); a word that does not look
    /// plural (`status`, `analysis`, `news`) is kept.
    public static func singular(_ snake: String) -> String {
        let (head, word) = lastWord(snake)
        if let irregular = irregularSingulars[String(word)] { return head + irregular }
        let candidates: [String]
        if word.hasSuffix("ies") {
            candidates = [word.dropLast(3) + "y"]
        } else if word.hasSuffix("ves") {
            candidates = [word.dropLast(3) + "f", word.dropLast(3) + "fe"]
        } else if word.hasSuffix("es") {
            candidates = [String(word.dropLast(2)), String(word.dropLast(1))]
        } else if word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            candidates = [String(word.dropLast())]
        } else {
            return snake
        }
        // The candidate whose plural is the word: the rules run backwards, checked forwards.
        for candidate in candidates where !candidate.isEmpty && plural(candidate) == word { return head + candidate }
        return snake
    }

    /// `order_line` -> (`order_`, `line`): the words before the last one, and the last one.
    private static func lastWord(_ snake: String) -> (head: Substring, word: Substring) {
        guard let split = snake.lastIndex(of: "_") else { return ("", snake[...]) }
        return (snake[...split], snake[snake.index(after: split)...])
    }

    private static let irregularSingulars: [String: String] = Dictionary(
        irregularPlurals.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
}
