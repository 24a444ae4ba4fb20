import SchemaforgeKit
import Testing

@Suite("Snippets: relations")
struct RelationSnippetTests {
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
              tags: {to: Tag, kind: many_to_many, back: posts}
          Tag:
            fields:
              name: string
        """

    @Test(
        "an implicit many-to-many gets a join table: both key columns, composite PK, cascading FKs, an index on the second column"
    )
    func implicitJoinTable() {
        expectContains(
            Snippet.sql(Self.blog, .postgresql),
            """
            CREATE TABLE post_tags (
                post_id INTEGER NOT NULL,
                tag_id INTEGER NOT NULL,
                CONSTRAINT pk_post_tags PRIMARY KEY (post_id, tag_id),
                CONSTRAINT fk_post_tags_post_id_post FOREIGN KEY (post_id) REFERENCES post (id) ON DELETE CASCADE,
                CONSTRAINT fk_post_tags_tag_id_tag FOREIGN KEY (tag_id) REFERENCES tag (id) ON DELETE CASCADE
            );
            """)
        for dialect in Dialect.allCases {
            let sql = Snippet.sql(Self.blog, dialect)
            expectContains(sql, "CREATE INDEX ix_post_tags_tag_id ON post_tags (tag_id);")
            expectNotContains(sql, "ix_post_tags_post_id")
        }
        expectContains(Snippet.sql(Self.blog, .mysql), "    post_id INT NOT NULL,\n    tag_id INT NOT NULL,\n")
    }

    @Test("a self-referencing many-to-many names the second column after the relation")
    func selfManyToMany() {
        let yaml = """
            entities:
              Person:
                fields:
                  name: string
                relations:
                  friends: {to: Person, kind: many_to_many, back: friend_of}
            """
        expectContains(
            Snippet.sql(yaml, .postgresql),
            """
            CREATE TABLE person_friends (
                person_id INTEGER NOT NULL,
                friends_id INTEGER NOT NULL,
                CONSTRAINT pk_person_friends PRIMARY KEY (person_id, friends_id),
                CONSTRAINT fk_person_friends_friends_id_person FOREIGN KEY (friends_id) REFERENCES person (id) ON DELETE CASCADE,
                CONSTRAINT fk_person_friends_person_id_person FOREIGN KEY (person_id) REFERENCES person (id) ON DELETE CASCADE
            );
            """)
    }

    @Test("a many-to-many through an entity creates no extra table")
    func throughEntity() {
        let yaml = """
            entities:
              Student:
                fields:
                  name: string
                relations:
                  courses: {to: Course, kind: many_to_many, through: Enrollment, back: students}
              Course:
                fields:
                  title: string
              Enrollment:
                primary_key: [student, course]
                fields:
                  grade: {type: string, length: 2, nullable: true}
                relations:
                  student: {to: Student, on_delete: cascade}
                  course: {to: Course, on_delete: cascade}
            """
        let sql = Snippet.sql(yaml, .postgresql)
        #expect(occurrences(of: "CREATE TABLE", in: sql) == 3)
        expectContains(sql, "CONSTRAINT pk_enrollment PRIMARY KEY (student_id, course_id)")
        expectContains(sql, "CREATE INDEX ix_enrollment_course_id ON enrollment (course_id);")
        expectNotContains(sql, "student_courses")
    }

    @Test("a many-to-one gets an index on its foreign key")
    func foreignKeyIndex() {
        for dialect in Dialect.allCases {
            expectContains(Snippet.sql(Self.blog, dialect), "CREATE INDEX ix_post_author_id ON post (author_id);")
        }
    }

    @Test("no foreign-key index when a key, a unique or a full index already leads with its columns")
    func foreignKeyIndexSkipped() {
        let yaml = """
            entities:
              User:
                fields:
                  name: string
              Post:
                timestamps: true
                relations:
                  author: {to: User}
                  editor: {to: User}
                  reviewer: {to: User}
                  owner: {to: User, index: false}
                  subject: {to: User}
                  watcher: {to: User}
                unique:
                  - [editor, created_at]
                indexes:
                  - {fields: [author, created_at]}
                  - {fields: [created_at, reviewer]}
                  - {fields: [subject], where: "subject_id > 0", name: ix_post_subject_partial}
            """
        let sql = Snippet.sql(yaml, .postgresql)
        expectNotContains(sql, "ix_post_author_id ON")
        expectContains(sql, "CREATE INDEX ix_post_author_id_created_at ON post (author_id, created_at);")
        expectNotContains(sql, "ix_post_editor_id")
        expectContains(sql, "CONSTRAINT uq_post_editor_id_created_at UNIQUE (editor_id, created_at)")
        // A column in second position does not serve lookups by that column.
        expectContains(sql, "CREATE INDEX ix_post_reviewer_id ON post (reviewer_id);")
        // index: false switches it off.
        expectNotContains(sql, "ix_post_owner_id")
        // A partial index does not cover every row.
        expectContains(sql, "CREATE INDEX ix_post_subject_id ON post (subject_id);")
        expectContains(sql, "CREATE INDEX ix_post_watcher_id ON post (watcher_id);")
    }

    static let cycle = """
        entities:
          Department:
            fields:
              name: string
            relations:
              head: {to: Employee, nullable: true, on_delete: set_null}
          Employee:
            fields:
              name: string
            relations:
              department: {to: Department}
        """

    @Test("a foreign-key cycle is closed with ALTER TABLE on PostgreSQL and MySQL")
    func cycleDeferred() {
        for dialect in [Dialect.postgresql, .mysql] {
            let sql = Snippet.sql(Self.cycle, dialect)
            let alter =
                "ALTER TABLE department ADD CONSTRAINT fk_department_head_id_employee FOREIGN KEY (head_id) REFERENCES employee (id) ON DELETE SET NULL;"
            expectContains(sql, alter)
            expectNotContains(createTable("department", in: sql) ?? "", "fk_department_head_id_employee")
            expectContains(
                createTable("employee", in: sql) ?? "",
                "CONSTRAINT fk_employee_department_id_department FOREIGN KEY (department_id) REFERENCES department (id)"
            )
            // The ALTER comes after both tables exist.
            if let alterAt = sql.range(of: alter), let employeeAt = sql.range(of: "CREATE TABLE employee") {
                #expect(employeeAt.upperBound < alterAt.lowerBound)
            }
        }
    }

    @Test("SQLite keeps a foreign-key cycle inline (it accepts forward references)")
    func cycleInlineOnSQLite() {
        let sql = Snippet.sql(Self.cycle, .sqlite)
        expectNotContains(sql, "ALTER TABLE")
        expectContains(
            createTable("department", in: sql) ?? "",
            "CONSTRAINT fk_department_head_id_employee FOREIGN KEY (head_id) REFERENCES employee (id) ON DELETE SET NULL"
        )
    }

    @Test("tables come after the tables they reference; a self reference stays inline")
    func creationOrder() {
        let yaml = """
            entities:
              Apple:
                relations:
                  zebra: {to: Zebra}
              Zebra:
                relations:
                  parent: {to: Zebra, nullable: true}
            """
        for dialect in [Dialect.postgresql, .mysql] {
            let sql = Snippet.sql(yaml, dialect)
            let zebra = sql.range(of: "CREATE TABLE zebra")
            let apple = sql.range(of: "CREATE TABLE apple")
            #expect(zebra != nil && apple != nil)
            if let zebra, let apple { #expect(zebra.lowerBound < apple.lowerBound) }
            expectNotContains(sql, "ALTER TABLE")
            expectContains(createTable("zebra", in: sql) ?? "", "FOREIGN KEY (parent_id) REFERENCES zebra (id)")
        }
    }
}
