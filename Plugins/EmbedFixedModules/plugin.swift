import Foundation
import PackagePlugin

/// Embeds the fixed Python modules of `Sources/PythonGenerators/Resources` in the code of the
/// target (`EmbeddedFixedModules.files`), so that the `schemaforge` binary is one file that needs
/// no resource folder beside it (what a wheel installs into a virtual environment's `bin`). The
/// `.py` files stay the one source: ruff lints them where they are.
@main
struct EmbedFixedModules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = target.directoryURL.appending(path: "Resources")
        let files = (FileManager.default.subpaths(atPath: root.path) ?? []).filter { $0.hasSuffix(".py") }.sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFixedModules.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) fixed Python modules",
                executable: try context.tool(named: "embed-fixed-modules").url,
                arguments: [root.path, output.path] + files,
                inputFiles: files.map { root.appending(path: $0) },
                outputFiles: [output]
            )
        ]
    }
}
