import SchemaforgeKit
import Testing

@Suite("Snippets: defaults")
struct DefaultSnippetTests {
    /// The line of column `name` in the first table of `yaml` for `dialect`, without the trailing comma.
    func columnLine(
        _ name: String, _ yaml: String, _ dialect: Dialect, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String {
        let sql = Snippet.sql(yaml, dialect, sourceLocation: sourceLocation)
        let prefix = "    \(SQLIdentifier.quoted(name, for: dialect)) "
        guard let line = sql.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            Issue.record("no column \(name) in\n\(sql)", sourceLocation: sourceLocation)
            return ""
        }
        var text = String(line.dropFirst(4))
        if text.hasSuffix(",") { text.removeLast() }
        return text
    }

    static let booleans = """
        entities:
          Flags:
            fields:
              enabled: {type: bool, default: true}
              hidden: {type: bool, default: false}
        """

    @Test("bool defaults: true/false on PostgreSQL, 1/0 elsewhere")
    func booleans() {
        #expect(columnLine("enabled", Self.booleans, .postgresql) == "enabled BOOLEAN NOT NULL DEFAULT true")
        #expect(columnLine("hidden", Self.booleans, .postgresql) == "hidden BOOLEAN NOT NULL DEFAULT false")
        #expect(columnLine("enabled", Self.booleans, .sqlite) == "enabled BOOLEAN NOT NULL DEFAULT 1")
        #expect(columnLine("hidden", Self.booleans, .sqlite) == "hidden BOOLEAN NOT NULL DEFAULT 0")
        #expect(columnLine("enabled", Self.booleans, .mysql) == "enabled BOOL NOT NULL DEFAULT 1")
        #expect(columnLine("hidden", Self.booleans, .mysql) == "hidden BOOL NOT NULL DEFAULT 0")
    }

    static let now = """
        entities:
          Clock:
            fields:
              at: {type: datetime, default: now}
              day: {type: date, default: now}
              hour: {type: time, default: now}
        """

    @Test("now depends on the type and the dialect")
    func now() {
        #expect(
            columnLine("at", Self.now, .postgresql) == "at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP")
        #expect(columnLine("day", Self.now, .postgresql) == "day DATE NOT NULL DEFAULT CURRENT_DATE")
        #expect(columnLine("hour", Self.now, .postgresql) == "hour TIME NOT NULL DEFAULT CURRENT_TIME")
        #expect(columnLine("at", Self.now, .sqlite) == "at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP")
        #expect(columnLine("day", Self.now, .sqlite) == "day DATE NOT NULL DEFAULT CURRENT_DATE")
        #expect(columnLine("hour", Self.now, .sqlite) == "hour TIME NOT NULL DEFAULT CURRENT_TIME")
        #expect(columnLine("at", Self.now, .mysql) == "at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)")
        #expect(columnLine("day", Self.now, .mysql) == "day DATE NOT NULL DEFAULT (CURRENT_DATE)")
        #expect(columnLine("hour", Self.now, .mysql) == "hour TIME NOT NULL DEFAULT (CURRENT_TIME)")
    }

    @Test("timestamps: updated_at follows updates on MySQL only (the ORM does it elsewhere)")
    func timestamps() {
        let yaml = """
            entities:
              Log:
                timestamps: true
                fields:
                  message: text
            """
        #expect(
            columnLine("updated_at", yaml, .mysql)
                == "updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)")
        #expect(
            columnLine("created_at", yaml, .mysql) == "created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)")
        #expect(
            columnLine("updated_at", yaml, .postgresql)
                == "updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP")
    }

    static let uuid = """
        entities:
          Token:
            fields:
              ref: {type: uuid, default: uuid}
              fixed: {type: uuid, default: "6F9619FF-8B86-D011-B42D-00C04FC964FF"}
        """

    @Test("uuid defaults per dialect; a literal UUID is lowercased")
    func uuid() {
        #expect(columnLine("ref", Self.uuid, .postgresql) == "ref UUID NOT NULL DEFAULT gen_random_uuid()")
        #expect(columnLine("ref", Self.uuid, .mysql) == "ref CHAR(36) NOT NULL DEFAULT (uuid())")
        let sqlite = columnLine("ref", Self.uuid, .sqlite)
        #expect(sqlite.hasPrefix("ref CHAR(36) NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-'"))
        #expect(sqlite.hasSuffix(")"))
        #expect(
            columnLine("fixed", Self.uuid, .postgresql)
                == "fixed UUID NOT NULL DEFAULT '6f9619ff-8b86-d011-b42d-00c04fc964ff'")
    }

    static let sqlDefaults = """
        entities:
          Calc:
            fields:
              plain: {type: int, default: {sql: "1 + 1"}}
              wrapped: {type: int, default: {sql: "(2)"}}
              two_groups: {type: int, default: {sql: "(1) + (2)"}}
        """

    @Test("SQL defaults are emitted in exactly one pair of parentheses")
    func sqlDefaultsAreParenthesised() {
        for dialect in Dialect.allCases {
            let type = dialect == .mysql ? "INT" : "INTEGER"
            #expect(columnLine("plain", Self.sqlDefaults, dialect) == "plain \(type) NOT NULL DEFAULT (1 + 1)")
            #expect(columnLine("wrapped", Self.sqlDefaults, dialect) == "wrapped \(type) NOT NULL DEFAULT (2)")
            // "(1) + (2)" starts and ends with a parenthesis but is not one parenthesised expression.
            #expect(
                columnLine("two_groups", Self.sqlDefaults, dialect) == "two_groups \(type) NOT NULL DEFAULT ((1) + (2))"
            )
        }
    }

    static let literals = """
        entities:
          Doc:
            fields:
              title: {type: string, length: 40, default: "it's"}
              path: {type: string, length: 40, default: 'C:\\tmp'}
              body: {type: text, default: hello}
              meta: {type: json, default: '{}'}
              total: {type: decimal, precision: 10, scale: 2, default: 0}
              count: {type: int, default: -3}
        """

    @Test("literal defaults: strings quoted and escaped; text and json in parentheses on MySQL")
    func literals() {
        #expect(columnLine("title", Self.literals, .postgresql) == "title VARCHAR(40) NOT NULL DEFAULT 'it''s'")
        #expect(columnLine("path", Self.literals, .postgresql) == #"path VARCHAR(40) NOT NULL DEFAULT 'C:\tmp'"#)
        #expect(columnLine("path", Self.literals, .mysql) == #"path VARCHAR(40) NOT NULL DEFAULT 'C:\\tmp'"#)
        #expect(columnLine("body", Self.literals, .postgresql) == "body TEXT NOT NULL DEFAULT 'hello'")
        #expect(columnLine("body", Self.literals, .sqlite) == "body TEXT NOT NULL DEFAULT 'hello'")
        #expect(columnLine("body", Self.literals, .mysql) == "body TEXT NOT NULL DEFAULT ('hello')")
        #expect(columnLine("meta", Self.literals, .postgresql) == "meta JSONB NOT NULL DEFAULT '{}'")
        #expect(columnLine("meta", Self.literals, .sqlite) == "meta JSON NOT NULL DEFAULT '{}'")
        #expect(columnLine("meta", Self.literals, .mysql) == "meta JSON NOT NULL DEFAULT ('{}')")
        #expect(columnLine("total", Self.literals, .mysql) == "total DECIMAL(10, 2) NOT NULL DEFAULT 0")
        #expect(columnLine("count", Self.literals, .postgresql) == "count INTEGER NOT NULL DEFAULT -3")
    }

    static let arrays = """
        entities:
          Bag:
            fields:
              numbers: {type: "array<int>", default: '[1, 2]'}
              words: {type: "array<string(10)>", default: '["a", "it''s"]'}
              empty: {type: "array<int>", default: '[]'}
        """

    @Test("array defaults: an ARRAY literal with a cast on PostgreSQL, JSON text elsewhere")
    func arrays() {
        #expect(
            columnLine("numbers", Self.arrays, .postgresql)
                == "numbers INTEGER[] NOT NULL DEFAULT ARRAY[1, 2]::INTEGER[]")
        #expect(
            columnLine("words", Self.arrays, .postgresql)
                == "words VARCHAR(10)[] NOT NULL DEFAULT ARRAY['a', 'it''s']::VARCHAR(10)[]")
        #expect(columnLine("empty", Self.arrays, .postgresql) == "empty INTEGER[] NOT NULL DEFAULT '{}'")
        #expect(columnLine("numbers", Self.arrays, .sqlite) == "numbers JSON NOT NULL DEFAULT '[1, 2]'")
        #expect(columnLine("numbers", Self.arrays, .mysql) == "numbers JSON NOT NULL DEFAULT ('[1, 2]')")
    }
}
