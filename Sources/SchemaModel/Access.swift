/// `auth:`: the entity that logs in, and which of its fields are the login, the password hash and
/// the role. Field names are the schema's (the API's); the columns are found by `Column.field`.
public struct AuthConfig: Codable, Equatable, Sendable {
    /// The entity whose rows are the users.
    public var user: String
    /// A unique string field of the user: the username of the token route.
    public var login: String
    /// A string field of the user that stores the password hash; clients send `password` instead.
    public var password: String
    /// An enum field of the user holding its role, if roles are used.
    public var role: String?
    /// Whether `POST /auth/register` exists.
    public var registration: Bool

    public init(user: String, login: String, password: String, role: String? = nil, registration: Bool = true) {
        self.user = user
        self.login = login
        self.password = password
        self.role = role
        self.registration = registration
    }
}

extension AuthConfig {
    /// The table of refresh tokens that `auth:` adds (rotated on every use; a reused one revokes
    /// its family), and its entity.
    public static let refreshTokenTable = "auth_refresh_token"
    public static let refreshTokenEntity = "AuthRefreshToken"
}

/// Who may do one operation: anyone, any logged-in user, the row's owner, or users with one of `roles`.
public struct AccessRule: Codable, Equatable, Sendable {
    public var anyone: Bool
    public var authenticated: Bool
    public var owner: Bool
    /// Role names (values of the auth user's role enum), in the order written.
    public var roles: [String]

    public init(anyone: Bool = false, authenticated: Bool = false, owner: Bool = false, roles: [String] = []) {
        self.anyone = anyone
        self.authenticated = authenticated
        self.owner = owner
        self.roles = roles
    }

    /// Secure by default: an operation without a rule needs a logged-in user.
    public static let authenticatedUsers = AccessRule(authenticated: true)
}

/// The operations an `access:` rule covers.
public enum AccessOperation: String, CaseIterable, Codable, Sendable {
    case read, create, update, delete
}

/// An entity's `owner:` and `access:` once a schema has `auth:` (every entity table then has one).
public struct EntityAccess: Codable, Equatable, Sendable {
    /// The many-to-one relation to the auth user that says who owns a row.
    public var owner: String?
    public var read: AccessRule
    public var create: AccessRule
    public var update: AccessRule
    public var delete: AccessRule

    public init(
        owner: String? = nil, read: AccessRule = .authenticatedUsers, create: AccessRule = .authenticatedUsers,
        update: AccessRule = .authenticatedUsers, delete: AccessRule = .authenticatedUsers
    ) {
        self.owner = owner
        self.read = read
        self.create = create
        self.update = update
        self.delete = delete
    }

    public subscript(operation: AccessOperation) -> AccessRule {
        get {
            switch operation {
            case .read: return read
            case .create: return create
            case .update: return update
            case .delete: return delete
            }
        }
        set {
            switch operation {
            case .read: read = newValue
            case .create: create = newValue
            case .update: update = newValue
            case .delete: delete = newValue
            }
        }
    }
}
