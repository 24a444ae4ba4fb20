import SchemaforgeKit
import XCTest

/// `auth:`, `owner:` and `access:`: what resolves, and every bad combination reported at its place.
final class AccessDiagnosticsTests: XCTestCase {
    func testAValidAuthSchemaResolvesSecureByDefault() throws {
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [member, admin]
                auth: {user: Account, login: handle, password: secret, role: role}
                entities:
                  Account:
                    fields:
                      handle: {type: string, length: 40, unique: true}
                      secret: {type: string, length: 200}
                      role: {type: Role, default: member}
                    access: {create: admin, update: admin, delete: admin}
                  Note:
                    owner: writer
                    fields:
                      body: text
                    relations:
                      writer: {to: Account}
                    access: {read: [owner, admin], create: authenticated, delete: [admin]}
                  Tag:
                    fields:
                      name: string(20)
                """), [])
        let schema = try XCTUnwrap(loaded.schema)
        XCTAssertEqual(schema.auth, AuthConfig(user: "Account", login: "handle", password: "secret", role: "role"))
        let note = try XCTUnwrap(schema.table(forEntity: "Note")?.access)
        XCTAssertEqual(note.owner, "writer")
        XCTAssertEqual(note.read, AccessRule(owner: true, roles: ["admin"]))
        XCTAssertEqual(note.create, AccessRule(authenticated: true))
        XCTAssertEqual(note.update, .authenticatedUsers, "an operation without a rule needs a logged-in user")
        XCTAssertEqual(schema.table(forEntity: "Tag")?.access, EntityAccess(), "an entity without access: logged-in users")
        XCTAssertEqual(schema.table(forEntity: "Account")?.column(named: "secret")?.sensitive, true, "the hash is never returned")
    }

    func testAccessWithoutAuth() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Note:
                    owner: writer
                    fields:
                      body: text
                    access: {read: public}
                """),
            [
                .error(4, 12, "'owner' needs 'auth:' at the top of the schema (who logs in)"),
                .error(7, 13, "'access' needs 'auth:' at the top of the schema (who logs in)"),
            ])
    }

    func testBadAuthFields() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [member, admin]
                auth: {user: Account, login: handle, password: secret, role: kind}
                entities:
                  Account:
                    fields:
                      handle: {type: string, length: 40}
                      secret: {type: string, length: 60, index: true}
                      kind: {type: Role}
                      password: string(10)
                """),
            [
                .error(4, 30, "the login field 'handle' must be unique (add 'unique: true'): two users with one login could not log in"),
                .error(
                    4, 48,
                    "'Account' has a field 'password' (column password), but with 'auth' clients send 'password' in place of the hash field 'secret': rename the field"
                ),
                .error(
                    4, 48, "the password field 'secret' stores an Argon2 hash: make it text or a string of at least 100 characters"),
                .error(4, 48, "the password field 'secret' must not be unique or indexed"),
                .error(
                    4, 62,
                    "the role field 'kind' needs a default (or 'nullable: true'): registration never lets a client choose a role"),
            ])
    }

    func testUnknownNamesGetSuggestions() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [member, admin]
                auth: {user: Acount, login: handle, password: secret}
                entities:
                  Account:
                    fields:
                      handle: {type: string, length: 40, unique: true}
                """),
            [.error(4, 14, "'auth' names unknown entity 'Acount'; did you mean 'Account'?")])
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                enums:
                  Role: [member, admin]
                auth: {user: Account, login: handle, password: secret, role: role}
                entities:
                  Account:
                    fields:
                      handle: {type: string, length: 40, unique: true}
                      secret: text
                      role: {type: Role, default: member}
                  Note:
                    owner: author
                    fields:
                      body: text
                    relations:
                      writer: {to: Account}
                      topic: {to: Note, nullable: true}
                    access: {read: [ownr, admn], create: [owner], update: [everyone]}
                """),
            [
                .warning(
                    6, 3,
                    "any logged-in user may create, update, delete any Account, password and role included: give these operations of 'Account' a role in 'access' (registration does not need them)"
                ),
                .error(12, 12, "owner 'author' is not a relation of 'Note'"),
                .error(18, 21, "unknown access 'ownr': expected public, authenticated, owner or a role (member, admin); did you mean 'owner'?"),
                .error(18, 27, "unknown access 'admn': expected public, authenticated, owner or a role (member, admin); did you mean 'admin'?"),
                .error(
                    18, 60, "unknown access 'everyone': expected public, authenticated, owner or a role (member, admin)"),
            ])
    }

    func testOwnerMustBeAManyToOneToTheUser() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                auth: {user: Account, login: handle, password: secret}
                entities:
                  Account:
                    fields:
                      handle: {type: string, length: 40, unique: true}
                      secret: text
                  Note:
                    owner: topic
                    fields:
                      body: text
                    relations:
                      topic: {to: Note, nullable: true}
                    access: {read: [owner, admin]}
                """),
            [
                .warning(
                    4, 3,
                    "any logged-in user may create, update, delete any Account, password included: give these operations of 'Account' a role in 'access' (registration does not need them)"
                ),
                .error(9, 12, "owner 'topic' must be a many_to_one relation to the auth user 'Account'"),
                .error(
                    14, 28,
                    "unknown access 'admin': expected public, authenticated or owner (role names need 'role:' in 'auth')"),
            ])
    }

    // MARK: Encrypted fields

    func testAnEncryptedStringIsTextWithItsLengthKeptForThePlaintext() throws {
        let loaded = assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Patient:
                    fields:
                      phone: {type: string, length: 30, nullable: true, encrypted: true}
                      notes: {type: text, encrypted: true}
                """), [])
        let table = try XCTUnwrap(loaded.schema?.table(forEntity: "Patient"))
        let phone = try XCTUnwrap(table.column(named: "phone"))
        XCTAssertEqual(phone.type, .text, "the column holds the ciphertext")
        XCTAssertEqual(phone.validation?.maxLength, 30, "the declared length bounds the plaintext")
        XCTAssertEqual(phone.encrypted, true)
        XCTAssertEqual(table.column(named: "notes")?.encrypted, true)
        XCTAssertNil(table.column(named: "id")?.encrypted, "other columns say nothing (their snapshot is unchanged)")
    }

    func testWhatAnEncryptedFieldCannotBe() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                entities:
                  Patient:
                    fields:
                      code: {type: string, length: 10, unique: true, encrypted: true}
                      age: {type: int, encrypted: true}
                      phone: {type: string, length: 30, default: none, encrypted: true}
                      ssn: {type: string, length: 11, encrypted: true}
                    indexes:
                      - fields: [ssn]
                """),
            [
                .error(5, 65, "encrypted field 'code' cannot have 'unique': the database only sees ciphertext (a new one each write)"),
                .error(6, 35, "'encrypted' applies to string and text fields, not int ('age')"),
                .error(
                    7, 67, "encrypted field 'phone' cannot have 'default': the database only sees ciphertext (a new one each write)"),
                .error(8, 50, "encrypted field 'ssn' cannot be in an index: the database only sees ciphertext"),
            ])
    }

    func testAnOpenAuthUserIsAWarningAtItsAccess() {
        assertDiagnostics(
            .yaml(
                """
                schema: 1
                auth: {user: Account, login: handle, password: secret}
                entities:
                  Account:
                    fields:
                      handle: {type: string, length: 40, unique: true}
                      secret: text
                    access: {read: public, update: authenticated, delete: authenticated}
                """),
            [
                .warning(
                    8, 13,
                    "any logged-in user may create, update, delete any Account, password included: give these operations of 'Account' a role in 'access' (registration does not need them)"
                )
            ])
    }
}
