import Foundation
import Testing

/// Golden-file comparison, shared by the test targets: text against a reference file under a test
/// target's `Golden/` folder.
///
/// On a mismatch the test fails with a unified diff (reference -> actual). With `RECORD_GOLDEN=1` in
/// the environment the references are (re)written instead, and the git diff is the review.
public struct GoldenFiles: Sendable {
    /// `Tests/<target>/Golden`.
    public let directory: URL

    /// The references of the test target that holds `testFile` (pass `#filePath`).
    public init(testFile: String) {
        directory = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    /// The package root (where `Package.swift` and `examples/` are).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public var repositoryRoot: URL { Self.repositoryRoot }

    public var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with `Golden/<reference>`, or records it when `RECORD_GOLDEN=1`.
    public func assertMatches(_ actual: String, reference: String, sourceLocation: SourceLocation = #_sourceLocation) {
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
            \(Self.unifiedDiff(reference: existing, actual: actual, label: relative(url)))
            """,
            sourceLocation: sourceLocation)
    }

    /// The names of the case folders under `Golden/`.
    /// Relative paths of the reference files under `Golden/<folder>`.
    public func files(under folder: String) -> Set<String> {
        let root = directory.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var result: Set<String> = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            result.insert(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return result
    }

    public func recordedCases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    private var targetName: String { directory.deletingLastPathComponent().lastPathComponent }

    private func relative(_ url: URL) -> String {
        let root = Self.repositoryRoot.standardizedFileURL.path + "/"
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
