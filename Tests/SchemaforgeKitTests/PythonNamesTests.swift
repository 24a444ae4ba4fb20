import SchemaforgeKit
import Testing

/// The Python-side names generators derive from schema names.
@Suite("PythonNames")
struct PythonNamesTests {
    @Test(
        "plural: regular words, the rules, irregular and uncountable words",
        arguments: [
            // Regular, and the rules.
            ("post", "posts"), ("order_line", "order_lines"), ("day", "days"), ("key", "keys"),
            ("category", "categories"), ("product_category", "product_categories"), ("box", "boxes"),
            ("status", "statuses"), ("address", "addresses"), ("bus", "buses"), ("match", "matches"),
            ("wish", "wishes"), ("index", "indexes"), ("analysis", "analyses"), ("basis", "bases"),
            ("shelf", "shelves"), ("book_shelf", "book_shelves"), ("half", "halves"), ("leaf", "leaves"),
            ("knife", "knives"), ("wife", "wives"), ("roof", "roofs"), ("chief", "chiefs"), ("cliff", "cliffs"),
            ("photo", "photos"), ("golf", "golfs"), ("human", "humans"),
            // Irregular.
            ("person", "people"), ("sales_person", "sales_people"), ("child", "children"), ("man", "men"),
            ("woman", "women"), ("mouse", "mice"), ("hero", "heroes"), ("quiz", "quizzes"),
            // Uncountable.
            ("staff", "staff"), ("store_staff", "store_staff"), ("data", "data"), ("information", "information"),
            ("equipment", "equipment"), ("news", "news"), ("series", "series"), ("species", "species"),
        ])
    func plural(word: String, expected: String) {
        #expect(PythonNames.plural(word) == expected)
    }

    @Test("attributes are unique in their class: a name that is its own attribute keeps it, a suffixed one takes the next free")
    func attributesInOneClass() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Thing:
                    fields:
                      and: string
                      and_: string
                      model_x: string
                      model_x_: string
                      plain: string
                """))
        let table = try #require(schema.table(named: "thing"))
        let attributes = ["and", "and_", "model_x", "model_x_", "plain"].map { PythonNames.attribute($0, in: table) }
        // `model_x_` starts with `model_` too: both need a suffix, taken in declaration order.
        #expect(attributes == ["and__", "and_", "model_x_", "model_x__", "plain"])
        #expect(Set(attributes).count == attributes.count)
    }

    @Test("route prefixes use the plural: /shelves, /staff, /people")
    func routePrefixes() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Shelf:
                    fields: {name: string}
                  Staff:
                    fields: {name: string}
                  SalesPerson:
                    fields: {name: string}
                """))
        let files = GeneratorPipeline.project(schema, database: .sqlite)
        let routers = files.filter { $0.path.hasPrefix("app/routers/") }.map(\.contents).joined()
        for prefix in ["/shelves", "/staff", "/sales-people"] {
            #expect(routers.contains("router = APIRouter(prefix=\"\(prefix)\""), "\(prefix)")
        }
        #expect(routers.contains("async def list_staff("))
        #expect(!routers.contains("/shelfs") && !routers.contains("/staffs"))
    }

    @Test("an entity named like a keyword, a builtin or a generated name gets its own class and module")
    func entityNamesAreAllocated() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Base:
                    fields: {name: string}
                  Request:
                    fields: {name: string}
                  Enums:
                    fields: {name: string}
                  ApiRouter:
                    fields: {name: string}
                  Load:
                    fields: {name: string}
                    relations:
                      base: {to: Base, nullable: true}
                """))
        let files = GeneratorPipeline.project(schema, database: .sqlite)
        let paths = Set(files.map(\.path))
        func file(_ path: String) -> String { files.first { $0.path == path }?.contents ?? "" }
        // `Base` keeps `app/models/base.py` (the declarative base) and gets a module and class of its own.
        #expect(file("app/models/base.py").contains("class Base(AsyncAttrs, DeclarativeBase):"))
        #expect(file("app/models/base_.py").contains("class BaseEntity(Base):"))
        #expect(file("app/models/enums_.py").contains("class Enums(Base):"))
        #expect(file("app/models/request.py").contains("class RequestModel(Base):"))
        #expect(paths.contains("app/routers/api_router_.py") && paths.contains("app/schemas/base_.py"))
        #expect(file("app/models/load.py").contains("base: Mapped[BaseEntity | None] = relationship("))
        // The schemas and the API keep the entity's name.
        #expect(file("app/schemas/base_.py").contains("class BaseCreate(BaseModel):"))
        // `load` is a parameter of the router's lookup: the local holding a Load is another name.
        #expect(file("app/routers/load.py").contains("load_obj = await session.get("))
    }
}
