import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a project into a directory that holds nothing yet, each file as soon as it is rendered.
///
/// Into an empty (or missing) directory nothing can conflict: there is no user file to protect and
/// no earlier manifest, so every file is a plain creation and `GenerationPlan` has nothing to
/// decide. The generator's workers call `write` concurrently, so the files are written while the
/// others are still being rendered. A file is created with `O_EXCL`: if something appears at a path
/// meanwhile, it is never overwritten, the write fails instead. The manifest is written last, by
/// `finish`, so an interrupted run is detected as stale by `--check`.
public final class FreshDirectoryWriter: @unchecked Sendable {
    public let directory: String
    private let lock = NSLock()
    private var hashes: [String: String] = [:]
    private var directories: Set<String> = []
    private var firstError: Error?

    public init(directory: String) {
        // Paths are joined with "/" below: no trailing separator (except for the root itself).
        var directory = directory.isEmpty ? "." : directory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
    }

    /// Whether `directory` is missing or empty, so that `FreshDirectoryWriter` may write into it.
    public static func isFresh(_ directory: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return true }
        guard isDirectory.boolValue, let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        return entries.isEmpty
    }

    /// The number of files written so far.
    public var count: Int { lock.withLock { hashes.count } }

    /// Creates `file` (safe to call from several threads at once). The first error is kept and
    /// rethrown by `finish`; later files are not written after it.
    public func write(_ file: GeneratedFile) {
        // The parent directory relative to `directory` ("" for a file at the top).
        let parent = file.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(file.path[..<$0]) } ?? ""
        let (failed, parentExists) = lock.withLock { (firstError != nil, directories.contains(parent)) }
        if failed { return }
        let base = directory == "/" ? "" : directory
        do {
            if !parentExists {
                // Two workers may create the same directory: withIntermediateDirectories accepts one that exists.
                try FileManager.default.createDirectory(atPath: parent.isEmpty ? directory : base + "/" + parent, withIntermediateDirectories: true)
                lock.withLock { _ = directories.insert(parent) }
            }
            try GenerationPlan.writeNewFile(file.contents, to: base + "/" + file.path, exclusive: true)
            let hash = Manifest.hash(file.contents)
            lock.withLock { hashes[file.path] = hash }
        } catch {
            lock.withLock { if firstError == nil { firstError = error } }
        }
    }

    /// Rethrows the first write error, or writes the manifest of every file written.
    public func finish(database: String?) throws {
        if let firstError { throw firstError }
        try Manifest.write(hashes, database: database, to: directory)
    }
}

extension GeneratorPipeline {
    /// Generates the project for `schema` and writes it into `writer`'s (fresh) directory while it
    /// is being rendered; then writes the manifest.
    public static func writeProject(_ schema: Schema, database: TargetDatabase, with writer: FreshDirectoryWriter) throws {
        let generator = ProjectGenerator(schema: schema, database: database, snapshot: { MigrationSnapshot.encode(schema) })
        generator.generate(each: writer.write)
        try writer.finish(database: database.rawValue)
    }
}
