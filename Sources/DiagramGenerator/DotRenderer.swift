/// Graphviz DOT: a record-like HTML table per table (a port per column), crow's-foot edges from
/// the foreign-key column to the referenced column, and each enum as a dashed table of values.
enum DotRenderer {
    static func render(_ model: ERModel, title: String) -> String {
        var out = "digraph \(id(title)) {\n"
        out += "    graph [rankdir=LR, fontname=\"Helvetica\"];\n"
        out += "    node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n"
        out += "    edge [dir=both, fontname=\"Helvetica\", fontsize=9];\n"
        var ports: [String: [String: Int]] = [:]
        for entity in model.entities {
            var rows = [header(entity.name, color: entity.isJoinTable ? "#eeeeee" : "#dde6f5")]
            for (index, attribute) in entity.attributes.enumerated() {
                ports[entity.name, default: [:]][attribute.name] = index
                let keys = attribute.keys
                let type = attribute.type + (attribute.nullable ? "?" : "")
                rows.append(
                    "<TR><TD PORT=\"c\(index)\" ALIGN=\"LEFT\">\(html(attribute.name))</TD><TD ALIGN=\"LEFT\">\(html(type))</TD>"
                        + "<TD ALIGN=\"LEFT\">\(keys.joined(separator: " "))</TD></TR>")
            }
            out += "    \(id(entity.name)) [label=<" + table(rows) + ">];\n"
        }
        for node in model.enums {
            let rows =
                [header("enum " + node.name, color: "#f5ecd0")] + node.values.map { "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">\(html($0))</TD></TR>" }
            out += "    \(id("enum " + node.name)) [label=<" + table(rows) + ">, style=dashed];\n"
        }
        for edge in model.edges {
            let from = ports[edge.child]?[edge.childColumns.first ?? ""].map { ":c\($0)" } ?? ""
            let to = ports[edge.parent]?[edge.parentColumns.first ?? ""].map { ":c\($0)" } ?? ""
            // Arrow shapes read from the line outwards: the child's end, then the parent's.
            let tail = edge.childIsMany ? "crowodot" : "teeodot"
            let head = edge.parentIsOptional ? "teeodot" : "teetee"
            out += "    \(id(edge.child))\(from) -> \(id(edge.parent))\(to) [arrowtail=\(tail), arrowhead=\(head), label=\(id(edge.label))];\n"
        }
        return out + "}\n"
    }

    static func header(_ name: String, color: String) -> String {
        "<TR><TD COLSPAN=\"3\" BGCOLOR=\"\(color)\"><B>\(html(name))</B></TD></TR>"
    }

    static func table(_ rows: [String]) -> String {
        "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">" + rows.joined() + "</TABLE>"
    }

    /// A double-quoted DOT identifier.
    static func id(_ text: String) -> String {
        "\"" + escaped(text, ["\"": "\\\"", "\\": "\\\\", "\n": "\\n"]) + "\""
    }

    /// Text inside an HTML-like label.
    static func html(_ text: String) -> String {
        escaped(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"])
    }

    static func escaped(_ text: String, _ replacements: [Character: String]) -> String {
        var out = ""
        for c in text { out += replacements[c] ?? String(c) }
        return out
    }
}
