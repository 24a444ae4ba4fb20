/// Mermaid `erDiagram` text: an entity per table (quoted names), attributes as `type name PK, FK
/// "comment"`, crow's-foot edges child to parent, and each enum as an entity `enum <Name>`.
enum MermaidRenderer {
    static func render(_ model: ERModel) -> String {
        var out = "erDiagram\n"
        for entity in model.entities {
            out += "    \(entityName(entity.name)) {\n"
            for attribute in entity.attributes {
                let keys = attribute.keys
                let name = word(attribute.name)
                var notes: [String] = []
                if name != attribute.name { notes.append(attribute.name) }
                if attribute.nullable { notes.append("nullable") }
                out += "        \(word(attribute.type)) \(name)"
                if !keys.isEmpty { out += " " + keys.joined(separator: ", ") }
                if !notes.isEmpty { out += " " + quoted(notes.joined(separator: ", ")) }
                out += "\n"
            }
            out += "    }\n"
        }
        for node in model.enums {
            out += "    \(entityName("enum " + node.name)) {\n"
            for value in node.values {
                let name = word(value)
                out += "        enum \(name)" + (name == value ? "" : " " + quoted(value)) + "\n"
            }
            out += "    }\n"
        }
        for edge in model.edges {
            // Left: the child's side (zero or many, or zero or one); right: the parent's.
            let child = edge.childIsMany ? "}o" : "|o"
            let parent = edge.parentIsOptional ? "o|" : "||"
            out += "    \(entityName(edge.child)) \(child)--\(parent) \(entityName(edge.parent)) : \(quoted(edge.label))\n"
        }
        return out
    }

    /// A quoted entity name: Mermaid takes anything in quotes but `"`, `%`, `\` and line breaks.
    static func entityName(_ name: String) -> String { quoted(name) }

    static func quoted(_ text: String) -> String {
        "\"" + String(text.map { "\"%\\\r\n".contains($0) ? "_" : $0 }) + "\""
    }

    /// An attribute word (`[A-Za-z_][A-Za-z0-9_\-\[\]()]*`): other characters become `_`.
    static func word(_ text: String) -> String {
        var out = String(
            text.unicodeScalars.map { scalar -> Character in
                let c = Character(scalar)
                return scalar.isASCII && (c.isLetter || c.isNumber || "_-[]()".contains(c)) ? c : "_"
            })
        if let first = out.first, !(first.isLetter || first == "_") { out = "_" + out }
        return out.isEmpty ? "_" : out
    }
}
