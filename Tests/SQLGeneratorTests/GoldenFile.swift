import Foundation
import Testing

// NOTE: Tests/SchemaforgeKitTests/GoldenFile.swift is the same helper (the package has no shared
// test-support target); keep the two in step.

/// Golden-file comparison: text against a reference file under this target's `Golden/` folder.
///
/// On a mismatch the test fails with a unified diff (reference -> actual). With `RECORD_GOLDEN=1` in
/// the environment the references are (re)written instead, and the git diff is the review.
enum GoldenFile {
    /// `Tests/<target>/Golden`.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// The package root (where `Package.swift` and `examples/` are).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with `Golden/<reference>`, or records it when `RECORD_GOLDEN=1`.
    static func assertMatches(_ actual: String, reference: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(reference)
        let existing = try? String(contentsOf: url, encoding: .utf8)
        if isRecording {
            guard existing != actual else { return }
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url, options: .atomic)
                print("recorded golden reference \(relative(url))")
            } catch {
                Issue.record(
                    "cannot record golden reference \(relative(url)): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let existing else {
            Issue.record(
                """
                missing golden reference \(relative(url)); record it with
                    RECORD_GOLDEN=1 swift test --filter \(targetName)
                and review the new file before committing it
                """,
                sourceLocation: sourceLocation)
            return
        }
        guard existing != actual else { return }
        Issue.record(
            """
            output differs from the golden reference \(relative(url)) \
            (if the change is intended, re-record with RECORD_GOLDEN=1 and review the git diff):
            \(unifiedDiff(reference: existing, actual: actual, label: relative(url)))
            """,
            sourceLocation: sourceLocation)
    }

    /// The names of the case folders under `Golden/`.
    static func recordedCases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    private static var targetName: String { directory.deletingLastPathComponent().lastPathComponent }

    private static func relative(_ url: URL) -> String {
        let root = repositoryRoot.standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    /// `diff -u` output, or a small line-by-line diff where `/usr/bin/diff` is missing.
    static func unifiedDiff(reference: String, actual: String, label: String) -> String {
        let diffTool = "/usr/bin/diff"
        if FileManager.default.isExecutableFile(atPath: diffTool) {
            let temp = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: temp) }
            do {
                try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
                let expectedFile = temp.appendingPathComponent("reference")
                let actualFile = temp.appendingPathComponent("actual")
                try Data(reference.utf8).write(to: expectedFile)
                try Data(actual.utf8).write(to: actualFile)
                let process = Process()
                process.executableURL = URL(fileURLWithPath: diffTool)
                process.arguments = [
                    "-u", "--label", "\(label) (reference)", "--label", "\(label) (actual)", expectedFile.path,
                    actualFile.path,
                ]
                let output = temp.appendingPathComponent("diff")
                _ = FileManager.default.createFile(atPath: output.path, contents: nil)
                let handle = try FileHandle(forWritingTo: output)
                process.standardOutput = handle
                try process.run()
                process.waitUntilExit()
                try handle.close()
                if let text = try? String(contentsOf: output, encoding: .utf8), !text.isEmpty { return text }
            } catch {
                // Fall through to the built-in diff.
            }
        }
        return lineDiff(reference: reference, actual: actual)
    }

    /// Every line that differs, with its line number: enough to find the change.
    static func lineDiff(reference: String, actual: String) -> String {
        let old = reference.components(separatedBy: "\n")
        let new = actual.components(separatedBy: "\n")
        var out: [String] = []
        for i in 0..<max(old.count, new.count) {
            let o = i < old.count ? old[i] : nil
            let n = i < new.count ? new[i] : nil
            guard o != n else { continue }
            if let o { out.append("-\(i + 1): \(o)") }
            if let n { out.append("+\(i + 1): \(n)") }
        }
        return out.joined(separator: "\n")
    }
}
