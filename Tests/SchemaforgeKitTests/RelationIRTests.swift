import SchemaforgeKit
import Testing

/// Schema text in, resolved IR values out: what every generator reads.
@Suite("Snippets: relations in the IR")
struct RelationIRTests {
    static let blog = """
        entities:
          User:
            fields:
              name: string
          Post:
            fields:
              title: string
            relations:
              author: {to: User, on_delete: cascade, back: posts}
              editor: {to: User, nullable: true}
              tags: {to: Tag, kind: many_to_many, back: posts}
          Tag:
            fields:
              name: string
        """

    @Test("a many-to-one with back creates the inverse one-to-many on the target")
    func manyToOneBack() throws {
        let schema = try #require(resolve(Self.blog))
        let post = try #require(schema.table(named: "post"))
        let user = try #require(schema.table(named: "user"))
        let author = try #require(post.relations.first { $0.name == "author" })
        #expect(
            author
                == Relation(
                    name: "author", kind: .manyToOne, targetEntity: "User", targetTable: "user", back: "posts",
                    foreignKey: "fk_post_author_id_user", nullable: false))
        #expect(
            user.relations.first { $0.name == "posts" }
                == Relation(
                    name: "posts", kind: .oneToMany, targetEntity: "Post", targetTable: "post", back: "author",
                    foreignKey: "fk_post_author_id_user", nullable: true))
        #expect(post.column(named: "author_id") == Column(name: "author_id", type: .int, relation: "author"))
        #expect(
            post.foreignKeys.first { $0.name == "fk_post_author_id_user" }
                == ForeignKey(
                    name: "fk_post_author_id_user", columns: ["author_id"], referencedTable: "user",
                    referencedColumns: ["id"], onDelete: .cascade))
    }

    @Test("without back there is no inverse attribute")
    func noBack() throws {
        let schema = try #require(resolve(Self.blog))
        let editor = try #require(schema.table(named: "post")?.relations.first { $0.name == "editor" })
        #expect(editor.back == nil)
        #expect(editor.nullable)
        #expect(schema.table(named: "user")?.relations.map(\.name) == ["posts"])
    }

    @Test("an implicit many-to-many: join table name, columns, key, cascading foreign keys and index")
    func implicitJoinTable() throws {
        let schema = try #require(resolve(Self.blog))
        let join = try #require(schema.table(named: "post_tags"))
        #expect(join.isJoinTable)
        #expect(join.columns == [Column(name: "post_id", type: .int), Column(name: "tag_id", type: .int)])
        #expect(join.primaryKey == PrimaryKey(name: "pk_post_tags", columns: ["post_id", "tag_id"]))
        #expect(
            join.foreignKeys == [
                ForeignKey(
                    name: "fk_post_tags_post_id_post", columns: ["post_id"], referencedTable: "post",
                    referencedColumns: ["id"], onDelete: .cascade),
                ForeignKey(
                    name: "fk_post_tags_tag_id_tag", columns: ["tag_id"], referencedTable: "tag",
                    referencedColumns: ["id"], onDelete: .cascade),
            ])
        #expect(join.indexes == [Index(name: "ix_post_tags_tag_id", columns: ["tag_id"])])
        #expect(join.relations.isEmpty)
        #expect(
            schema.table(named: "post")?.relations.first { $0.name == "tags" }
                == Relation(
                    name: "tags", kind: .manyToMany, targetEntity: "Tag", targetTable: "tag", back: "posts",
                    foreignKey: "fk_post_tags_post_id_post",
                    joinTable: "post_tags", targetForeignKey: "fk_post_tags_tag_id_tag"))
        #expect(
            schema.table(named: "tag")?.relations.first { $0.name == "posts" }
                == Relation(
                    name: "posts", kind: .manyToMany, targetEntity: "Post", targetTable: "post", back: "tags",
                    foreignKey: "fk_post_tags_tag_id_tag",
                    joinTable: "post_tags", targetForeignKey: "fk_post_tags_post_id_post"))
    }

    @Test("join-table columns take the key types of both sides; join_table renames the table")
    func joinTableTypesAndName() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Student:
                    fields:
                      id: {type: uuid, primary_key: true, default: uuid}
                    relations:
                      clubs: {to: Club, kind: many_to_many, join_table: memberships}
                  Club:
                    fields:
                      code: {type: string, length: 8, primary_key: true}
                """))
        let join = try #require(schema.table(named: "memberships"))
        #expect(
            join.columns == [
                Column(name: "student_id", type: .uuid), Column(name: "club_code", type: .string(length: 8)),
            ])
        #expect(join.primaryKey?.name == "pk_memberships")
        #expect(schema.table(named: "student_clubs") == nil)
    }

    @Test("a self-referencing many-to-many: <entity>_<key> and <relation>_<key>")
    func selfManyToMany() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Employee:
                    fields:
                      name: string
                    relations:
                      mentors: {to: Employee, kind: many_to_many, back: mentees}
                """))
        let join = try #require(schema.table(named: "employee_mentors"))
        #expect(join.columns.map(\.name) == ["employee_id", "mentors_id"])
        #expect(
            join.foreignKeys.map(\.name) == [
                "fk_employee_mentors_employee_id_employee", "fk_employee_mentors_mentors_id_employee",
            ])
        let employee = try #require(schema.table(named: "employee"))
        let mentors = try #require(employee.relations.first { $0.name == "mentors" })
        let mentees = try #require(employee.relations.first { $0.name == "mentees" })
        // Mentors of E: rows whose employee_id is E, following mentors_id; mentees the other way round.
        #expect(mentors.foreignKey == "fk_employee_mentors_employee_id_employee")
        #expect(mentors.targetForeignKey == "fk_employee_mentors_mentors_id_employee")
        #expect(mentees.foreignKey == "fk_employee_mentors_mentors_id_employee")
        #expect(mentees.targetForeignKey == "fk_employee_mentors_employee_id_employee")
        #expect(mentors.back == "mentees" && mentees.back == "mentors")
    }

    @Test("a many-to-many through an entity uses that entity's foreign keys")
    func through() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Order:
                    fields:
                      number: int
                    relations:
                      products: {to: Product, kind: many_to_many, through: OrderLine, back: orders}
                  Product:
                    fields:
                      sku: {type: string, length: 32, primary_key: true}
                  OrderLine:
                    primary_key: [order, line_no]
                    fields:
                      line_no: smallint
                      quantity: int
                    relations:
                      order: {to: Order, on_delete: cascade}
                      product: {to: Product, on_delete: restrict}
                """))
        #expect(schema.tables.map(\.name) == ["order", "order_line", "product"])
        #expect(
            schema.table(named: "order")?.relations.first { $0.name == "products" }
                == Relation(
                    name: "products", kind: .manyToMany, targetEntity: "Product", targetTable: "product",
                    back: "orders",
                    foreignKey: "fk_order_line_order_id_order", joinTable: "order_line",
                    targetForeignKey: "fk_order_line_product_sku_product",
                    throughEntity: "OrderLine"))
        #expect(
            schema.table(named: "product")?.relations.first { $0.name == "orders" }
                == Relation(
                    name: "orders", kind: .manyToMany, targetEntity: "Order", targetTable: "order", back: "products",
                    foreignKey: "fk_order_line_product_sku_product", joinTable: "order_line",
                    targetForeignKey: "fk_order_line_order_id_order",
                    throughEntity: "OrderLine"))
        let line = try #require(schema.table(named: "order_line"))
        #expect(line.primaryKey == PrimaryKey(name: "pk_order_line", columns: ["order_id", "line_no"]))
        #expect(line.column(named: "product_sku")?.type == .string(length: 32))
    }

    @Test("a one-to-many declared on the parent creates the child's many-to-one")
    func oneToManyOnParent() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Parent:
                    fields:
                      name: string
                    relations:
                      kids: {to: Child, kind: one_to_many, back: parent, on_delete: cascade}
                  Child:
                    fields:
                      age: int
                """))
        let child = try #require(schema.table(named: "child"))
        #expect(child.column(named: "parent_id") == Column(name: "parent_id", type: .int, relation: "parent"))
        #expect(
            child.foreignKeys == [
                ForeignKey(
                    name: "fk_child_parent_id_parent", columns: ["parent_id"], referencedTable: "parent",
                    referencedColumns: ["id"], onDelete: .cascade)
            ])
        #expect(
            child.relations == [
                Relation(
                    name: "parent", kind: .manyToOne, targetEntity: "Parent", targetTable: "parent", back: "kids",
                    foreignKey: "fk_child_parent_id_parent", nullable: false)
            ])
        #expect(
            schema.table(named: "parent")?.relations == [
                Relation(
                    name: "kids", kind: .oneToMany, targetEntity: "Child", targetTable: "child", back: "parent",
                    foreignKey: "fk_child_parent_id_parent", nullable: true)
            ])
        #expect(child.indexes.map(\.name) == ["ix_child_parent_id"])
    }

    @Test("a one-to-many naming the child's existing many-to-one links to it instead of adding a column")
    func oneToManyLinksExisting() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Parent:
                    relations:
                      kids: {to: Child, kind: one_to_many, back: parent}
                  Child:
                    relations:
                      parent: {to: Parent, nullable: true}
                """))
        let child = try #require(schema.table(named: "child"))
        #expect(child.columns.map(\.name) == ["id", "parent_id"])
        #expect(child.column(named: "parent_id")?.nullable == true)
        #expect(child.relations.first?.back == "kids")
        #expect(schema.table(named: "parent")?.relations.map(\.name) == ["kids"])
    }

    @Test("a one-to-one: unique foreign key, and the inverse is a single optional object")
    func oneToOne() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  User:
                    fields:
                      name: string
                  Profile:
                    relations:
                      user: {to: User, kind: one_to_one, back: profile}
                """))
        let profile = try #require(schema.table(named: "profile"))
        #expect(profile.uniques == [UniqueConstraint(name: "uq_profile_user_id", columns: ["user_id"])])
        #expect(profile.indexes.isEmpty)
        #expect(profile.relations.first?.kind == .oneToOne)
        #expect(schema.table(named: "user")?.relations.first { $0.name == "profile" }?.kind == .oneToOneInverse)
    }

    @Test("default key: id int autoincrement, first column; explicit uuid key: no autoincrement")
    func keys() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Note:
                    fields:
                      body: text
                  Token:
                    fields:
                      value: string
                      id: {type: uuid, primary_key: true, default: uuid}
                """))
        let note = try #require(schema.table(named: "note"))
        #expect(note.columns.first == Column(name: "id", type: .int, autoincrement: true))
        #expect(note.primaryKey == PrimaryKey(name: "pk_note", columns: ["id"]))
        let token = try #require(schema.table(named: "token"))
        #expect(token.column(named: "id") == Column(name: "id", type: .uuid, defaultValue: ColumnDefault(.uuid)))
        #expect(token.columns.map(\.name) == ["value", "id"])
    }

    @Test("composite foreign-key columns are named <relation>_<column> and belong to the relation")
    func compositeForeignKeyColumns() throws {
        let schema = try #require(
            resolve(
                """
                entities:
                  Line:
                    primary_key: [order_no, line_no]
                    fields:
                      order_no: int
                      line_no: smallint
                  Shipment:
                    relations:
                      line: {to: Line}
                """))
        let shipment = try #require(schema.table(named: "shipment"))
        #expect(shipment.columns.map(\.name) == ["id", "line_order_no", "line_line_no"])
        #expect(shipment.columns.compactMap(\.relation) == ["line", "line"])
        #expect(shipment.column(named: "line_line_no")?.type == .smallint)
        #expect(shipment.foreignKeys.first?.referencedColumns == ["order_no", "line_no"])
        #expect(
            shipment.indexes == [
                Index(name: "ix_shipment_line_order_no_line_line_no", columns: ["line_order_no", "line_line_no"])
            ])
    }
}
