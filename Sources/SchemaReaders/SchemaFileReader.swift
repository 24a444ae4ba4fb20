import Foundation
import SchemaModel

/// Reads a native schema file (YAML or JSON) into a `SchemaDocument`.
public enum SchemaFileReader {
    /// File extensions this reader accepts.
    public static let supportedExtensions = ["yaml", "yml", "json"]

    /// Reads and decodes `text`. Returns the document (possibly partial) and every diagnostic found;
    /// the document is `nil` only when the text is not a YAML/JSON mapping at all.
    public static func read(text: String, file: String) -> (document: SchemaDocument?, diagnostics: [Diagnostic]) {
        switch YAMLSyntaxReader.parse(text, file: file) {
        case let .failure(diagnostic):
            // YAML forbids tabs for indentation (JSON and flow collections may use them, so only
            // blame a tab when the parse failed): point at the first one rather than at libyaml's guess.
            if let tab = firstIndentingTab(in: text, upTo: diagnostic.location?.line ?? Int.max, file: file) {
                return (nil, [.error("tab characters cannot indent YAML; indent with spaces", at: tab)])
            }
            return (nil, [diagnostic])
        case let .success(root):
            guard case .mapping = root else {
                return (
                    nil,
                    [
                        .error(
                            "the schema must be a mapping with 'schema' and 'entities' keys, found \(DocumentDecoder.describe(root))",
                            at: root.location)
                    ]
                )
            }
            var decoder = DocumentDecoder(file: file)
            let document = decoder.decode(root)
            return (document, decoder.diagnostics.diagnostics)
        }
    }

    /// The first tab in the leading whitespace of a line at or before `lastLine`.
    private static func firstIndentingTab(in text: String, upTo lastLine: Int, file: String) -> SourceLocation? {
        guard text.contains("\t") else { return nil }
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i < lastLine {
            let leading = line.prefix { $0 == " " || $0 == "\t" }
            if let tab = leading.firstIndex(of: "\t") {
                return SourceLocation(file: file, line: i + 1, column: leading.distance(from: leading.startIndex, to: tab) + 1)
            }
        }
        return nil
    }

    /// Reads the file at `path`; an unreadable file or unknown extension is a diagnostic.
    public static func read(path: String) -> (document: SchemaDocument?, diagnostics: [Diagnostic]) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard supportedExtensions.contains(ext) else {
            return (
                nil,
                [
                    .error(
                        "unsupported schema file extension '.\(ext)' (supported: \(supportedExtensions.map { ".\($0)" }.joined(separator: ", ")))",
                        at: nil)
                ]
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [.error("cannot read '\(path)': no such file or not readable", at: nil)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [.error("'\(path)' is not UTF-8 text", at: SourceLocation(file: path, line: 1, column: 1))])
        }
        return read(text: text, file: path)
    }
}
