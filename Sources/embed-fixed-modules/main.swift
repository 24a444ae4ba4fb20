import Foundation

// The build tool of the EmbedFixedModules plugin: `embed-fixed-modules ROOT OUTPUT FILE...` writes
// OUTPUT, a Swift file with every FILE (a path relative to ROOT) as base64 text, byte for byte.

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: embed-fixed-modules ROOT OUTPUT FILE...\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1])
var source = """
    // Generated at build time by the EmbedFixedModules plugin from Sources/PythonGenerators/Resources.

    /// The fixed Python modules, by path relative to `Resources` (`sql/app/db.py`), base64-encoded.
    enum EmbeddedFixedModules {
        static let files: [String: String] = [

    """
for path in arguments.dropFirst(3) {
    let data = try Data(contentsOf: root.appendingPathComponent(path))
    source += "        \"\(path)\": \"\(data.base64EncodedString())\",\n"
}
source += arguments.count == 3 ? "        :\n    ]\n}\n" : "    ]\n}\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[2]), options: .atomic)
