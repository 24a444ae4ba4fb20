/// The shortest text a simple regular expression matches, for the generated tests' sample values
/// when no template fits a field's `pattern`: anchors, literal characters, escapes (`\d`, `\w`,
/// `\s`, `\.`), character classes with ranges, groups and the quantifiers `?`, `*`, `+`, `{n}`,
/// `{n,}`, `{n,m}`. Nil for anything else (alternation, negated classes, look-arounds,
/// back-references): the caller then knows no sample, and says so.
enum PatternSample {
    static func shortest(_ pattern: String) -> String? {
        var chars = Array(pattern)
        if chars.first == "^" { chars.removeFirst() }
        if chars.last == "$", chars.dropLast().last != "\\" { chars.removeLast() }
        var index = 0
        return sequence(chars, &index, closing: nil)
    }

    /// Atoms up to `closing` (a group's `)`), each repeated its quantifier's minimum.
    private static func sequence(_ chars: [Character], _ i: inout Int, closing: Character?) -> String? {
        var out = ""
        while i < chars.count {
            if chars[i] == closing {
                i += 1
                return out
            }
            guard let atom = atom(chars, &i), let count = minimum(chars, &i) else { return nil }
            out += String(repeating: atom, count: count)
        }
        return closing == nil ? out : nil
    }

    /// One atom: the text it stands for at its shortest.
    private static func atom(_ chars: [Character], _ i: inout Int) -> String? {
        let c = chars[i]
        i += 1
        switch c {
        case "(":
            // `(?:` is a group too; other `(?` forms are look-arounds.
            if i < chars.count, chars[i] == "?" {
                guard i + 1 < chars.count, chars[i + 1] == ":" else { return nil }
                i += 2
            }
            return sequence(chars, &i, closing: ")")
        case "[": return characterClass(chars, &i)
        case "\\":
            guard i < chars.count else { return nil }
            let e = chars[i]
            i += 1
            switch e {
            case "d": return "1"
            case "w": return "a"
            case "s": return " "
            case _ where e.isLetter || e.isNumber: return nil  // \b, \p{...}, back-references
            default: return String(e)
            }
        case ".": return "a"
        case "|", ")", "*", "+", "?", "{", "^", "$": return nil
        default: return String(c)
        }
    }

    /// The first character of a class (`[A-Za-z0-9_-]` -> `A`); nil for a negated class.
    private static func characterClass(_ chars: [Character], _ i: inout Int) -> String? {
        guard i < chars.count, chars[i] != "^" else { return nil }
        var first: Character?
        while i < chars.count, chars[i] != "]" {
            var c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { return nil }
                i += 1
                switch chars[i] {
                case "d": c = "1"
                case "w": c = "a"
                case "s": c = " "
                case let e where e.isLetter: return nil
                case let e: c = e
                }
            }
            if first == nil { first = c }
            i += 1
        }
        guard i < chars.count, let first else { return nil }
        i += 1  // the `]`
        return String(first)
    }

    /// The minimum count of the quantifier at `i` (1 without one); nil when it cannot be read.
    private static func minimum(_ chars: [Character], _ i: inout Int) -> Int? {
        guard i < chars.count else { return 1 }
        switch chars[i] {
        case "?", "*":
            i += 1
            if i < chars.count, chars[i] == "?" || chars[i] == "+" { i += 1 }
            return 0
        case "+":
            i += 1
            if i < chars.count, chars[i] == "?" || chars[i] == "+" { i += 1 }
            return 1
        case "{":
            guard let close = chars[i...].firstIndex(of: "}") else { return nil }
            let body = String(chars[(i + 1)..<close])
            guard let low = Int(body.split(separator: ",", omittingEmptySubsequences: false).first ?? "") else { return nil }
            i = close + 1
            if i < chars.count, chars[i] == "?" { i += 1 }
            return low
        default: return 1
        }
    }
}
