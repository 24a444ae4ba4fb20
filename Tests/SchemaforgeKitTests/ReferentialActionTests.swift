import SchemaforgeKit
import Testing

/// Which referential action each database gets: one rule (`Dialect.effective`) for the DDL, the
/// migrations and the SQLAlchemy models.
@Suite("Referential actions per dialect")
struct ReferentialActionTests {
    static let schema = """
        entities:
          Team:
            fields:
              name: string
          Fan:
            fields:
              team_id: {type: int, default: 1}
            relations:
              team: {to: Team, on_delete: set_default, on_update: set_default}
          Player:
            fields:
              name: string
            relations:
              team: {to: Team, on_delete: cascade, on_update: restrict}
        """

    @Test("MySQL/MariaDB turn SET DEFAULT into RESTRICT; every other action and dialect keeps its action")
    func rule() {
        for dialect in Dialect.allCases {
            for action in ReferentialAction.allCases {
                let unsupported = dialect == .mysql && action == .setDefault
                #expect(dialect.supports(action) == !unsupported)
                #expect(dialect.effective(action) == (unsupported ? .restrict : action))
            }
        }
    }

    @Test("the SQLAlchemy models say what the DDL says", arguments: TargetDatabase.sqlCases)
    func modelsMatchTheDDL(database: TargetDatabase) throws {
        let schema = try #require(resolve(Self.schema))
        let dialect = try #require(Dialect(rawValue: database.rawValue))
        let fan = try #require(GeneratorPipeline.project(schema, database: database).first { $0.path == "app/models/fan.py" }?.contents)
        let ddl = try #require(GeneratorPipeline.sql(for: GeneratorPipeline.load(text: Self.schema, file: "s.yaml"), dialect: dialect)?.sql)
        let expected = database == .mysql ? "RESTRICT" : "SET DEFAULT"
        #expect(fan.contains("ondelete=\"\(expected)\""), "\(fan)")
        #expect(fan.contains("onupdate=\"\(expected)\""), "\(fan)")
        #expect(
            ddl.contains("REFERENCES team (id) ON DELETE \(expected) ON UPDATE \(expected)")
                || ddl.contains("REFERENCES `team` (`id`) ON DELETE \(expected) ON UPDATE \(expected)"), "\(ddl)")
        // Supported actions are untouched everywhere.
        let player = try #require(GeneratorPipeline.project(schema, database: database).first { $0.path == "app/models/player.py" }?.contents)
        #expect(player.contains("ondelete=\"CASCADE\"") && player.contains("onupdate=\"RESTRICT\""), "\(player)")
    }
}
