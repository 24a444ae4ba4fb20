import Foundation
import SchemaModel

/// Reads a native schema file (YAML or JSON) into a `SchemaDocument`.
public enum SchemaFileReader {
    /// File extensions this reader accepts.
    public static let supportedExtensions = ["yaml", "yml", "json"]

    /// Reads and decodes `text`. Returns the document (possibly partial) and every diagnostic found;
    /// the document is `nil` only when the text is not valid YAML/JSON at all.
    public static func read(text: String, file: String) -> (document: SchemaDocument?, diagnostics: [Diagnostic]) {
        if text.contains("\t") {
            // YAML forbids tabs for indentation; point at the first one rather than at libyaml's guess.
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let leading = line.prefix { $0 == " " || $0 == "\t" }
                if let col = leading.firstIndex(of: "\t") {
                    let column = leading.distance(from: leading.startIndex, to: col) + 1
                    return (nil, [.error("tab characters cannot indent YAML; use spaces", at: SourceLocation(file: file, line: i + 1, column: column))])
                }
            }
        }
        switch YAMLSyntaxReader.parse(text, file: file) {
        case let .failure(diagnostic):
            return (nil, [diagnostic])
        case let .success(root):
            var decoder = DocumentDecoder(file: file)
            let document = decoder.decode(root)
            return (document, decoder.diagnostics.diagnostics)
        }
    }

    /// Reads the file at `path`; an unreadable file or unknown extension is a diagnostic.
    public static func read(path: String) -> (document: SchemaDocument?, diagnostics: [Diagnostic]) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard supportedExtensions.contains(ext) else {
            return (nil, [.error("unsupported schema file extension '.\(ext)' (supported: \(supportedExtensions.map { ".\($0)" }.joined(separator: ", ")))", at: nil)])
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
