import Foundation
import SchemaModel

/// A live database to import: `postgresql://`, `mysql://` (MariaDB too) or `sqlite:///path`.
///
/// Its catalog is read by the database's own dump program (`pg_dump --schema-only`, `mariadb-dump`
/// or `mysqldump --no-data`, `sqlite3 .schema`), and the DDL it prints is imported like a script:
/// one reader for files and databases, so the live import of a database is the import of its dump.
/// Those programs speak every authentication method and TLS setting their servers do, and follow
/// the server's version; a Swift client (postgres-nio) would have added minutes to every build.
public struct LiveSchemaSource: Sendable {
    public let dialect: Dialect
    /// The URL as given (for messages: its password is never printed).
    public let url: URL
    private let source: String

    /// A database URL, or nil when `source` is not one (a file path).
    public init?(_ source: String) {
        guard let schemeEnd = source.range(of: "://"), let url = URL(string: source) else { return nil }
        let scheme = source[..<schemeEnd.lowerBound].lowercased().split(separator: "+").first.map(String.init) ?? ""
        switch scheme {
        case "postgresql", "postgres": dialect = .postgresql
        case "mysql", "mariadb": dialect = .mysql
        case "sqlite", "sqlite3": dialect = .sqlite
        default: return nil
        }
        self.url = url
        self.source = source
    }

    /// The URL without its password.
    public var redacted: String {
        guard let password = url.password, !password.isEmpty else { return url.absoluteString }
        return url.absoluteString.replacingOccurrences(of: ":\(password)@", with: ":***@")
    }

    /// The schema name a live import gets: the database's name.
    public var databaseName: String {
        let last = url.lastPathComponent
        return dialect == .sqlite ? URL(fileURLWithPath: last).deletingPathExtension().lastPathComponent : last
    }

    /// The program and arguments that print the database's DDL, and the environment they need.
    func command() throws -> (program: String, arguments: [String], environment: [String: String]) {
        var environment = ProcessInfo.processInfo.environment
        switch dialect {
        case .postgresql:
            // pg_dump takes the URL itself (libpq: passwords, sslmode and the rest in it).
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
            components?.scheme = "postgresql"
            guard let target = components?.string else { throw LiveSchemaError.badURL(redacted) }
            return ("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", "--dbname=\(target)"], environment)
        case .mysql:
            let database = url.lastPathComponent
            guard !database.isEmpty, database != "/" else { throw LiveSchemaError.badURL(redacted) }
            var arguments = ["--no-data", "--skip-comments", "--single-transaction"]
            if let host = url.host { arguments.append("--host=\(host)") }
            if let port = url.port { arguments.append("--port=\(port)") }
            if let user = url.user { arguments.append("--user=\(user)") }
            if let password = url.password { environment["MYSQL_PWD"] = password }
            arguments.append(database)
            let program = Self.onPath("mariadb-dump") ? "mariadb-dump" : "mysqldump"
            return (program, arguments, environment)
        case .sqlite:
            // sqlite:///relative.db and sqlite:////absolute.db, as SQLAlchemy writes them.
            guard let slashes = source.range(of: "://") else { throw LiveSchemaError.badURL(redacted) }
            var path = String(source[slashes.upperBound...])
            if path.hasPrefix("/") { path.removeFirst() }
            if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
            guard !path.isEmpty else { throw LiveSchemaError.badURL(redacted) }
            guard FileManager.default.fileExists(atPath: path) else { throw LiveSchemaError.noDatabase(path) }
            return ("sqlite3", ["-readonly", path, ".schema"], environment)
        }
    }

    static func onPath(_ program: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }

    /// The database's DDL, as its dump program prints it.
    public func dump() throws -> String {
        let (program, arguments, environment) = try command()
        guard Self.onPath(program) else { throw LiveSchemaError.missingProgram(program, dialect) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the program runs (a full pipe would block it).
        var stdout = Data(), stderr = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            stderr = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        stdout = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw LiveSchemaError.dumpFailed(program, redacted, message)
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}

public enum LiveSchemaError: Error, CustomStringConvertible {
    case badURL(String)
    case noDatabase(String)
    case missingProgram(String, Dialect)
    case dumpFailed(String, String, String)

    public var description: String {
        switch self {
        case let .badURL(url):
            return "'\(url)' is not a database URL schemaforge can read (postgresql://user@host:port/db, mysql://user@host:port/db, sqlite:///path)"
        case let .noDatabase(path): return "there is no SQLite database at '\(path)'"
        case let .missingProgram(program, dialect):
            return
                "reading a live \(dialect.displayName) database needs '\(program)' on the PATH (the database's client tools); or import a dump file"
        case let .dumpFailed(program, url, message): return "\(program) could not read \(url): \(message)"
        }
    }
}
