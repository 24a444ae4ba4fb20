import Foundation
import SchemaforgeKit
import Testing

/// Safe re-generation: unchanged files untouched, edited files are conflicts, removed files deleted.
@Suite("Generation plan")
struct GenerationPlanTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sf-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func read(_ directory: String, _ path: String) -> String? {
        try? String(contentsOfFile: (directory as NSString).appendingPathComponent(path), encoding: .utf8)
    }

    func write(_ directory: String, _ path: String, _ text: String) throws {
        try text.write(toFile: (directory as NSString).appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    @Test("first run creates every file and a manifest; a second run changes nothing")
    func createThenUnchanged() throws {
        let dir = try temporaryDirectory()
        let files = [(path: "a.py", contents: "a\n"), (path: "pkg/b.py", contents: "b\n")]
        let first = GenerationPlan.make(files: files, outputDirectory: dir)
        #expect(first.entries.map(\.action) == [.create, .create])
        try first.apply(to: dir, force: false)
        #expect(read(dir, "pkg/b.py") == "b\n")
        #expect(read(dir, GenerationPlan.manifestPath)?.contains("xxh64:") == true)
        let second = GenerationPlan.make(files: files, outputDirectory: dir)
        #expect(second.isUpToDate)
    }

    @Test("user files: created when missing, then never replaced (not even with --force) nor removed; an orphan is said")
    func userFilesAreWrittenOnce() throws {
        let dir = try temporaryDirectory()
        let hook = GeneratedFile(path: "app/hooks/post.py", contents: "fresh\n", isUserFile: true)
        let generated = GeneratedFile(path: "app/crud/post.py", contents: "crud\n")
        let first = GenerationPlan.make(files: [generated, hook], outputDirectory: dir)
        #expect(first.entries.map(\.action) == [.create, .create])
        try first.apply(to: dir, force: false)
        try write(dir, "app/hooks/post.py", "mine\n")
        let second = GenerationPlan.make(
            files: [generated, GeneratedFile(path: "app/hooks/post.py", contents: "newer\n", isUserFile: true)], outputDirectory: dir)
        #expect(second.isUpToDate)
        #expect(second.entries.first { $0.path == "app/hooks/post.py" }?.action == .kept)
        try second.apply(to: dir, force: true)
        #expect(read(dir, "app/hooks/post.py") == "mine\n")
        // The entity left the schema: its generated module goes, the user's hook stays and is reported.
        let third = GenerationPlan.make(files: [GeneratedFile](), outputDirectory: dir)
        #expect(third.entries.map(\.action) == [.delete, .orphaned])
        #expect(third.orphans.map(\.path) == ["app/hooks/post.py"])
        try third.apply(to: dir, force: true)
        #expect(read(dir, "app/hooks/post.py") == "mine\n" && read(dir, "app/crud/post.py") == nil)
    }

    @Test("the manifest is JSON that reads back: quotes, backslashes, control characters and non-ASCII in paths")
    func manifestRoundTrip() throws {
        let dir = try temporaryDirectory()
        let files = [
            (path: "q\"uote.py", contents: "1\n"), (path: "back\\slash.py", contents: "2\n"),
            (path: "tab\tand\u{1}.py", contents: "3\n"), (path: "caf\u{e9}/\u{1F600}.py", contents: "4\n"),
        ]
        try GenerationPlan.make(files: files, outputDirectory: dir).apply(to: dir, force: false, database: "sqlite")
        let data = try #require(read(dir, GenerationPlan.manifestPath)?.data(using: .utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["database"] as? String == "sqlite")
        #expect(object["generator"] as? String == "schemaforge")
        let recorded = try #require(object["files"] as? [String: String])
        #expect(Set(recorded.keys) == Set(files.map(\.path)))
        // Every recorded hash is the xxHash64 of the bytes on disk: a second run sees nothing to do.
        #expect(GenerationPlan.make(files: files, outputDirectory: dir).isUpToDate)
        #expect(recorded["q\"uote.py"] == "xxh64:0d3148243051664f")
        // Written through a temporary file and a rename: nothing else is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/.schemaforge") == ["manifest.json"])
    }

    @Test("a manifest written with MD5 hashes (before xxHash64) still tells generated files from edited ones")
    func md5ManifestStillRead() throws {
        let dir = try temporaryDirectory()
        try write(dir, "a.py", "1\n")
        try write(dir, "b.py", "2\n# my edit\n")
        try write(dir, "gone.py", "1\n")
        try FileManager.default.createDirectory(atPath: dir + "/.schemaforge", withIntermediateDirectories: true)
        // MD5 of "1\n" (a.py and gone.py as generated) and of "2\n" (b.py as generated, since edited).
        try write(
            dir, GenerationPlan.manifestPath,
            """
            {"files": {"a.py": "md5:b026324c6904b2a9cb4b88d6d61c81d1", "b.py": "md5:26ab0db90d72e28ad0ba1e22ee510510",
                       "gone.py": "md5:b026324c6904b2a9cb4b88d6d61c81d1"}, "generator": "schemaforge"}
            """)
        let plan = GenerationPlan.make(files: [("a.py", "1 changed\n"), ("b.py", "2 changed\n")], outputDirectory: dir)
        #expect(plan.entries.map(\.path) == ["a.py", "b.py", "gone.py"])
        #expect(plan.entries.map(\.action) == [.update, .conflict, .delete])
    }

    @Test("the fresh-directory writer never overwrites a file that appeared meanwhile, and then writes no manifest")
    func freshWriterRefusesExistingFile() throws {
        let dir = try temporaryDirectory()
        #expect(FreshDirectoryWriter.isFresh(dir))
        #expect(FreshDirectoryWriter.isFresh(dir + "/missing"))
        let writer = FreshDirectoryWriter(directory: dir)
        writer.write(GeneratedFile(path: "pkg/a.py", contents: "a\n"))
        try write(dir, "b.py", "mine\n")
        #expect(!FreshDirectoryWriter.isFresh(dir))
        writer.write(GeneratedFile(path: "b.py", contents: "generated\n"))
        #expect(throws: (any Error).self) { try writer.finish(database: "sqlite") }
        #expect(read(dir, "b.py") == "mine\n")
        #expect(read(dir, "pkg/a.py") == "a\n")
        #expect(read(dir, GenerationPlan.manifestPath) == nil)
    }

    @Test("a file changed by the generator is updated; an edited file is a conflict")
    func updateAndConflict() throws {
        let dir = try temporaryDirectory()
        try GenerationPlan.make(files: [("a.py", "a\n"), ("b.py", "b\n")], outputDirectory: dir).apply(to: dir, force: false)
        try write(dir, "b.py", "b\n# my edit\n")
        let plan = GenerationPlan.make(files: [("a.py", "a2\n"), ("b.py", "b2\n")], outputDirectory: dir)
        #expect(plan.entries.map(\.action) == [.update, .conflict])
        #expect(plan.conflicts.map(\.path) == ["b.py"])
        // Without force the conflicting file keeps the user's edit.
        try plan.apply(to: dir, force: false)
        #expect(read(dir, "a.py") == "a2\n")
        #expect(read(dir, "b.py") == "b\n# my edit\n")
        // With force it is overwritten and recorded again.
        try GenerationPlan.make(files: [("a.py", "a2\n"), ("b.py", "b2\n")], outputDirectory: dir).apply(to: dir, force: true)
        #expect(read(dir, "b.py") == "b2\n")
        #expect(GenerationPlan.make(files: [("a.py", "a2\n"), ("b.py", "b2\n")], outputDirectory: dir).isUpToDate)
    }

    @Test("a file the generator no longer writes is deleted unless it was edited")
    func deletions() throws {
        let dir = try temporaryDirectory()
        try GenerationPlan.make(files: [("a.py", "a\n"), ("old.py", "o\n"), ("kept.py", "k\n")], outputDirectory: dir).apply(to: dir, force: false)
        try write(dir, "kept.py", "k\n# edited\n")
        let plan = GenerationPlan.make(files: [("a.py", "a\n")], outputDirectory: dir)
        #expect(plan.entries.first { $0.path == "old.py" }?.action == .delete)
        #expect(plan.entries.first { $0.path == "kept.py" }?.action == .conflict)
        try plan.apply(to: dir, force: false)
        #expect(read(dir, "old.py") == nil)
        #expect(read(dir, "kept.py") == "k\n# edited\n")
    }

    @Test("a file that exists but was never generated is a conflict")
    func foreignFile() throws {
        let dir = try temporaryDirectory()
        try write(dir, "a.py", "user's own\n")
        let plan = GenerationPlan.make(files: [("a.py", "a\n")], outputDirectory: dir)
        #expect(plan.conflicts.map(\.path) == ["a.py"])
    }
}
