import SchemaModel

/// `schemaforge diagram SCHEMA --format mermaid|dot`: the entity-relationship diagram.
public enum DiagramTarget: DocumentTarget {
    public static let name = "diagram"
    public static let abstract = "Print the entity-relationship diagram of a schema: Mermaid (erDiagram) or Graphviz DOT."
    public static let formats = ["mermaid", "dot"]

    public static func render(_ schema: Schema, format: String) -> String {
        let model = ERModel(schema)
        return format == "dot" ? DotRenderer.render(model, title: schema.name) : MermaidRenderer.render(model)
    }
}
