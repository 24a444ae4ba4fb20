import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `schemaforge generate` will do to an output directory, decided before anything is written.
///
/// Generated files are listed with a hash of their bytes (xxHash64) in `.schemaforge/manifest.json`.
/// A file whose bytes on disk still match the manifest was not edited and may be replaced or
/// removed; a file that differs from both the manifest and the new output was edited by someone (or
/// was never ours) and is a conflict: nothing is written unless the user passes `--force`.
///
/// User files (hooks, custom routes: `GeneratedFile.isUserFile`) are written only when missing and
/// are never compared, replaced or removed; the manifest lists them apart, so that one whose entity
/// left the schema is reported (`orphaned`) and left in place.
public struct GenerationPlan: Equatable, Sendable {
    public enum Action: String, Equatable, Sendable {
        case create, update, delete, unchanged, conflict
        /// A user file that exists: kept as it is.
        case kept
        /// A user file the schema no longer asks for (its entity is gone): kept as it is, and said.
        case orphaned
    }

    public struct Entry: Equatable, Sendable {
        public var path: String
        public var action: Action
        /// New contents (nil for deletions and conflicts on removed files).
        public var contents: String?
        /// A user file: written when missing, otherwise left alone.
        public var isUserFile = false
    }

    public static let manifestPath = ".schemaforge/manifest.json"

    public var entries: [Entry]

    public var conflicts: [Entry] { entries.filter { $0.action == .conflict } }
    public var changes: [Entry] { entries.filter { ![.unchanged, .kept, .orphaned].contains($0.action) } }
    public var orphans: [Entry] { entries.filter { $0.action == .orphaned } }
    public var isUpToDate: Bool { changes.isEmpty }

    /// Compares the new files with the directory's current state.
    public static func make(files: [(path: String, contents: String)], outputDirectory: String) -> GenerationPlan {
        make(files: files.map { GeneratedFile(path: $0.path, contents: $0.contents) }, outputDirectory: outputDirectory)
    }

    /// Compares the new files with the directory's current state; user files are created when missing.
    public static func make(files: [GeneratedFile], outputDirectory: String) -> GenerationPlan {
        let manifest = Manifest.read(from: outputDirectory)
        var entries: [Entry] = []
        var newPaths: Set<String> = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            newPaths.insert(file.path)
            let url = URL(fileURLWithPath: outputDirectory).appendingPathComponent(file.path)
            if file.isUserFile {
                let exists = FileManager.default.fileExists(atPath: url.path)
                entries.append(Entry(path: file.path, action: exists ? .kept : .create, contents: file.contents, isUserFile: true))
                continue
            }
            guard let existing = try? Data(contentsOf: url) else {
                entries.append(Entry(path: file.path, action: .create, contents: file.contents))
                continue
            }
            if existing == Data(file.contents.utf8) {
                entries.append(Entry(path: file.path, action: .unchanged, contents: file.contents))
            } else if let recorded = manifest[file.path], Manifest.matches(recorded, existing) {
                entries.append(Entry(path: file.path, action: .update, contents: file.contents))
            } else {
                entries.append(Entry(path: file.path, action: .conflict, contents: file.contents))
            }
        }
        for (path, recorded) in manifest.sorted(by: { $0.key < $1.key }) where !newPaths.contains(path) {
            let url = URL(fileURLWithPath: outputDirectory).appendingPathComponent(path)
            guard let existing = try? Data(contentsOf: url) else { continue }
            entries.append(Entry(path: path, action: Manifest.matches(recorded, existing) ? .delete : .conflict, contents: nil))
        }
        for path in Manifest.userFiles(in: outputDirectory) where !newPaths.contains(path) {
            guard FileManager.default.fileExists(atPath: URL(fileURLWithPath: outputDirectory).appendingPathComponent(path).path) else { continue }
            entries.append(Entry(path: path, action: .orphaned, contents: nil, isUserFile: true))
        }
        return GenerationPlan(entries: entries)
    }

    /// Writes the plan: new and changed files atomically, removed files deleted, then the manifest.
    /// With `force`, conflicting files are overwritten (or deleted) too.
    public func apply(to outputDirectory: String, force: Bool, database: String? = nil) throws {
        let base = URL(fileURLWithPath: outputDirectory)
        let fm = FileManager.default
        var manifest: [String: String] = [:]
        var userFiles: [String] = []
        var directories: Set<String> = []
        func ensureDirectory(of url: URL) throws {
            let directory = url.deletingLastPathComponent()
            if directories.insert(directory.path).inserted {
                try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            }
        }
        for entry in entries {
            let url = base.appendingPathComponent(entry.path)
            if entry.isUserFile {
                userFiles.append(entry.path)
                if entry.action == .create {
                    try ensureDirectory(of: url)
                    try Self.writeNewFile(entry.contents ?? "", to: url.path, exclusive: true)
                }
                continue
            }
            switch entry.action {
            case .create, .update, .unchanged:
                if entry.action == .create {
                    // A new file has nothing to protect: written directly (no temporary file, no fsync).
                    try ensureDirectory(of: url)
                    try Self.writeNewFile(entry.contents ?? "", to: url.path)
                } else if entry.action == .update {
                    // Replacing a file: atomically, so an interruption leaves the old or the new bytes.
                    try ensureDirectory(of: url)
                    try Data((entry.contents ?? "").utf8).write(to: url, options: .atomic)
                }
                manifest[entry.path] = Manifest.hash(entry.contents ?? "")
            case .delete:
                try fm.removeItem(at: url)
            case .kept, .orphaned:
                continue
            case .conflict:
                guard force else { continue }
                if let contents = entry.contents {
                    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(contents.utf8).write(to: url, options: .atomic)
                    manifest[entry.path] = Manifest.hash(contents)
                } else {
                    try fm.removeItem(at: url)
                }
            }
        }
        try Manifest.write(manifest, database: database ?? Manifest.database(in: outputDirectory), userFiles: userFiles, to: outputDirectory)
    }
}

extension GenerationPlan {
    /// Writes a file that did not exist with plain open/write/close: Foundation's `Data.write`
    /// fsyncs every file, which dominates the time of writing a whole project (thousands of files).
    /// The manifest is written last, so an interrupted run is detected as stale by `--check`.
    /// With `exclusive`, an existing file is an error rather than truncated (`O_EXCL`).
    static func writeNewFile(_ contents: String, to path: String, exclusive: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | (exclusive ? O_EXCL : O_TRUNC), 0o644)
        guard fd >= 0 else { throw writeError(path, errno, exists: errno == EEXIST) }
        defer { close(fd) }
        var contents = contents
        try contents.withUTF8 { bytes in
            let buffer = UnsafeRawBufferPointer(bytes)
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw writeError(path, errno, exists: false)
                }
                offset += written
            }
        }
    }

    /// An error that names the file and the system's reason.
    static func writeError(_ path: String, _ code: Int32, exists: Bool) -> CocoaError {
        CocoaError(
            exists ? .fileWriteFileExists : .fileWriteUnknown,
            userInfo: [
                NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "\(path): \(String(cString: strerror(code)))",
            ])
    }
}

/// `.schemaforge/manifest.json`: generated path -> hash of the bytes schemaforge wrote.
public enum Manifest {
    /// The hash recorded for new contents: xxHash64, which only has to notice an edit.
    static func hash(_ contents: String) -> String { "xxh64:" + XXH64.hex(utf8: contents) }

    /// Whether `data` is what a recorded hash describes. Manifests written before xxHash64 record
    /// MD5 (`md5:`): they are still read.
    static func matches(_ recorded: String, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            if recorded.hasPrefix("md5:") { return recorded == "md5:" + MD5.hex(bytes) }
            return recorded == "xxh64:" + XXH64.hex(bytes)
        }
    }

    static func read(from directory: String) -> [String: String] {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath)
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["files"] as? [String: String]
        else { return [:] }
        return files
    }

    /// The user files `generate` wrote or found (`user_files`): the ones it must never touch.
    static func userFiles(in directory: String) -> [String] {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath)
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return object["user_files"] as? [String] ?? []
    }

    static func write(_ files: [String: String], database: String?, userFiles: [String] = [], to directory: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Atomic without an fsync (Foundation's `.atomic` write syncs the file, the slowest step of a
        // fresh project's last, serial phase): a temporary file beside it, then rename(2).
        let temporary = url.path + ".tmp-\(getpid())"
        try GenerationPlan.writeNewFile(json(files, database: database, userFiles: userFiles), to: temporary)
        guard rename(temporary, url.path) == 0 else {
            let error = GenerationPlan.writeError(url.path, errno, exists: false)
            unlink(temporary)
            throw error
        }
    }

    /// The manifest as pretty-printed JSON with sorted keys (written directly: JSONSerialization
    /// costs as much as hashing the files for a large project).
    static func json(_ files: [String: String], database: String?, userFiles: [String] = []) -> String {
        var out = "{\n"
        if let database { out += "  \"database\" : " + jsonString(database) + ",\n" }
        out += "  \"files\" : {"
        var first = true
        for path in files.keys.sorted() {
            out += first ? "\n" : ",\n"
            first = false
            out += "    " + jsonString(path) + " : " + jsonString(files[path]!)
        }
        out += first ? "},\n" : "\n  },\n"
        out += "  \"generator\" : \"schemaforge\""
        if !userFiles.isEmpty {
            out += ",\n  \"user_files\" : [\n" + userFiles.sorted().map { "    " + jsonString($0) }.joined(separator: ",\n") + "\n  ]"
        }
        return out + "\n}\n"
    }

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        // Paths and hashes rarely need an escape.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether `directory` holds a manifest (a project schemaforge generated).
    public static func exists(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent(GenerationPlan.manifestPath).path)
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
