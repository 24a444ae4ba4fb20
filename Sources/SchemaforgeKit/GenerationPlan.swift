import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `schemaforge generate` will do to an output directory, decided before anything is written.
///
/// Generated files are listed with their MD5 in `.schemaforge/manifest.json`. A file whose bytes on
/// disk still match the manifest was not edited and may be replaced or removed; a file that differs
/// from both the manifest and the new output was edited by someone (or was never ours) and is a
/// conflict: nothing is written unless the user passes `--force`.
public struct GenerationPlan: Equatable, Sendable {
    public enum Action: String, Equatable, Sendable {
        case create, update, delete, unchanged, conflict
    }

    public struct Entry: Equatable, Sendable {
        public var path: String
        public var action: Action
        /// New contents (nil for deletions and conflicts on removed files).
        public var contents: String?
    }

    public static let manifestPath = ".schemaforge/manifest.json"

    public var entries: [Entry]

    public var conflicts: [Entry] { entries.filter { $0.action == .conflict } }
    public var changes: [Entry] { entries.filter { $0.action != .unchanged } }
    public var isUpToDate: Bool { changes.isEmpty }

    /// Compares the new files with the directory's current state.
    public static func make(files: [(path: String, contents: String)], outputDirectory: String) -> GenerationPlan {
        let manifest = Manifest.read(from: outputDirectory)
        var entries: [Entry] = []
        var newPaths: Set<String> = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            newPaths.insert(file.path)
            let url = URL(fileURLWithPath: outputDirectory).appendingPathComponent(file.path)
            guard let existing = try? Data(contentsOf: url) else {
                entries.append(Entry(path: file.path, action: .create, contents: file.contents))
                continue
            }
            if existing == Data(file.contents.utf8) {
                entries.append(Entry(path: file.path, action: .unchanged, contents: file.contents))
            } else if let recorded = manifest[file.path], recorded == Manifest.hash(existing) {
                entries.append(Entry(path: file.path, action: .update, contents: file.contents))
            } else {
                entries.append(Entry(path: file.path, action: .conflict, contents: file.contents))
            }
        }
        for (path, recorded) in manifest.sorted(by: { $0.key < $1.key }) where !newPaths.contains(path) {
            let url = URL(fileURLWithPath: outputDirectory).appendingPathComponent(path)
            guard let existing = try? Data(contentsOf: url) else { continue }
            entries.append(Entry(path: path, action: Manifest.hash(existing) == recorded ? .delete : .conflict, contents: nil))
        }
        return GenerationPlan(entries: entries)
    }

    /// Writes the plan: new and changed files atomically, removed files deleted, then the manifest.
    /// With `force`, conflicting files are overwritten (or deleted) too.
    public func apply(to outputDirectory: String, force: Bool, database: String? = nil) throws {
        let base = URL(fileURLWithPath: outputDirectory)
        let fm = FileManager.default
        var manifest: [String: String] = [:]
        var directories: Set<String> = []
        func ensureDirectory(of url: URL) throws {
            let directory = url.deletingLastPathComponent()
            if directories.insert(directory.path).inserted {
                try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            }
        }
        for entry in entries {
            let url = base.appendingPathComponent(entry.path)
            switch entry.action {
            case .create, .update, .unchanged:
                if entry.action == .create {
                    // A new file has nothing to protect: written directly (no temporary file, no fsync).
                    try ensureDirectory(of: url)
                    try Self.writeNewFile(Data((entry.contents ?? "").utf8), to: url.path)
                } else if entry.action == .update {
                    // Replacing a file: atomically, so an interruption leaves the old or the new bytes.
                    try ensureDirectory(of: url)
                    try Data((entry.contents ?? "").utf8).write(to: url, options: .atomic)
                }
                manifest[entry.path] = Manifest.hash(Data((entry.contents ?? "").utf8))
            case .delete:
                try fm.removeItem(at: url)
            case .conflict:
                guard force else { continue }
                if let contents = entry.contents {
                    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(contents.utf8).write(to: url, options: .atomic)
                    manifest[entry.path] = Manifest.hash(Data(contents.utf8))
                } else {
                    try fm.removeItem(at: url)
                }
            }
        }
        try Manifest.write(manifest, database: database ?? Manifest.database(in: outputDirectory), to: outputDirectory)
    }
}

extension GenerationPlan {
    /// Writes a file that did not exist with plain open/write/close: Foundation's `Data.write`
    /// fsyncs every file, which dominates the time of writing a whole project (thousands of files).
    /// The manifest is written last, so an interrupted run is detected as stale by `--check`.
    static func writeNewFile(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
                }
                offset += written
            }
        }
    }
}

/// `.schemaforge/manifest.json`: generated path -> MD5 of the bytes schemaforge wrote.
public enum Manifest {
    static func hash(_ data: Data) -> String { "md5:" + MD5.hex([UInt8](data)) }

    static func read(from directory: String) -> [String: String] {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath)
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = object["files"] as? [String: String]
        else { return [:] }
        return files
    }

    static func write(_ files: [String: String], database: String?, to directory: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var object: [String: Any] = ["generator": "schemaforge", "files": files]
        if let database { object["database"] = database }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try (data + Data("\n".utf8)).write(to: url, options: .atomic)
    }

    /// The database the project in `directory` was generated for.
    public static func database(in directory: String) -> String? {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath)
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["database"] as? String
    }

}
