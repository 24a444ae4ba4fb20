import ArgumentParser
import Foundation
import SchemaforgeKit

extension Dialect: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Options every command that reads a schema shares.
struct SchemaInput: ParsableArguments {
    @Argument(help: "The schema file (.yaml, .yml or .json).")
    var file: String

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    /// Loads the schema and prints its diagnostics to stderr; throws exit code 1 on errors.
    func load() throws -> LoadedSchema {
        let loaded = GeneratorPipeline.load(path: file)
        report(loaded.diagnostics)
        if loaded.hasErrors || (strict && !loaded.diagnostics.isEmpty) { throw ExitCode(1) }
        return loaded
    }
}

func report(_ diagnostics: [Diagnostic]) {
    guard !diagnostics.isEmpty else { return }
    let text = diagnostics.map(\.description).joined(separator: "\n") + "\n"
    FileHandle.standardError.write(Data(text.utf8))
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    if errors > 0 {
        FileHandle.standardError.write(Data("\(errors) error(s), \(warnings) warning(s)\n".utf8))
    }
}

/// Writes command output: to stdout, or atomically to a file (never a partial file).
enum OutputWriter {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: path)
        if let existing = try? Data(contentsOf: url), existing == Data(text.utf8) { return }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw ValidationError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
