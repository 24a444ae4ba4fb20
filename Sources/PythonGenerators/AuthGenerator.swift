import CodeRendering
import SchemaModel

/// The schema's `auth:` in the SQL project: `app/security.py` (Argon2 passwords, JWTs, login
/// throttling), `app/auth.py` (the `CurrentUser` dependency and the access rules the routers
/// enforce), `app/routers/auth.py` (token, me, register) and `tests/test_auth.py`.
struct AuthGenerator {
    let schema: Schema
    let auth: AuthConfig
    let user: EntityView
    let types: SQLAlchemyTypeMapping

    /// Nil when the schema has no `auth:` (or its user has no single-column key).
    /// The refresh-token table's column for the user, as the resolver named it.
    let refreshTokenOwner: String

    init?(schema: Schema) {
        guard let auth = schema.auth, let table = schema.table(forEntity: auth.user), table.primaryKey?.columns.count == 1,
            let owner = schema.table(named: AuthConfig.refreshTokenTable)?.foreignKeys.first(where: { $0.referencedTable == table.name })?
                .columns.first
        else { return nil }
        self.refreshTokenOwner = owner
        self.schema = schema
        self.auth = auth
        self.user = EntityView(schema: schema, table: table)
        self.types = SQLAlchemyTypeMapping(schema: schema)
    }

    /// The names `app/auth.py` gives the routers (`PythonNames.entityClass` avoids them beside the
    /// rule constants each router defines).
    static let routerNames: Set<String> = ["Depends", "Grant", "Rule", "READ", "CREATE", "UPDATE", "DELETE"]

    /// The module-level name of an operation's rule in a router.
    static func ruleName(_ operation: AccessOperation) -> String { operation.rawValue.uppercased() }

    /// The README's section on logging in and on who may do what (starts and ends with a line break).
    func readmeSection() -> String {
        func who(_ rule: AccessRule) -> String {
            if rule.anyone { return "anyone" }
            var words: [String] = []
            if rule.authenticated { words.append("any user") }
            if rule.owner { words.append("the owner") }
            words += rule.roles.map { "`\($0)`" }
            return words.joined(separator: ", ")
        }
        let rows = schema.tables.compactMap { table -> String? in
            guard let access = table.access, let entity = table.entity, table.primaryKey != nil else { return nil }
            let prefix = EntityView(schema: schema, table: table).routePrefix
            let cells = AccessOperation.allCases.map { who(access[$0]) }.joined(separator: " | ")
            return "| `\(prefix)` (\(entity)) | \(cells) |"
        }
        var lines = [
            "- `POST /api/v1/auth/token`: the OAuth2 password form (`username` is the `\(auth.login)`) returns a",
            "  bearer token, a JWT that expires after `ACCESS_TOKEN_MINUTES`; send it as",
            "  `Authorization: Bearer <token>`. With it comes a refresh token (`REFRESH_TOKEN_DAYS`).",
            "- `POST /api/v1/auth/refresh` `{\"refresh_token\"}`: new tokens; the one sent is used up, and",
            "  sending it again revokes every token of that login (it leaked).",
            "- `GET /api/v1/auth/me`: the current user.",
        ]
        if auth.registration {
            lines.append("- `POST /api/v1/auth/register`: the \(auth.user) fields, with `password` in place of the hash.")
            if let role = auth.role { lines.append("  The `\(role)` keeps its default: a client never chooses it.") }
        }
        if auth.role != nil { lines.append("- The first privileged user: register, then `python -m app.set_role <login> <role>`.") }
        lines += [
            "- Passwords are stored as Argon2 hashes and never returned. After `LOGIN_ATTEMPTS` failed",
            "  logins per login or client address within `LOGIN_WINDOW_SECONDS`, logins answer 429.",
            "- Settings: `JWT_SECRET` (with `ENVIRONMENT=production` the app refuses to start on the",
            "  default), `CORS_ORIGINS` for browser clients.",
        ]
        return """

            ## Authentication and access

            \(lines.joined(separator: "\n"))

            Who may (401 without a token, 403 without the right; an owner lists and changes only their rows):

            | resource | read | create | update | delete |
            | --- | --- | --- | --- | --- |
            \(rows.joined(separator: "\n"))

            """
    }

    func generate() -> [GeneratedFile] {
        [FixedModules.file("app/security.py", target: FixedModules.fastapi), dependencies(), routes(), tests()] + (setRole().map { [$0] } ?? [])
    }

    private var keyColumn: Column { user.keyColumns[0] }
    private var model: String { PythonNames.entityClass(auth.user) }
    private var keyAttribute: String { user.attribute(keyColumn) }

    private func column(field: String) -> Column? { user.table.columns.first { $0.field == field } }

    /// `app/auth.py`.
    func dependencies() -> GeneratedFile {
        var m = PythonModule(
            header: generatedHeader, docstring: "Who is calling (the bearer token's \(auth.user)) and who may do what (the schema's access rules).")
        if auth.role != nil { m.imports.from("collections.abc", import: "Iterable") }
        m.imports.from("typing", import: "Annotated", "ClassVar", "NamedTuple")
        m.imports.from("fastapi", import: "Depends", "HTTPException")
        m.imports.from("fastapi.security", import: "OAuth2PasswordBearer")
        m.imports.from("app.db", import: "SessionDep")
        m.imports.from("app.security", import: "token_subject")
        FastAPIAppGenerator.importModel(auth.user, into: &m.imports)
        let keyType = PythonRenderer.flat(types.pythonType(keyColumn.type, imports: &m.imports))
        let key: String
        switch keyColumn.type {
        case .int, .bigint, .smallint: key = "int(subject)"
        case .uuid: key = "uuid.UUID(subject)"
        default: key = "subject"
        }
        let roleCheck = auth.role.flatMap(column(field:)).map { " or user.\(user.attribute($0)) in self.roles" } ?? ""
        let rolesParameter = auth.role == nil ? "" : "\n        roles: Iterable[str] = (),"
        let rolesField = auth.role == nil ? "" : "\n        self.roles = frozenset(roles)"
        m.body = [
            .raw(
                """
                # Clients send `Authorization: Bearer <token>` from POST /api/v1/auth/token.
                oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")


                async def current_user(
                    session: SessionDep, token: Annotated[str, Depends(oauth2_scheme)]
                ) -> \(model):
                    \"\"\"The token's \(auth.user); 401 without a valid, unexpired token.\"\"\"
                    subject = token_subject(token)
                    user = None if subject is None else await session.get(\(model), \(key))
                    if user is None:
                        raise HTTPException(
                            status_code=401,
                            detail="Invalid or expired token",
                            headers={"WWW-Authenticate": "Bearer"},
                        )
                    return user


                CurrentUser = Annotated[\(model), Depends(current_user)]


                class Grant(NamedTuple):
                    \"\"\"What a rule allowed: every row, or (`owner_id`) the rows that user owns.\"\"\"

                    owner_id: \(keyType) | None = None

                    def check_owner(self, owner_id: \(keyType) | None) -> None:
                        \"\"\"403 unless every row is allowed or `owner_id` is the user's.\"\"\"
                        if self.owner_id is not None and owner_id != self.owner_id:
                            raise HTTPException(status_code=403, detail="Only the owner may")


                class Rule:
                    \"\"\"Who may do one operation: any logged-in user, the owner, or roles.\"\"\"

                    # Every rule, for tests that override them (`app.dependency_overrides`).
                    instances: ClassVar[list["Rule"]] = []

                    def __init__(
                        self,
                        *,
                        authenticated: bool = False,
                        owner: bool = False,\(rolesParameter)
                    ) -> None:
                        self.authenticated = authenticated
                        self.owner = owner\(rolesField)
                        Rule.instances.append(self)

                    async def __call__(self, user: CurrentUser) -> Grant:
                        if self.authenticated\(roleCheck):
                            return Grant()
                        if self.owner:
                            return Grant(owner_id=user.\(keyAttribute))
                        raise HTTPException(status_code=403, detail="Not allowed")
                """)
        ]
        return GeneratedFile(path: "app/auth.py", contents: PythonRenderer().render(m))
    }

    /// `app/set_role.py`: `python -m app.set_role <login> <role>`, for the first privileged user.
    func setRole() -> GeneratedFile? {
        guard let roleField = auth.role, let roleColumn = column(field: roleField), case let .enumeration(enumName) = roleColumn.type,
            let loginColumn = column(field: auth.login)
        else { return nil }
        var m = PythonModule(
            header: generatedHeader, docstring: "Gives a user a role: `python -m app.set_role <login> <role>` (the first privileged user).")
        m.imports.module("asyncio")
        m.imports.module("sys")
        m.imports.from("sqlalchemy", import: "select")
        m.imports.from("app.db", import: "SessionFactory", "engine")
        let roles = PythonNames.enumClass(enumName)
        m.imports.from("app.models.enums", import: roles)
        FastAPIAppGenerator.importModel(auth.user, into: &m.imports)
        m.body = [
            .raw(
                """
                async def set_role(login: str, role: \(roles)) -> bool:
                    \"\"\"Whether a \(auth.user) with this \(auth.login) exists (and now has the role).\"\"\"
                    async with SessionFactory() as session, session.begin():
                        statement = select(\(model)).where(\(model).\(user.attribute(loginColumn)) == login)
                        user = await session.scalar(statement)
                        if user is not None:
                            user.\(user.attribute(roleColumn)) = role
                    await engine.dispose()
                    return user is not None


                def main(arguments: list[str]) -> int:
                    names = [role.value for role in \(roles)]
                    if len(arguments) != 2 or arguments[1] not in names:
                        usage = f"usage: python -m app.set_role LOGIN ROLE ({', '.join(names)})"
                        print(usage, file=sys.stderr)
                        return 2
                    login, role = arguments
                    if not asyncio.run(set_role(login, \(roles)(role))):
                        print(f"no \(auth.user) with \(auth.login) {login!r}", file=sys.stderr)
                        return 1
                    print(f"{login} is now {role}")
                    return 0


                if __name__ == "__main__":
                    sys.exit(main(sys.argv[1:]))
                """)
        ]
        return GeneratedFile(path: "app/set_role.py", contents: PythonRenderer().render(m))
    }

    /// `app/routers/auth.py`: the token route (OAuth2 password form), `me`, and `register`.
    func routes() -> GeneratedFile {
        var m = PythonModule(
            header: generatedHeader, docstring: "Log in (OAuth2 password flow), refresh tokens, who am I, and registration.")
        m.imports.module("uuid")
        m.imports.from("datetime", import: "datetime", "timedelta", "timezone")
        m.imports.from("typing", import: "Annotated", "Literal")
        m.imports.from("fastapi", import: "APIRouter", "Depends", "HTTPException", "Request")
        m.imports.from("fastapi.security", import: "OAuth2PasswordRequestForm")
        m.imports.from("pydantic", import: "BaseModel", "ConfigDict", "Field")
        m.imports.from("sqlalchemy", import: "select", "update")
        m.imports.from("sqlalchemy.ext.asyncio", import: "AsyncSession")
        m.imports.from("app.auth", import: "CurrentUser")
        m.imports.from("app.config", import: "settings")
        m.imports.from("app.crud", import: "\(user.module) as \(user.module)_crud")
        m.imports.from("app.db", import: "SessionDep")
        m.imports.from("app.problems", import: "problem_responses")
        m.imports.from("app.schemas.\(user.module)", import: "\(auth.user)Read")
        m.imports.from(
            "app.security", import: "DUMMY_HASH", "LoginThrottle", "create_access_token", "new_refresh_token", "refresh_token_hash",
            "verify_password")
        FastAPIAppGenerator.importModel(auth.user, into: &m.imports)
        FastAPIAppGenerator.importModel(AuthConfig.refreshTokenEntity, into: &m.imports)
        let tokens = PythonNames.entityClass(AuthConfig.refreshTokenEntity)
        let keyType = PythonRenderer.flat(types.pythonType(keyColumn.type, imports: &m.imports))
        let owner = refreshTokenOwner
        let login = column(field: auth.login).map { user.attribute($0) } ?? auth.login
        let hash = user.passwordColumn.map { user.attribute($0) } ?? auth.password
        let text = """
            router = APIRouter(prefix="/auth", tags=["auth"])
            throttle = LoginThrottle(settings.login_attempts, settings.login_window_seconds)


            class Token(BaseModel):
                access_token: str
                refresh_token: str
                token_type: Literal["bearer"] = "bearer"


            class Refresh(BaseModel):
                model_config = ConfigDict(extra="forbid")

                refresh_token: str = Field(max_length=200, pattern=r"^[A-Za-z0-9_-]+$")


            UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


            def issue(session: AsyncSession, user_id: \(keyType), family: str | None = None) -> Token:
                \"\"\"An access token, and a refresh token stored by its hash in `family`.\"\"\"
                token, hashed = new_refresh_token()
                expires = datetime.now(timezone.utc) + timedelta(days=settings.refresh_token_days)
                session.add(
                    \(tokens)(
                        \(owner)=user_id,
                        token_hash=hashed,
                        family=family or str(uuid.uuid4()),
                        expires_at=expires,
                    )
                )
                return Token(access_token=create_access_token(str(user_id)), refresh_token=token)


            @router.post(
                "/token",
                response_model=Token,
                responses=problem_responses(400, 401, 413, 422, 429, 503),
            )
            async def login(
                form: Annotated[OAuth2PasswordRequestForm, Depends()],
                request: Request,
                session: SessionDep,
            ) -> Token:
                \"\"\"An access token for `username` (the \(auth.login)) and `password`.\"\"\"
                address = request.client.host if request.client else "unknown"
                keys = (f"login:{form.username}", f"address:{address}")
                if (wait := throttle.retry_after(*keys)) is not None:
                    raise HTTPException(
                        status_code=429,
                        detail="Too many failed logins",
                        headers={"Retry-After": str(wait)},
                    )
                # A login no database can store is unknown (checked all the same: same time).
                known = "\\x00" not in form.username
                statement = select(\(model)).where(\(model).\(login) == form.username)
                user = await session.scalar(statement) if known else None
                hashed = user.\(hash) if user is not None else DUMMY_HASH
                valid, new_hash = verify_password(form.password, hashed)
                if user is None or not valid:
                    throttle.failed(*keys)
                    raise HTTPException(
                        status_code=401, detail="Wrong login or password", headers=UNAUTHORIZED
                    )
                if new_hash is not None:  # stored under outdated parameters: upgraded
                    user.\(hash) = new_hash
                throttle.succeeded(keys[0])
                return issue(session, user.\(keyAttribute))


            @router.post(
                "/refresh",
                response_model=Token,
                responses=problem_responses(400, 401, 413, 422, 503),
            )
            async def refresh(body: Refresh, session: SessionDep) -> Token:
                \"\"\"New tokens for a refresh token, which cannot be used again: a second use means
                it leaked, and revokes every token of its login.\"\"\"
                now = datetime.now(timezone.utc)
                statement = select(\(tokens)).where(
                    \(tokens).token_hash == refresh_token_hash(body.refresh_token)
                )
                stored = await session.scalar(statement.with_for_update())
                if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
                    raise HTTPException(
                        status_code=401,
                        detail="Invalid or expired refresh token",
                        headers=UNAUTHORIZED,
                    )
                if stored.used_at is not None:
                    revoke = update(\(tokens)).where(
                        \(tokens).family == stored.family,
                        \(tokens).revoked_at.is_(None),
                    )
                    await session.execute(revoke.values(revoked_at=now))
                    await session.commit()  # kept, although the request fails
                    raise HTTPException(
                        status_code=401,
                        detail="Refresh token reused: login again",
                        headers=UNAUTHORIZED,
                    )
                stored.used_at = now
                return issue(session, stored.\(owner), stored.family)
            """
        // The routes that name the user's entity: built as structure, laid out as ruff does for any name.
        let read = PythonExpr.name("\(auth.user)Read")
        let session = PythonParameter("session", .name("SessionDep"))
        m.body = [
            .raw(text),
            .function(
                PythonFunction(
                    name: "me", parameters: [PythonParameter("user", .name("CurrentUser")), session], returns: read,
                    body: [
                        .raw(
                            """
                            await session.refresh(user, attribute_names=\(user.module)_crud.REFRESH)
                            return \(auth.user)Read.model_validate(user)
                            """)
                    ],
                    decorators: [
                        PythonExpr.dotted("router.get").call(
                            .positional(.string("/me")), .keyword("response_model", read), .keyword("responses", .raw("problem_responses(401, 503)")))
                    ], isAsync: true)),
        ]
        if auth.registration {
            m.imports.from("app.schemas.\(user.module)", import: "\(auth.user)Create", "\(auth.user)Register")
            m.body.append(
                .function(
                    PythonFunction(
                        name: "register", parameters: [PythonParameter("body", .name("\(auth.user)Register")), session], returns: read,
                        body: [
                            .raw(
                                """
                                create = \(auth.user)Create.model_construct(**body.model_dump(exclude_unset=True))
                                user = await \(user.module)_crud.create_\(Identifiers.snakeCase(auth.user))(session, body=create)
                                return \(auth.user)Read.model_validate(user)
                                """)
                        ],
                        decorators: [
                            PythonExpr.dotted("router.post").call(
                                .positional(.string("/register")), .keyword("response_model", read), .keyword("status_code", .int(201)),
                                .keyword("responses", .raw("problem_responses(400, 409, 413, 422, 503)")))
                        ], isAsync: true, docstring: "A new account with the default role: a client never chooses its role.")))
        }
        return GeneratedFile(path: "app/routers/auth.py", contents: PythonRenderer().render(m))
    }

    /// `tests/test_auth.py`: a password set through the API logs in; `me`; 401s.
    func tests() -> GeneratedFile {
        var m = PythonModule(header: generatedHeader, docstring: "Logging in, and the 401s of a missing or bad token.")
        m.imports.module("pytest")
        let creatable = TestsGenerator(schema: schema).creatableEntities().contains(auth.user)
        let snake = Identifiers.snakeCase(auth.user)
        let keyField = keyColumn.field
        let path = "/api/v1" + user.routePrefix
        let passwordColumn = user.passwordColumn?.field ?? auth.password
        guard creatable else {
            m.body = [
                .raw(
                    """
                    @pytest.mark.skip(reason="the API cannot create a \(auth.user) on its own (see the README)")
                    def test_login() -> None:
                        pass
                    """)
            ]
            return GeneratedFile(path: "tests/test_auth.py", contents: PythonRenderer().render(m))
        }
        m.imports.module("httpx")
        m.imports.from("app.main", import: "app")
        m.imports.from("tests", import: "factories")
        m.body = [
            .raw(
                """
                pytestmark = pytest.mark.anyio
                PASSWORD = "a-password-for-tests"


                async def test_login_me_and_bad_tokens(client: httpx.AsyncClient) -> None:
                    created = await factories.create_\(snake)(client)
                    key = created[\(PythonRenderer.quote(keyField))]
                    url = f"\(path)/{key}"
                    changed = await client.patch(url, json={"password": PASSWORD})
                    assert changed.status_code == 200, changed.text
                    assert "password" not in changed.json()
                    assert \(PythonRenderer.quote(passwordColumn)) not in changed.json()
                    app.dependency_overrides.clear()  # from here on, the access rules apply
                    anonymous = await client.get("/api/v1/auth/me")
                    assert anonymous.status_code == 401
                    assert anonymous.headers["www-authenticate"] == "Bearer"
                    form = {"username": created[\(PythonRenderer.quote(auth.login))], "password": "wrong-password"}
                    wrong = await client.post("/api/v1/auth/token", data=form)
                    assert wrong.status_code == 401, wrong.text
                    form["password"] = PASSWORD
                    token = await client.post("/api/v1/auth/token", data=form)
                    assert token.status_code == 200, token.text
                    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
                    me = await client.get("/api/v1/auth/me", headers=bearer)
                    assert me.status_code == 200, me.text
                    assert me.json()[\(PythonRenderer.quote(keyField))] == key
                    forged = {"Authorization": "Bearer not-a-token"}
                    assert (await client.get("/api/v1/auth/me", headers=forged)).status_code == 401


                async def test_refresh_tokens_rotate_and_a_reused_one_revokes_its_login(
                    client: httpx.AsyncClient,
                ) -> None:
                    created = await factories.create_\(snake)(client)
                    key = created[\(PythonRenderer.quote(keyField))]
                    url = f"\(path)/{key}"
                    assert (await client.patch(url, json={"password": PASSWORD})).status_code == 200
                    form = {"username": created[\(PythonRenderer.quote(auth.login))], "password": PASSWORD}
                    first = (await client.post("/api/v1/auth/token", data=form)).json()
                    body = {"refresh_token": first["refresh_token"]}
                    second = await client.post("/api/v1/auth/refresh", json=body)
                    assert second.status_code == 200, second.text
                    assert second.json()["refresh_token"] != first["refresh_token"]
                    reused = await client.post("/api/v1/auth/refresh", json=body)
                    assert reused.status_code == 401, reused.text
                    newest = {"refresh_token": second.json()["refresh_token"]}
                    revoked = await client.post("/api/v1/auth/refresh", json=newest)
                    assert revoked.status_code == 401, "the whole login is revoked"
                """)
        ]
        let text = PythonRenderer().render(m)
        return GeneratedFile(path: "tests/test_auth.py", contents: text)
    }
}
