import ArgumentParser
import SchemaforgeKit

/// The command of a document target (`Targets.documents`): the schema in, the document out.
struct DocumentCommand<Target: DocumentTarget>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Target.name,
            abstract: Target.abstract,
            discussion: """
                Formats: \(Target.formats.joined(separator: ", ")) (default \(Target.formats[0])).

                Example:
                  schemaforge \(Target.name) examples/blog.yaml --format \(Target.formats.last ?? Target.formats[0])
                """)
    }

    @OptionGroup var input: SchemaInput

    @Option(name: [.short, .long], help: "The format.")
    var format: String?

    @Option(name: [.short, .long], help: "Write to this file instead of stdout.")
    var output: String?

    func validate() throws {
        if let format, !Target.formats.contains(format) {
            throw ValidationError("unknown format '\(format)'; choose one of: \(Target.formats.joined(separator: ", "))")
        }
    }

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        try OutputWriter.write(Target.render(schema, format: format ?? Target.formats[0]), to: output)
    }
}

/// `DocumentCommand` of a registered target.
func documentCommand(_ target: any DocumentTarget.Type) -> ParsableCommand.Type {
    func command<T: DocumentTarget>(_: T.Type) -> ParsableCommand.Type { DocumentCommand<T>.self }
    return command(target)
}
