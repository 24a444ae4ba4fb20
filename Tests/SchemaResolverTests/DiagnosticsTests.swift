import Foundation
import SchemaforgeKit
import XCTest

/// Every invalid schema here is loaded through `GeneratorPipeline.load(text:file:)` and its
/// diagnostics are compared in full: severity, file, line, column, message and notes.
final class DiagnosticsTests: XCTestCase {
    // MARK: YAML and JSON syntax

    func testBadIndentation() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                     email: string
                """),
            [
                .error(
                    6, 6,
                    "invalid YAML: this line is not aligned with the keys of its mapping (did not find expected key while parsing a block mapping); check the indentation",
                    notes: [.note(4, 5, "the enclosing mapping starts here")])
            ])
    }

    func testUnclosedFlowMapping() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User: {fields: {name: string}
                  Post:
                    fields:
                      title: string
                """),
            [
                .error(
                    4, 3, "invalid YAML: expected ',' or '}' in the flow mapping '{...}' that starts at the note; is a ',' or a closing '}' missing?",
                    notes: [.note(3, 9, "the flow mapping starts here")])
            ])
    }

    func testTabIndentation() {
        assertDiagnostics(
            .yaml("schema: 1\nentities:\n  User:\n\tfields:\n      name: string"),
            [
                .error(4, 1, "tab characters cannot indent YAML; indent with spaces")
            ])
    }

    func testTabIndentedJSONIsValid() {
        let loaded = assertDiagnostics(
            .json("{\n\t\"schema\": 1,\n\t\"entities\": {\n\t\t\"User\": {\"fields\": {\"name\": \"string\"}}\n\t}\n}"), [])
        XCTAssertEqual(loaded.schema?.tables.map(\.name), ["user"])
    }

    func testJSONSyntaxError() {
        assertDiagnostics(
            .json(
                """
                {
                  "schema": 1,
                  "entities": {
                    "User": {"fields": {"name": "string" "email": "string"}}
                  }
                }
                """),
            [
                .error(
                    4, 42, "invalid JSON: expected ',' or '}' in the object that starts at the note; is a ',' or a closing '}' missing?",
                    notes: [.note(4, 24, "the object starts here")])
            ])
    }

    func testJSONUnclosedArray() {
        assertDiagnostics(
            .json(
                """
                {
                  "schema": 1,
                  "enums": {"Role": ["admin", "reader"},
                  "entities": {"User": {"fields": {"role": "Role"}}}
                }
                """),
            [
                .error(
                    3, 39, "invalid JSON: expected ',' or ']' in the array that starts at the note; is a ',' or a closing ']' missing?",
                    notes: [.note(3, 21, "the array starts here")])
            ])
    }

    func testValueWithColonNeedsQuotes() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    comment: note: this breaks
                    fields:
                      name: string
                """),
            [
                .error(
                    4, 18, "invalid YAML: a ':' followed by a space is not allowed here; quote the value if it contains ': ', or fix the indentation")
            ])
    }

    func testRootMustBeAMapping() {
        assertDiagnostics(
            .yaml(
                """
                - User
                - Post
                """),
            [
                .error(1, 1, "the schema must be a mapping with 'schema' and 'entities' keys, found a list")
            ])
    }

    // MARK: Unknown keys, types and targets

    func testUnknownTopLevelKey() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enum:
                  Role: [admin]
                entities:
                  User:
                    fields:
                      name: string
                """),
            [
                .error(2, 1, "unknown key 'enum' in the schema; did you mean 'enums'?")
            ])
    }

    func testUnknownEntityFieldAndRelationKeys() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    tabel: users
                    fields:
                      name: {type: string, nullabel: true}
                    relations:
                      boss: {to: User, knd: many_to_one, nullable: true}
                """),
            [
                .error(4, 5, "unknown key 'tabel' in entity 'User'; did you mean 'table'?"),
                .error(6, 28, "unknown key 'nullabel' in field 'name'; did you mean 'nullable'?"),
                .error(8, 24, "unknown key 'knd' in relation 'boss'; did you mean 'kind'?"),
            ])
    }

    func testUnknownKeyWithoutCloseMatchHasNoSuggestion() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: {type: string, colour: blue}
                """),
            [
                .error(5, 28, "unknown key 'colour' in field 'name'")
            ])
    }

    func testUnknownTypes() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [admin, reader]
                entities:
                  User:
                    fields:
                      name: strng
                      age: {type: integr}
                      role: Rol
                      blob: frobnicator
                """),
            [
                .error(7, 13, "unknown type 'strng'; did you mean 'string'?"),
                .error(8, 19, "unknown type 'integr'; did you mean 'integer'?"),
                .error(9, 13, "unknown type 'Rol'; did you mean 'Role'?"),
                .error(10, 13, "unknown type 'frobnicator'"),
            ])
    }

    func testUnknownRelationTargets() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                  Post:
                    relations:
                      author: Usr
                      editor: {to: Usre, nullable: true}
                      tags: {to: Tags, kind: many_to_many}
                  Tag:
                    fields:
                      label: string
                """),
            [
                .error(8, 15, "unknown entity 'Usr' in relation 'author'; did you mean 'User'?"),
                .error(9, 20, "unknown entity 'Usre' in relation 'editor'; did you mean 'User'?"),
                .error(10, 18, "unknown entity 'Tags' in relation 'tags'; did you mean 'Tag'?"),
            ])
    }

    // MARK: Duplicates (with "first defined here" notes)

    func testDuplicateEntity() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                  Post:
                    fields:
                      title: string
                  User:
                    fields:
                      email: string
                """),
            [
                .error(9, 3, "duplicate entity 'User'", notes: [.note(3, 3, "first defined here")])
            ])
    }

    func testDuplicateField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                      email: string
                      name: text
                """),
            [
                .error(7, 7, "duplicate field or relation 'name' in entity 'User'", notes: [.note(5, 7, "first defined here")])
            ])
    }

    func testFieldAndRelationWithTheSameName() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                  Post:
                    fields:
                      author: string
                    relations:
                      author: User
                """),
            [
                .error(10, 7, "duplicate field or relation 'author' in entity 'Post'", notes: [.note(8, 7, "first defined here")])
            ])
    }

    func testDuplicateEnumAndEnumValue() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [admin, reader, admin]
                  Status: [draft]
                  Role: [x]
                entities:
                  User:
                    fields:
                      role: Role
                """),
            [
                .error(3, 25, "duplicate value 'admin' in enum 'Role'", notes: [.note(3, 10, "first defined here")]),
                .error(5, 3, "duplicate enum 'Role'", notes: [.note(3, 3, "first defined here")]),
            ])
    }

    func testEnumValueRenames() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role:
                    values: [admin, viewer, editor]
                    renamed_from: {viewr: reader, editor: admin, viewer: guest}
                  Status:
                    values: [open, closed]
                    renamed_from: {open: new, closed: new}
                entities:
                  User:
                    fields:
                      role: Role
                      status: Status
                """),
            [
                .error(
                    5, 20, "'renamed_from' names 'viewr', which is not a value of enum 'Role' (its keys are the new values); did you mean 'viewer'?"),
                .error(
                    5, 43, "'editor' is renamed from 'admin', which is still a value of enum 'Role'; remove it from 'values' or from 'renamed_from'"),
                .error(8, 39, "'new' is renamed twice in enum 'Status'", notes: [.note(8, 26, "first renamed here")]),
            ])
    }

    func testUnknownReadStyle() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                  Post:
                    relations:
                      author: {to: User, read: nestd}
                """),
            [
                .error(8, 32, "unknown read style 'nestd' (expected ids or nested); did you mean 'nested'?")
            ])
    }

    func testDuplicateKeyInAField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: {type: string, length: 50, length: 80}
                """),
            [
                .error(5, 40, "duplicate key 'length' in field 'name'", notes: [.note(5, 28, "first defined here")])
            ])
    }

    func testDuplicateKeyInJSON() {
        assertDiagnostics(
            .json(
                """
                {
                  "schema": 1,
                  "entities": {
                    "User": {"fields": {"name": "string"}},
                    "User": {"fields": {"email": "string"}}
                  }
                }
                """),
            [
                .error(5, 5, "duplicate entity 'User'", notes: [.note(4, 5, "first defined here")])
            ])
    }

    func testTwoFieldsOnOneColumn() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                      full_name: {type: string, column: name}
                """),
            [
                .error(
                    6, 41,
                    "field 'full_name' uses the column name 'name', which another field of entity 'User' already uses; give it a different 'column'",
                    notes: [.note(5, 7, "first defined here")])
            ])
    }

    // MARK: Foreign keys and keys

    func testForeignKeyTypeMismatchOnTheDefaultColumn() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      id: int
                  Post:
                    fields:
                      author_id: string
                    relations:
                      author: {to: User}
                """),
            [
                .error(
                    8, 18,
                    "foreign key column 'author_id' of relation 'author' is string(255) but it references 'User.id', which is int; declare the field as int",
                    notes: [.note(5, 7, "the referenced column is declared here")])
            ])
    }

    func testForeignKeyTypeMismatchThroughColumn() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      id: {type: bigint, primary_key: true}
                  Post:
                    fields:
                      writer: uuid
                    relations:
                      author: {to: User, column: writer}
                """),
            [
                .error(
                    8, 15,
                    "foreign key column 'writer' of relation 'author' is uuid but it references 'User.id', which is bigint; declare the field as bigint",
                    notes: [.note(5, 7, "the referenced column is declared here")])
            ])
    }

    func testManyToManyToAKeylessEntity() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Log:
                    primary_key: false
                    fields:
                      message: text
                  Tag:
                    fields:
                      name: string
                    relations:
                      logs: {to: Log, kind: many_to_many}
                """),
            [
                .error(11, 7, "many_to_many relation 'logs' needs a primary key on both sides, but 'Log' has none ('primary_key: false')")
            ])
    }

    func testManyToManyFromAKeylessEntity() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Tag:
                    fields:
                      name: string
                  Event:
                    primary_key: false
                    fields:
                      message: text
                    relations:
                      tags: {to: Tag, kind: many_to_many}
                """),
            [
                .error(11, 7, "many_to_many relation 'tags' needs a primary key on both sides, but 'Event' has none ('primary_key: false')")
            ])
    }

    func testManyToOneToAKeylessEntity() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Log:
                    primary_key: false
                    fields:
                      message: text
                  Entry:
                    relations:
                      log: Log
                """),
            [
                .error(
                    9, 12,
                    "relation 'log' points at 'Log', which has no primary key ('primary_key: false'); a foreign key needs a usable key (add a key or 'references' a unique field)"
                )
            ])
    }

    func testReferencesANonUniqueField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      email: string
                  Post:
                    relations:
                      author: {to: User, references: email}
                """),
            [
                .error(
                    8, 38,
                    "relation 'author' references 'User.email', which is neither the primary key nor unique; a foreign key needs a unique target (add 'unique: true' or a 'unique' constraint on it)"
                )
            ])
    }

    func testReferencesAnUnknownField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      email: {type: string, unique: true}
                  Post:
                    relations:
                      author: {to: User, references: emial}
                """),
            [
                .error(8, 38, "relation 'author' references 'emial', which is not a field of 'User'; did you mean 'email'?")
            ])
    }

    func testSetNullOnANonNullableForeignKey() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                  Post:
                    relations:
                      author: {to: User, on_delete: set_null}
                """),
            [
                .error(8, 37, "on_delete: set_null needs a nullable foreign key; add 'nullable: true' to relation 'author'")
            ])
    }

    func testNullablePrimaryKey() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      code: {type: string, primary_key: true, nullable: true}
                """),
            [
                .error(5, 7, "primary key column 'code' of 'Item' cannot be nullable; a primary key is always NOT NULL")
            ])
    }

    func testAutoincrementOnANonKey() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      position: {type: int, autoincrement: true}
                      code: {type: string, primary_key: true, autoincrement: true}
                """),
            [
                .error(5, 44, "autoincrement applies to a single-column integer primary key only, and 'position' is not the primary key"),
                .error(6, 62, "autoincrement applies to a single-column integer primary key only, and 'code' is string(255)"),
            ])
    }

    // MARK: Relations

    func testOneToManyWithoutBack() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    relations:
                      posts: {to: Post, kind: one_to_many}
                  Post:
                    fields:
                      title: string
                """),
            [
                .error(
                    5, 7,
                    "one_to_many relation 'posts' needs 'back': the name of the many_to_one on 'Post' that holds the foreign key (e.g. 'back: user')")
            ])
    }

    func testBackCollidingWithATargetField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      posts: int
                  Post:
                    fields:
                      title: string
                    relations:
                      author: {to: User, back: posts}
                """),
            [
                .error(
                    10, 32, "'back: posts' collides with the field 'posts' of 'User'; choose another 'back' name",
                    notes: [.note(5, 7, "the field is declared here")])
            ])
    }

    func testOneToManyBackCollidingWithATargetField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    relations:
                      posts: {to: Post, kind: one_to_many, back: title}
                  Post:
                    fields:
                      title: string
                """),
            [
                .error(
                    5, 50, "'back: title' of one_to_many 'posts' collides with the field 'title' of 'Post'; choose another name for the many_to_one",
                    notes: [.note(8, 7, "the field is declared here")])
            ])
    }

    func testBadReferentialActionAndRelationKind() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      name: string
                  Post:
                    relations:
                      author: {to: User, on_delete: cascde}
                      editor: {to: User, on_update: "set nul", nullable: true}
                      reviewer: {to: User, kind: many_to_onee}
                      owner: {to: User, kind: belongs_to}
                """),
            [
                .error(
                    8, 37,
                    "unknown referential action 'cascde' for on_delete; did you mean 'cascade'? (expected one of cascade, restrict, set_null, set_default, no_action)"
                ),
                .error(
                    9, 37,
                    "unknown referential action 'set nul' for on_update; did you mean 'set_null'? (expected one of cascade, restrict, set_null, set_default, no_action)"
                ),
                .error(
                    10, 34,
                    "unknown relation kind 'many_to_onee'; did you mean 'many_to_one'? (expected one of many_to_one, one_to_one, one_to_many, many_to_many)"
                ),
                .error(11, 31, "unknown relation kind 'belongs_to' (expected one of many_to_one, one_to_one, one_to_many, many_to_many)"),
            ])
    }

    func testThroughEntityMissingTheManyToOne() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Student:
                    fields:
                      name: string
                    relations:
                      courses: {to: Course, kind: many_to_many, through: Enrollment}
                  Course:
                    fields:
                      title: string
                  Enrollment:
                    fields:
                      grade: int
                    relations:
                      student: Student
                """),
            [
                .error(
                    7, 58,
                    "'through: Enrollment' needs exactly one many_to_one to 'Course' on 'Enrollment' (found 0); add e.g. 'course: Course' to the relations of 'Enrollment'"
                )
            ])
    }

    func testPrimaryKeysThatDependOnEachOther() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  A:
                    primary_key: [b]
                    relations:
                      b: B
                  B:
                    primary_key: [a]
                    relations:
                      a: A
                """),
            [
                .error(
                    6, 7,
                    "relation 'b' of 'A' depends on itself through primary keys (its target's key leads back to it); give one of the entities a key of its own"
                )
            ])
    }

    func testCompositeForeignKeyColumns() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Point:
                    primary_key: [x, y]
                    fields:
                      x: int
                      y: int
                  Label:
                    relations:
                      one: {to: Point, columns: [only_x]}
                      twice: {to: Point, columns: [p, p]}
                """),
            [
                .error(10, 34, "relation 'one' names 1 column(s) but the key of 'Point' has 2; name one column per key column"),
                .error(
                    11, 39, "relation 'twice' names the column 'p' twice; each key column needs its own foreign key column",
                    notes: [.note(11, 36, "first named here")]),
            ])
    }

    func testSelfReferenceWhoseBackNamesItself() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Person:
                    fields:
                      name: string
                    relations:
                      partner: {to: Person, kind: one_to_one, nullable: true, back: partner}
                """),
            [
                .error(7, 69, "'back: partner' names the relation itself; a self-referencing relation needs a different name for its other side")
            ])
    }

    func testSelfReferencingOneToManyKeepsItsForeignKey() throws {
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Category:
                    fields:
                      name: string
                    relations:
                      children: {to: Category, kind: one_to_many, back: parent}
                """),
            [
                // The many-to-one that `back` creates is required: the root of the tree cannot be created.
                .warning(
                    7, 57,
                    "required relation Category.parent -> Category references its own entity: no Category can be created first (it needs an existing Category), so the API cannot create it nor anything that requires it. Make the relation optional ('nullable: true'), or, on PostgreSQL, make its foreign key DEFERRABLE INITIALLY DEFERRED (by hand, in a migration)"
                )
            ])
        let table = try XCTUnwrap(loaded.schema?.tables.first { $0.name == "category" })
        XCTAssertEqual(table.foreignKeys.map(\.columns), [["parent_id"]])
        XCTAssertEqual(table.relations.map(\.name).sorted(), ["children", "parent"])
    }

    // MARK: Indexes and constraints

    func testIndexAndUniqueOnUnknownFields() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      email: string
                      name: string
                    indexes:
                      - {fields: [emial]}
                      - [name, nme]
                    unique:
                      - [emails]
                """),
            [
                .error(8, 19, "index on unknown field 'emial' of 'User'; did you mean 'email'?"),
                .error(9, 16, "index on unknown field 'nme' of 'User'; did you mean 'name'?"),
                .error(11, 10, "unique constraint on unknown field 'emails' of 'User'; did you mean 'email'?"),
            ])
    }

    func testBadIndexMethod() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    fields:
                      tags: json
                    indexes:
                      - {fields: [tags], method: gim}
                """),
            [
                .error(7, 34, "unknown index method 'gim'; did you mean 'gin'? (expected one of btree, hash, gin, gist)")
            ])
    }

    func testDuplicateConstraintNamesAcrossTables() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Author:
                    fields:
                      name: string
                    indexes:
                      - {fields: [name], name: ix_name}
                  Book:
                    fields:
                      title: string
                    indexes:
                      - {fields: [title], name: ix_name}
                """),
            [
                .error(
                    12, 33, "constraint or index name 'ix_name' is used twice (tables 'author' and 'book'); give one of them an explicit 'name'",
                    notes: [.note(7, 32, "first used here")])
            ])
    }

    func testTableNameUsedTwice() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Person:
                    fields:
                      name: string
                  People:
                    table: person
                    fields:
                      name: string
                """),
            [
                .error(
                    7, 12, "table name 'person' is used twice (by entity 'Person' and entity 'People'); give one of them another 'table' name",
                    notes: [.note(3, 3, "first used here")])
            ])
    }

    // MARK: Field options

    func testDecimalScaleGreaterThanPrecision() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      price: {type: decimal, precision: 4, scale: 6}
                      weight: decimal(5,7)
                """),
            [
                .error(5, 51, "decimal scale must be between 0 and the precision (4), got 6"),
                .error(6, 15, "decimal scale must be between 0 and the precision (5), got 7"),
            ])
    }

    func testMinGreaterThanMaxAndMinOnAString() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      quantity: {type: int, min: 10, max: 5}
                      name: {type: string, min: 1}
                """),
            [
                .error(5, 34, "'min' 10 is greater than 'max' 5"),
                .error(6, 33, "'min' applies to numeric fields, not string(255)"),
            ])
    }

    func testInvalidPattern() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      code: {type: string, pattern: "[a-z"}
                """),
            [
                .error(5, 37, "'pattern' is not a valid regular expression: [a-z")
            ])
    }

    func testDefaultsOfTheWrongType() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      a: {type: int, default: true}
                      b: {type: int, default: uuid}
                      c: {type: int, default: now}
                      d: {type: int, default: 1.5}
                      e: {type: bool, default: 5}
                      f: {type: uuid, default: not-a-uuid}
                      g: {type: string(3), default: abcd}
                """),
            [
                .error(5, 31, "the default of an integer field must be a whole number, got 'true'"),
                .error(6, 31, "'uuid' is a default for uuid fields, not int"),
                .error(7, 31, "'now' is a default for date, time and datetime fields, not int"),
                .error(8, 31, "the default of an integer field must be a whole number, got '1.5'"),
                .error(9, 32, "the default of a bool field must be true or false, got '5'"),
                .error(10, 32, "default 'not-a-uuid' is not a UUID (or 'uuid' for a random one)"),
                .error(11, 37, "default 'abcd' is longer than the field's length 3"),
            ])
    }

    func testEnumDefaultNotInTheEnum() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [admin, editor, reader]
                entities:
                  User:
                    fields:
                      role: {type: Role, default: reder}
                      other: {type: Role, default: nobody}
                """),
            [
                .error(7, 35, "default 'reder' is not a value of enum 'Role'; did you mean 'reader'? (values: admin, editor, reader)"),
                .error(8, 36, "default 'nobody' is not a value of enum 'Role' (values: admin, editor, reader)"),
            ])
    }

    func testTimestampsClashWithACreatedAtField() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Post:
                    timestamps: true
                    fields:
                      title: string
                      created_at: datetime
                """),
            [
                .error(7, 7, "field 'created_at' clashes with the 'created_at' column that 'timestamps: true' adds; remove one of them")
            ])
    }

    func testWrongKindsOfValues() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  User:
                    timestamps: maybe
                    fields:
                      name: {type: string, length: long, nullable: 1}
                      age: {type: int, min: "zero"}
                      tags: [a, b]
                      nick:
                """),
            [
                .error(4, 17, "'timestamps' must be true or false, found 'maybe'"),
                .error(6, 36, "'length' must be a whole number, found 'long'"),
                .error(6, 52, "'nullable' must be true or false, found '1'"),
                .error(7, 29, "'min' must be a number, found the string 'zero'"),
                .error(8, 13, "field 'tags' must be a type name or a mapping with 'type', found a list"),
                .error(9, 12, "field 'nick' has no type (write e.g. 'nick: string' or 'nick: {type: int}')"),
            ])
    }

    func testSynonymsGivenTogetherAndMistypedOptions() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  A:
                    primary_key: true
                    mongo: 5
                    fields:
                      x: {type: int, nullable: true, optional: false}
                      s: {type: string, length: 10, max_length: 20}
                      t: {type: int, items: {a: 1}}
                    checks:
                      - {expr: "x > 0", expression: "x < 0"}
                  B:
                    relations:
                      a: {to: A, column: b_ref, columns: [b_key], embed: [1]}
                """),
            [
                .error(4, 18, "'primary_key' on an entity is a list of fields or false; mark key fields with 'primary_key: true' instead"),
                .error(5, 12, "'mongo' must be a mapping, found '5'"),
                .error(
                    7, 38, "'optional' and 'nullable' say the same thing in field 'x'; give only one of them",
                    notes: [.note(7, 22, "'nullable' is given here")]),
                .error(
                    8, 37, "'max_length' and 'length' say the same thing in field 's'; give only one of them",
                    notes: [.note(8, 25, "'length' is given here")]),
                .error(9, 29, "'items' must be a type name such as int or string(50), found a mapping"),
                .error(
                    11, 25, "'expression' and 'expr' say the same thing in a check; give only one of them",
                    notes: [.note(11, 10, "'expr' is given here")]),
                .error(
                    14, 33, "'columns' and 'column' say the same thing in relation 'a'; give only one of them",
                    notes: [.note(14, 18, "'column' is given here")]),
                .error(14, 58, "'embed' must be true or false, found a list"),
            ])
    }

    // MARK: Names

    func testBadIdentifiers() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  "Us'er":
                    fields:
                      name: string
                  Post:
                    fields:
                      "": string
                      1st_place: int
                      a_name_that_is_much_too_long_for_postgresql_which_stops_at_63_bytes: int
                      "has space": int
                  Tag:
                    table: "tag table"
                    fields:
                      name: string
                """),
            [
                .error(3, 3, "entity name 'Us'er' contains a quote character; use letters, digits and '_'"),
                .error(8, 7, "field name is empty; use letters, digits and '_'"),
                .error(9, 7, "field name '1st_place' starts with a digit; start it with a letter or '_'"),
                .error(
                    10, 7,
                    "field name 'a_name_that_is_much_too_long_for_postgresql_which_stops_at_63_bytes' is 67 bytes long, too long for the column name it gives (the limit is 63 bytes, PostgreSQL); set 'column' to a shorter name, or rename the field"
                ),
                .error(11, 7, "field name 'has space' is not a valid identifier; use letters, digits and '_'"),
                // A table name only reaches the database, where it is quoted: 'tag table' is fine.
            ])
    }

    /// Only names that reach the database have the dialects' length limit: a long entity or field
    /// name is fine with a short `table` or `column`, and the error says which key to set.
    func testLongNamesNeedShortDatabaseNames() {
        let long = "ThisEntityNameIsLongerThanTheSixtyThreeBytesPostgreSQLAllowsForTables"
        let field = "this_field_name_is_longer_than_the_sixty_three_bytes_postgresql_allows"
        let column = "this_column_name_is_longer_than_the_sixty_three_bytes_postgresql_allows"
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  \(long):
                    fields:
                      name: string
                  \(long)Too:
                    table: short_table
                    fields:
                      \(field):
                        type: string
                      \(field)_too:
                        type: string
                        column: short_column
                      plain:
                        type: string
                        column: \(column)
                    relations:
                      \(field)_owner:
                        kind: many_to_one
                        to: \(long)
                """),
            [
                .error(
                    3, 3,
                    "entity name '\(long)' is 69 bytes long, too long for the table name it gives (the limit is 63 bytes, PostgreSQL); set 'table' to a shorter name, or rename the entity"
                ),
                .error(
                    9, 7,
                    "field name '\(field)' is 70 bytes long, too long for the column name it gives (the limit is 63 bytes, PostgreSQL); set 'column' to a shorter name, or rename the field"
                ),
                .error(16, 17, "column name '\(column)' is 71 bytes long; the limit is 63 bytes (PostgreSQL); use a shorter name"),
            ])
        XCTAssertNil(loaded.schema)
        // Fixed as the messages say, the schema resolves: the long names stay in the schema (and
        // the Python code), the database gets the short ones.
        let fixed = GeneratorPipeline.load(
            text: """
                schema: 1
                entities:
                  \(long):
                    table: long_things
                    fields:
                      name: string
                  \(long)Too:
                    table: short_table
                    fields:
                      \(field):
                        type: string
                        column: short_column
                """, file: "fixed.yaml")
        XCTAssertEqual(fixed.diagnostics.map(\.description), [])
        let table = fixed.schema?.tables.first { $0.entity == "\(long)Too" }
        XCTAssertEqual(table?.name, "short_table")
        XCTAssertEqual(table?.columns.first { $0.field == field }?.name, "short_column")
    }

    /// Required relations in a cycle: no row can be inserted first. A warning (the schema still
    /// resolves) at the relation declared first, a note at each other one; a required
    /// self-reference is a cycle too; an optional relation breaks a cycle.
    func testRequiredRelationCycles() {
        let fix = "or, on PostgreSQL, make its foreign key DEFERRABLE INITIALLY DEFERRED (by hand, in a migration)"
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Store:
                    fields:
                      name: string
                    relations:
                      manager: {to: Staff}
                  Staff:
                    fields:
                      name: string
                    relations:
                      store: {to: Store}
                  Category:
                    fields:
                      name: string
                    relations:
                      parent:
                        to: Category
                  Shelf:
                    fields:
                      name: string
                    relations:
                      store: {to: Store}
                      next: {to: Shelf, nullable: true}
                """),
            [
                .warning(
                    7, 7,
                    "required relations form a cycle: Store.manager -> Staff, Staff.store -> Store; no Store or Staff can be created first (each needs an existing row of the cycle), so the API cannot create them nor anything that requires them. Make one relation of each cycle optional ('nullable: true'), "
                        + fix,
                    notes: [.note(12, 7, "'Staff.store' is required here")]),
                .warning(
                    17, 7,
                    "required relation Category.parent -> Category references its own entity: no Category can be created first (it needs an existing Category), so the API cannot create it nor anything that requires it. Make the relation optional ('nullable: true'), "
                        + fix),
            ])
        XCTAssertEqual(loaded.schema?.uncreatableEntities, ["Category", "Shelf", "Staff", "Store"])
    }

    func testEnumTypeNameClashesWithATable() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Status: [active, inactive]
                entities:
                  Account:
                    fields:
                      status: Status
                  StatusLog:
                    table: status
                    fields:
                      note: text
                """),
            [
                .error(
                    3, 3,
                    "enum 'Status' becomes the PostgreSQL type 'status', which clashes with the table 'status'; rename the enum or set its 'type'",
                    notes: [.note(9, 12, "the table comes from here")])
            ])
    }

    func testEnumNamedLikeABuiltInType() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Text: [a, b]
                entities:
                  User:
                    fields:
                      name: string
                """),
            [
                .error(3, 3, "enum 'Text' has the name of the built-in type 'text'; rename the enum")
            ])
    }

    // MARK: Schema level

    func testUnsupportedSchemaVersion() {
        assertDiagnostics(
            .yaml(
                """
                schema: 2
                entities:
                  User:
                    fields:
                      name: string
                """),
            [
                .error(1, 9, "unsupported schema format version 2; this schemaforge reads version 1")
            ])
    }

    func testEmptySchemaFile() {
        assertDiagnostics(
            Source(text: "", file: "empty.yaml"),
            [
                .error(1, 1, "the schema file is empty")
            ])
        assertDiagnostics(
            Source(text: "# only a comment\n", file: "comment.yaml"),
            [
                .error(1, 1, "the schema file is empty")
            ])
    }

    func testNoEntities() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                name: nothing
                """),
            [
                .error(1, 1, "the schema declares no entities; add at least one under 'entities:'")
            ])
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities: {}
                """),
            [
                .error(1, 1, "the schema declares no entities; add at least one under 'entities:'")
            ])
    }

    // MARK: All problems at once

    func testAllProblemsOfAFileAreReportedInSourceOrder() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [admin, reader]
                entities:
                  User:
                    fields:
                      name: strng
                      role: {type: Role, default: admn}
                      age: {type: int, min: 5, max: 1}
                  Post:
                    tittle: x
                    relations:
                      author: {to: Usr}
                """),
            [
                .error(7, 13, "unknown type 'strng'; did you mean 'string'?"),
                .error(8, 35, "default 'admn' is not a value of enum 'Role'; did you mean 'admin'? (values: admin, reader)"),
                .error(9, 29, "'min' 5 is greater than 'max' 1"),
                .error(11, 5, "unknown key 'tittle' in entity 'Post'"),
                .error(13, 20, "unknown entity 'Usr' in relation 'author'; did you mean 'User'?"),
            ])
    }

    // MARK: Warnings

    func testDecimalWithoutPrecisionIsAWarningAndTheSchemaResolves() {
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Item:
                    fields:
                      price: decimal
                      weight: {type: decimal, nullable: true}
                """),
            [
                .warning(5, 14, "decimal without a precision; using decimal(18,2) (write decimal(p,s) to choose)"),
                .warning(6, 22, "decimal without a precision; using decimal(18,2) (write decimal(p,s) to choose)"),
            ])
        let table = loaded.schema?.tables.first { $0.name == "item" }
        XCTAssertEqual(table?.columns.first { $0.name == "price" }?.type, .decimal(precision: 18, scale: 2))
        XCTAssertFalse(loaded.hasErrors)
    }
}
