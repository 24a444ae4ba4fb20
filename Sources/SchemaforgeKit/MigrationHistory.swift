import Foundation
import PythonGenerators

/// A project's migration history as it is on disk: the revision files, how they chain, and the
/// checksums `migrate` recorded (`<migrations>/revisions.sum`, like atlas.sum). `schemaforge check`
/// reads it; `migrate` numbers and links its next revision from it and appends to the checksums.
public struct MigrationHistory: Sendable {
    /// One revision file.
    public struct Revision: Sendable, Equatable {
        /// The file name (`0002_add_tags.py`).
        public var file: String
        /// Its id (Alembic's `revision`; for MongoDB the number).
        public var id: String
        /// The ids it revises (Alembic's `down_revision`: none, one, or several for a merge).
        public var parents: [String]
    }

    public let layout: MigrationLayout
    public let revisions: [Revision]

    /// Reads the revisions under `directory` (a project) in `layout`.
    public init(directory: String, layout: MigrationLayout) {
        self.layout = layout
        let folder = URL(fileURLWithPath: directory).appendingPathComponent(layout.revisions)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".py") && $0 != "__init__.py" && $0 != "migrate.py" && !$0.hasPrefix("_") }.sorted()
        var revisions: [Revision] = []
        for file in files {
            guard let text = try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8) else { continue }
            switch layout.chaining {
            case .numbered:
                guard let number = Self.number(file) else { continue }
                let parents = number > 1 ? [String(format: "%04d", number - 1)] : []
                revisions.append(Revision(file: file, id: String(format: "%04d", number), parents: parents))
            case .revisionIds:
                guard let id = Self.capture(#"(?m)^revision(?:: [^=\n]+)? = ['"]([^'"]+)['"]"#, in: text) else { continue }
                let down = Self.capture(#"(?m)^down_revision(?:: [^=\n]+)? = (.+)$"#, in: text) ?? "None"
                revisions.append(Revision(file: file, id: id, parents: Self.quoted(in: down)))
            }
        }
        self.revisions = revisions
    }

    /// The leading number of a generated revision's file name (`0002_x.py` -> 2); nil for a name
    /// such as Alembic's `6b80e418ff0b_x.py`.
    static func number(_ file: String) -> Int? {
        let digits = file.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, file.dropFirst(digits.count).first == "_" else { return nil }
        return Int(digits)
    }

    /// The next revision number: after the highest generated one.
    public var nextNumber: Int { (revisions.compactMap { Self.number($0.file) }.max() ?? 0) + 1 }

    /// The revisions no other revision revises (one in a linear history).
    public var heads: [Revision] {
        let revised = Set(revisions.flatMap(\.parents))
        return revisions.filter { !revised.contains($0.id) }
    }

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    /// The quoted strings of a Python expression (`"0002"`, `("a", "b")`, `None`).
    static func quoted(in expression: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: #"['"]([^'"]+)['"]"#) else { return [] }
        return regex.matches(in: expression, range: NSRange(expression.startIndex..., in: expression)).compactMap {
            Range($0.range(at: 1), in: expression).map { String(expression[$0]) }
        }
    }

    // MARK: Checksums

    /// `revisions.sum`: one line per file `migrate` wrote (`<path relative to the project> <hash>`),
    /// and the snapshot's line last, with the revision it belongs to.
    public struct Checksums: Sendable, Equatable {
        public var files: [(path: String, hash: String)] = []
        public var snapshotRevision: String?

        public static func == (a: Checksums, b: Checksums) -> Bool {
            a.snapshotRevision == b.snapshotRevision && a.files.map(\.path) == b.files.map(\.path) && a.files.map(\.hash) == b.files.map(\.hash)
        }

        static let header = "# Written by schemaforge migrate: the migration history it wrote, checked by `schemaforge check`. Do not edit."

        public init() {}

        init?(text: String) {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count >= 2 else { return nil }
                files.append((parts[0], parts[1]))
                if parts.count == 3 { snapshotRevision = parts[2] }
            }
        }

        var text: String {
            ([Self.header]
                + files.map { entry in
                    "\(entry.path) \(entry.hash)" + (entry.path.hasSuffix(".json") ? snapshotRevision.map { " " + $0 } ?? "" : "")
                }).joined(separator: "\n") + "\n"
        }
    }

    /// The recorded checksums of the project in `directory`, if `migrate` wrote any.
    public static func checksums(in directory: String, layout: MigrationLayout) -> Checksums? {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(layout.checksums)
        return (try? String(contentsOf: url, encoding: .utf8)).flatMap(Checksums.init(text:))
    }

    /// The checksums after `migrate` writes `revision` (a path) and the snapshot: the earlier
    /// entries kept (the first time, the initial revision as `generate` recorded it), the snapshot's
    /// line moved to the end with the new revision's id.
    public static func checksums(
        afterWriting revision: String, contents: String, id: String, snapshot: String, in directory: String, layout: MigrationLayout
    ) -> Checksums {
        var sums =
            checksums(in: directory, layout: layout)
            ?? {
                var first = Checksums()
                let initial = URL(fileURLWithPath: directory).appendingPathComponent(layout.initialRevision)
                if let data = try? Data(contentsOf: initial), let recorded = Manifest.read(from: directory)[layout.initialRevision],
                    Manifest.matches(recorded, data)
                {
                    first.files.append((layout.initialRevision, recorded))
                }
                return first
            }()
        sums.files.removeAll { $0.path == layout.snapshot }
        sums.files.append((revision, Manifest.hash(contents)))
        sums.files.append((layout.snapshot, Manifest.hash(snapshot)))
        sums.snapshotRevision = id
        return sums
    }
}
