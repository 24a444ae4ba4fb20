/// The version of schemaforge, printed by `schemaforge --version`.
public enum SchemaforgeVersion {
    /// The version of this build (semantic versioning).
    public static let current = "0.1.0"
}
