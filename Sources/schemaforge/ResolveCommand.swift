import ArgumentParser
import SchemaforgeKit

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the resolved schema (the IR and migration snapshot format) as stable JSON.",
        discussion: "Example: schemaforge resolve examples/shop.yaml")

    @OptionGroup var input: SchemaInput

    @Option(name: [.short, .long], help: "Write to this file instead of stdout.")
    var output: String?

    func run() throws {
        let loaded = try input.load()
        guard let schema = loaded.schema else { throw ExitCode(1) }
        try OutputWriter.write(SnapshotEncoder.encode(schema), to: output)
    }
}
