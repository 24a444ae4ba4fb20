import SchemaModel

extension ResolutionContext {
    /// The words of an `access:` rule besides role names.
    static let accessKeywords = ["public", "authenticated", "owner"]

    /// `auth:` and each entity's `owner:` and `access:`, checked against the assembled tables: the auth
    /// config, and an `EntityAccess` on every entity table (secure by default: a logged-in user).
    func resolveAccess(_ tables: inout [Table]) -> AuthConfig? {
        guard let decl = document.auth else {
            for entity in entities {
                if let owner = entity.owner {
                    diagnostics.error("'owner' needs 'auth:' at the top of the schema (who logs in)", at: owner.location)
                }
                if let at = entity.accessLocation {
                    diagnostics.error("'access' needs 'auth:' at the top of the schema (who logs in)", at: at)
                }
            }
            return nil
        }
        sourceMap.auth = decl.location
        guard let auth = resolveAuth(decl, tables: tables) else { return nil }
        // The hash is never returned, filtered or sorted on.
        if let u = tables.firstIndex(where: { $0.entity == auth.user }), let c = tables[u].columns.firstIndex(where: { $0.field == auth.password }) {
            tables[u].columns[c].sensitive = true
        }
        let roles = roleEnumValues(auth, tables: tables) ?? []
        for t in tables.indices {
            guard let entity = tables[t].entity, let i = entityIndex[entity] else { continue }
            tables[t].access = resolveEntityAccess(entities[i], table: tables[t], auth: auth, roles: roles)
        }
        guard let user = tables.first(where: { $0.entity == auth.user }), let tokens = refreshTokenTable(user: user) else { return nil }
        if tables.contains(where: { $0.name == tokens.name || $0.entity == tokens.entity }) {
            diagnostics.error(
                "'auth' adds the table \(tokens.name) (entity \(tokens.entity ?? "")) for refresh tokens, and the schema has one of that name: rename yours",
                at: decl.location)
            return nil
        }
        tables.append(tokens)
        return auth
    }

    /// The refresh tokens of `user`: the hash of each token (never the token), its family (the
    /// tokens rotated from one login), when it expires, when it was used, when it was revoked.
    func refreshTokenTable(user: Table) -> Table? {
        guard let key = user.primaryKey?.columns.first, let keyColumn = user.column(named: key) else { return nil }
        let name = AuthConfig.refreshTokenTable
        let owner = "user_" + key
        var table = Table(
            name: name, entity: AuthConfig.refreshTokenEntity,
            comment: "Refresh tokens of 'auth' (hashes): rotated on every use, a reused one revokes its family.",
            columns: [
                Column(name: "id", type: .bigint, autoincrement: true),
                Column(name: owner, type: keyColumn.type),
                Column(name: "token_hash", type: .string(length: 64)),
                Column(name: "family", type: .string(length: 36)),
                Column(name: "expires_at", type: .datetime),
                Column(name: "used_at", type: .datetime, nullable: true),
                Column(name: "revoked_at", type: .datetime, nullable: true),
            ],
            primaryKey: PrimaryKey(name: convention.primaryKeyName(table: name), columns: ["id"]),
            foreignKeys: [
                ForeignKey(
                    name: convention.foreignKeyName(table: name, columns: [owner], referredTable: user.name), columns: [owner],
                    referencedTable: user.name, referencedColumns: [key], onDelete: .cascade)
            ],
            uniques: [UniqueConstraint(name: convention.uniqueName(table: name, columns: ["token_hash"]), columns: ["token_hash"])],
            indexes: [
                Index(name: convention.indexName(table: name, columns: ["family"]), columns: ["family"]),
                Index(name: convention.indexName(table: name, columns: [owner]), columns: [owner]),
            ])
        table.managedBy = "auth"
        return table
    }

    private func resolveAuth(_ decl: AuthDecl, tables: [Table]) -> AuthConfig? {
        var missing: [String] = []
        if decl.user == nil { missing.append("'user' (the entity that logs in)") }
        if decl.login == nil { missing.append("'login' (its unique username field)") }
        if decl.password == nil { missing.append("'password' (the field that stores the password hash)") }
        guard let userName = decl.user, let login = decl.login, let password = decl.password else {
            diagnostics.error("'auth' needs " + missing.joined(separator: ", "), at: decl.location)
            return nil
        }
        guard let user = tables.first(where: { $0.entity == userName.value }) else {
            let names = entities.map(\.name.value)
            diagnostics.error(
                "'auth' names unknown entity '\(userName.value)'\(Suggestions.hint(for: userName.value, in: names))", at: userName.location)
            return nil
        }
        var valid = true
        if let key = user.primaryKey?.columns, key.count == 1, let column = user.column(named: key[0]) {
            switch column.type {
            case .smallint, .int, .bigint, .uuid, .string, .text: break
            default:
                diagnostics.error(
                    "the auth user '\(userName.value)' needs an integer, uuid or string primary key (the token's subject), not \(column.type)",
                    at: userName.location)
                valid = false
            }
        } else {
            diagnostics.error("the auth user '\(userName.value)' needs a single-field primary key (it is the token's subject)", at: userName.location)
            valid = false
        }
        if password.value != "password", let clash = user.columns.first(where: { $0.field == "password" }) {
            diagnostics.error(
                "'\(userName.value)' has a field 'password' (column \(clash.name)), but with 'auth' clients send 'password' in place of the hash field '\(password.value)': rename the field",
                at: password.location)
            valid = false
        }
        func field(_ name: Located<String>, what: String) -> Column? {
            if let column = user.columns.first(where: { $0.field == name.value && $0.relation == nil }) { return column }
            let fields = user.columns.filter { $0.relation == nil }.map(\.field)
            diagnostics.error(
                "\(what) '\(name.value)' is not a field of '\(userName.value)'\(Suggestions.hint(for: name.value, in: fields))", at: name.location)
            valid = false
            return nil
        }
        if let column = field(login, what: "the login field") {
            if !isStringLike(column.type) {
                diagnostics.error("the login field '\(login.value)' must be a string field, not \(column.type)", at: login.location)
                valid = false
            }
            let unique =
                user.uniques.contains { $0.columns == [column.name] } || user.indexes.contains { $0.unique && $0.columns == [column.name] }
                || user.primaryKey?.columns == [column.name]
            if !unique {
                diagnostics.error(
                    "the login field '\(login.value)' must be unique (add 'unique: true'): two users with one login could not log in",
                    at: login.location)
                valid = false
            }
        }
        if let column = field(password, what: "the password field") {
            switch column.type {
            case .text: break
            case let .string(length) where length >= 100: break
            default:
                diagnostics.error(
                    "the password field '\(password.value)' stores an Argon2 hash: make it text or a string of at least 100 characters",
                    at: password.location)
                valid = false
            }
            let indexed =
                user.uniques.contains { $0.columns.contains(column.name) } || user.indexes.contains { $0.columns.contains(column.name) }
            if indexed {
                diagnostics.error("the password field '\(password.value)' must not be unique or indexed", at: password.location)
                valid = false
            }
            if login.value == password.value {
                diagnostics.error("the login and the password must be two fields", at: password.location)
                valid = false
            }
        }
        var config = AuthConfig(user: userName.value, login: login.value, password: password.value, registration: decl.registration?.value ?? true)
        if let role = decl.role, let column = field(role, what: "the role field") {
            if case .enumeration = column.type {
                config.role = role.value
                if config.registration && !column.nullable && column.defaultValue == nil {
                    diagnostics.error(
                        "the role field '\(role.value)' needs a default (or 'nullable: true'): registration never lets a client choose a role",
                        at: role.location)
                    valid = false
                }
            } else {
                diagnostics.error("the role field '\(role.value)' must be an enum field, not \(column.type)", at: role.location)
                valid = false
            }
        }
        return valid ? config : nil
    }

    private func roleEnumValues(_ auth: AuthConfig, tables: [Table]) -> [String]? {
        guard let user = tables.first(where: { $0.entity == auth.user }), let role = auth.role,
            let column = user.columns.first(where: { $0.field == role }), case let .enumeration(name) = column.type
        else { return nil }
        return enums[name]?.values.map(\.value)
    }

    private func resolveEntityAccess(_ decl: EntityDecl, table: Table, auth: AuthConfig, roles: [String]) -> EntityAccess {
        var access = EntityAccess()
        if let owner = decl.owner {
            let relation = table.relations.first { $0.name == owner.value }
            if let relation, relation.kind == .manyToOne || relation.kind == .oneToOne, relation.targetEntity == auth.user {
                access.owner = owner.value
            } else if relation == nil {
                let names = table.relations.map(\.name)
                diagnostics.error(
                    "owner '\(owner.value)' is not a relation of '\(decl.name.value)'\(Suggestions.hint(for: owner.value, in: names))",
                    at: owner.location)
            } else {
                diagnostics.error(
                    "owner '\(owner.value)' must be a many_to_one relation to the auth user '\(auth.user)'", at: owner.location)
            }
        }
        for (operation, words) in decl.access {
            var rule = AccessRule()
            for word in words {
                switch word.value {
                case "public": rule.anyone = true
                case "authenticated": rule.authenticated = true
                case "owner":
                    rule.owner = true
                    if decl.owner == nil {
                        diagnostics.error(
                            "'owner' in the access of '\(decl.name.value)' needs 'owner:' on the entity (the relation to '\(auth.user)' that says who owns a row)",
                            at: word.location)
                    }
                default:
                    if roles.contains(word.value) {
                        if !rule.roles.contains(word.value) { rule.roles.append(word.value) }
                    } else if auth.role == nil {
                        diagnostics.error(
                            "unknown access '\(word.value)': expected public, authenticated or owner (role names need 'role:' in 'auth')"
                                + Suggestions.hint(for: word.value, in: Self.accessKeywords), at: word.location)
                    } else {
                        diagnostics.error(
                            "unknown access '\(word.value)': expected public, authenticated, owner or a role (\(roles.joined(separator: ", ")))"
                                + Suggestions.hint(for: word.value, in: Self.accessKeywords + roles), at: word.location)
                    }
                }
            }
            access[operation.value] = rule
        }
        if decl.name.value == auth.user {
            let open = [AccessOperation.create, .update, .delete].filter { access[$0].anyone || access[$0].authenticated }
            if !open.isEmpty {
                let what = open.map(\.rawValue).joined(separator: ", ")
                diagnostics.warning(
                    "any logged-in user may \(what) any \(auth.user), password\(auth.role == nil ? "" : " and role") included: "
                        + "give these operations of '\(auth.user)' a role in 'access' (registration does not need them)",
                    at: decl.accessLocation ?? decl.name.location)
            }
        }
        return access
    }
}

// MARK: Encrypted fields

extension ResolutionContext {
    /// `encrypted: true` on a field: a string or text whose column stores ciphertext (TEXT), with the
    /// declared length kept as the plaintext's bound. What would need the plaintext in the database
    /// (a key, an index, a default, a native type) is an error.
    func encrypt(_ column: inout Column, field: FieldDecl, at location: SourceLocation) {
        let name = field.name.value
        var length: Int?
        switch column.type {
        case let .string(n): length = n
        case .text: break
        default:
            diagnostics.error("'encrypted' applies to string and text fields, not \(column.type) ('\(name)')", at: location)
            return
        }
        var refused: [String] = []
        if field.primaryKey?.value == true { refused.append("primary_key") }
        if field.unique?.value == true { refused.append("unique") }
        if field.index?.value == true { refused.append("index") }
        if field.defaultValue != nil { refused.append("default") }
        if !field.native.isEmpty { refused.append("native") }
        if !refused.isEmpty {
            let list = refused.map { "'\($0)'" }.joined(separator: ", ")
            diagnostics.error(
                "encrypted field '\(name)' cannot have \(list): the database only sees ciphertext (a new one each write)", at: location)
            return
        }
        column.encrypted = true
        column.type = .text
        if let length {
            var validation = column.validation ?? Validation()
            validation.maxLength = min(validation.maxLength ?? length, length)
            column.validation = validation
        }
    }

    /// A warning for every `filterable: true` column that no index, unique constraint or primary key
    /// leads: the list route's filter on it reads the whole table.
    func checkFilterIndexes(_ tables: [Table]) {
        for table in tables {
            let leading = Set(
                table.indexes.filter { $0.predicate == nil }.compactMap(\.columns.first) + table.uniques.compactMap(\.columns.first)
                    + [table.primaryKey?.columns.first].compactMap { $0 })
            for column in table.columns where column.filterable == true && !leading.contains(column.name) {
                diagnostics.warning(
                    "the list filter on '\(column.field)' is served by no index: add 'index: true' to the field, or an index that starts with it",
                    at: sourceMap[table: table.name, filterableColumn: column.name])
            }
        }
    }

    /// Indexes, unique constraints and foreign keys over an encrypted column: ciphertexts never
    /// compare equal, so each is an error at the field.
    func checkEncryptedColumns(_ tables: [Table]) {
        for table in tables {
            let encrypted = Set(table.columns.filter { $0.encrypted == true }.map(\.name))
            guard !encrypted.isEmpty, let entity = table.entity, let i = entityIndex[entity] else { continue }
            var reported: Set<String> = []
            let keyed: [(String, [String])] =
                table.indexes.map { ("an index", $0.columns) } + table.uniques.map { ("a unique constraint", $0.columns) }
                + table.foreignKeys.map { ("a foreign key", $0.columns) } + [("the primary key", table.primaryKey?.columns ?? [])]
            for (what, columns) in keyed {
                for name in columns where encrypted.contains(name) && reported.insert(name).inserted {
                    let column = table.column(named: name)
                    let decl = entities[i].fields.first { $0.name.value == column?.field }
                    diagnostics.error(
                        "encrypted field '\(column?.field ?? name)' cannot be in \(what): the database only sees ciphertext",
                        at: decl?.encrypted?.location ?? entities[i].name.location)
                }
            }
        }
    }
}
