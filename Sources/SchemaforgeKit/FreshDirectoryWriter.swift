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
/// decide. The generator's workers hand files to `write` concurrently; one writer thread creates
/// them in turn while the workers go on rendering (one thread, because two threads creating files
/// in the same directories contend in the kernel, badly so when ext4 is searching for free
/// inodes). A file is created with `O_EXCL`: if something appears at a path meanwhile, it is never
/// overwritten, the write fails instead. The manifest is written last, by `finish`, so an
/// interrupted run is detected as stale by `--check`.
public final class FreshDirectoryWriter: @unchecked Sendable {
    public let directory: String
    /// The writer thread: the state below is touched only on it (`finish` and `count` read it through `sync`).
    private let queue = DispatchQueue(label: "schemaforge.fresh-directory-writer", qos: .userInitiated)
    private var hashes: [String: String] = [:]
    private var userFiles: [String] = []
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

    /// The number of files written (after `finish`).
    public var count: Int { queue.sync { hashes.count + userFiles.count } }

    /// Queues `file` for the writer thread (safe to call from several threads at once). The first
    /// error is kept and rethrown by `finish`; no file is written after it.
    public func write(_ file: GeneratedFile) {
        queue.async { self.create(file) }
    }

    /// Waits for the queued files, then rethrows the first write error, or writes the manifest of
    /// every file written.
    public func finish(database: String?) throws {
        let error = queue.sync { firstError }
        if let error { throw error }
        let (hashes, userFiles) = queue.sync { (self.hashes, self.userFiles) }
        try Manifest.write(hashes, database: database, userFiles: userFiles, to: directory)
    }

    /// On the writer thread.
    private func create(_ file: GeneratedFile) {
        guard firstError == nil else { return }
        // The parent directory relative to `directory` ("" for a file at the top).
        let parent = file.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(file.path[..<$0]) } ?? ""
        let base = directory == "/" ? "" : directory
        do {
            if !directories.contains(parent) {
                try FileManager.default.createDirectory(atPath: parent.isEmpty ? directory : base + "/" + parent, withIntermediateDirectories: true)
                directories.insert(parent)
            }
            try GenerationPlan.writeNewFile(file.contents, to: base + "/" + file.path, exclusive: true)
            if file.isUserFile {
                userFiles.append(file.path)
            } else {
                hashes[file.path] = Manifest.hash(file.contents)
            }
        } catch {
            firstError = error
        }
    }
}

extension GeneratorPipeline {
    /// Generates the project for `schema` and writes it into `writer`'s (fresh) directory while it
    /// is being rendered; then writes the manifest.
    public static func writeProject(_ schema: Schema, database: TargetDatabase, with writer: FreshDirectoryWriter) throws {
        Targets.project(database).generate(schema, snapshot: { MigrationSnapshot.encode(schema) }, each: writer.write)
        try writer.finish(database: database.rawValue)
    }
}
