/// A document schemaforge renders from a resolved schema (a diagram, a report): one text per format.
///
/// The seam for targets that print rather than write a project: a type in its own module, an
/// entry in `SchemaforgeKit`'s `Targets.documents`, and the CLI offers it as `schemaforge <name>
/// SCHEMA --format F [--output FILE]` with no code of its own.
public protocol DocumentTarget: Sendable {
    /// The command name (`diagram`).
    static var name: String { get }
    /// One line for `--help`.
    static var abstract: String { get }
    /// The formats it renders; the first is the default.
    static var formats: [String] { get }
    /// The text of `schema` in `format` (one of `formats`).
    static func render(_ schema: Schema, format: String) -> String
}
