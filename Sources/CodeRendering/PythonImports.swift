/// The imports of a module, as data; rendered grouped and sorted the way ruff's isort rules expect.
public struct PythonImports: Sendable {
    /// `from module import name`, in the order added, repeats included (a generator adds the same
    /// import many times: appending is cheaper than hashing each time; `render` groups them once).
    private var fromPairs: [(module: String, name: String)] = []
    /// `import module`, in the order added, repeats included.
    private var modules: [String] = []
    /// Top-level packages of this project (first-party section).
    public var firstParty: Set<String> = ["app", "tests"]

    public init() {}

    public mutating func from(_ module: String, import names: String...) {
        for name in names { fromPairs.append((module, name)) }
    }

    public mutating func module(_ name: String) { modules.append(name) }

    public var isEmpty: Bool { fromPairs.isEmpty && modules.isEmpty }

    /// `from module import names`, grouped (a module has few names and a file few modules: a linear
    /// search beats hashing or sorting the pairs), modules in isort's case-insensitive order, each
    /// name once.
    private var fromImports: [(module: String, names: [String])] {
        var groups: [(module: String, names: [String])] = []
        // Lengths first: most modules differ in length, and comparing two lengths is cheaper than
        // comparing two strings.
        @inline(__always) func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a == b }
        for pair in fromPairs {
            if let g = groups.lastIndex(where: { same($0.module, pair.module) }) {
                if !groups[g].names.contains(where: { same($0, pair.name) }) { groups[g].names.append(pair.name) }
            } else {
                groups.append((pair.module, [pair.name]))
            }
        }
        guard groups.count > 1 else { return groups }
        return groups.map { (folded: $0.module.lowercased(), group: $0) }
            .sorted { ($0.folded, $0.group.module) < ($1.folded, $1.group.module) }.map(\.group)
    }

    /// `import module`, without repeats.
    private var moduleImports: Set<String> { Set(modules) }

    static let standardLibrary: Set<String> = [
        "__future__", "collections", "contextlib", "dataclasses", "datetime", "decimal", "enum", "functools",
        "argparse", "json", "os", "pathlib", "re", "typing", "uuid", "asyncio", "logging", "sys", "collections.abc",
        "importlib", "itertools", "types", "warnings", "hashlib", "urllib", "urllib.parse", "math", "http",
    ]

    private enum Section: Int { case future, standard, thirdParty, firstParty }

    private func section(of module: String) -> Section {
        // The top-level package (a leading "." is a relative import: first party below).
        let top = module.utf8.firstIndex(of: UInt8(ascii: ".")).map { String(module[..<$0]) } ?? module
        if module == "__future__" { return .future }
        if firstParty.contains(top) || module.hasPrefix(".") { return .firstParty }
        if Self.standardLibrary.contains(module) || Self.standardLibrary.contains(top) { return .standard }
        return .thirdParty
    }

    /// isort's `order-by-type`: CONSTANTS, then Classes, then everything else; case-sensitive within.
    public static func sortNames(_ names: Set<String>) -> [String] { sortNames(Array(names)) }

    /// `sortNames` of a list that may repeat names: each name once.
    public static func sortNames(_ names: [String]) -> [String] {
        func kind(_ n: String) -> Int {
            if n.utf8.allSatisfy({ $0 < 0x80 }) {
                // ASCII names (nearly all): the same answer from the bytes.
                let bytes = n.utf8
                if bytes.count > 1, !bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }),
                    bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
                {
                    return 0
                }
                if let first = bytes.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") { return 1 }
                return 2
            }
            if n.count > 1, n == n.uppercased(), n.contains(where: \.isLetter) { return 0 }
            if n.first?.isUppercase == true { return 1 }
            return 2
        }
        if names.count == 1 { return names }
        // The keys are computed once per name, not once per comparison.
        let sorted = names.map { (kind: kind($0), folded: $0.lowercased(), name: $0) }
            .sorted { ($0.kind, $0.folded, $0.name) < ($1.kind, $1.folded, $1.name) }
        // Repeats are neighbours once sorted.
        var result: [String] = []
        result.reserveCapacity(sorted.count)
        for entry in sorted where result.last != entry.name { result.append(entry.name) }
        return result
    }

    /// The order ruff's RUF022 wants for `__all__`: SCREAMING_CASE names, then CamelCase, then the
    /// rest; within each, a natural sort (digit runs by value) that is case-sensitive.
    public static func sortDunderAll(_ names: [String]) -> [String] {
        func kind(_ n: String) -> Int {
            if n == n.uppercased(), n.contains(where: \.isLetter) { return 0 }
            return n.first?.isUppercase == true ? 1 : 2
        }
        func chunks(_ n: String) -> [(digits: Bool, text: Substring)] {
            var out: [(Bool, Substring)] = []
            var start = n.startIndex
            var index = n.startIndex
            while index < n.endIndex {
                let digit = n[index].isASCII && n[index].isNumber
                var end = n.index(after: index)
                while end < n.endIndex, (n[end].isASCII && n[end].isNumber) == digit { end = n.index(after: end) }
                out.append((digit, n[index..<end]))
                index = end
                start = end
            }
            _ = start
            return out
        }
        func less(_ a: String, _ b: String) -> Bool {
            let (x, y) = (chunks(a), chunks(b))
            for (p, q) in zip(x, y) {
                if p.digits, q.digits {
                    let (u, v) = (p.text.drop { $0 == "0" }, q.text.drop { $0 == "0" })
                    if u.count != v.count { return u.count < v.count }
                    if u != v { return u.unicodeScalars.lexicographicallyPrecedes(v.unicodeScalars) }
                } else if p.text != q.text {
                    return p.text.unicodeScalars.lexicographicallyPrecedes(q.text.unicodeScalars)
                }
            }
            return x.count < y.count
        }
        let unique = Array(Set(names))
        return unique.map { (kind: kind($0), name: $0) }.sorted { $0.kind != $1.kind ? $0.kind < $1.kind : less($0.name, $1.name) }.map(\.name)
    }

    /// Module names in isort's case-insensitive order.
    private static func sortModules<S: Sequence<String>>(_ modules: S) -> [String] {
        modules.map { (folded: $0.lowercased(), name: $0) }.sorted { $0.folded < $1.folded }.map(\.name)
    }

    /// Import lines, sections separated by one blank line (an empty string element).
    public func render(lineLength: Int) -> [String] {
        var sections: [[String]] = [[], [], [], []]
        for module in Self.sortModules(moduleImports) {
            sections[section(of: module).rawValue].append("import " + module)
        }
        for (module, repeated) in fromImports {
            let sorted = Self.sortNames(repeated)
            // isort without `combine-as-imports` (ruff's default): each `name as alias` is a
            // statement of its own; the statements of a module are ordered by their first name.
            let plain = sorted.filter { !$0.contains(" as ") }
            let statements = sorted.compactMap { name -> [String]? in
                name.contains(" as ") ? [name] : name == plain.first ? plain : nil
            }
            for names in statements {
                let line = "from " + module + " import " + names.joined(separator: ", ")
                if line.utf8.count <= lineLength || line.count <= lineLength {
                    sections[section(of: module).rawValue].append(line)
                } else {
                    sections[section(of: module).rawValue].append(
                        "from " + module + " import (\n" + names.map { "    " + $0 + ",\n" }.joined() + ")")
                }
            }
        }
        var lines: [String] = []
        for block in sections where !block.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append(contentsOf: block)
        }
        return lines
    }
}
