import SchemaModel

/// The settings `auth:` and encrypted fields add to `app/config.py`: the JWT and login settings,
/// the encryption keys, and a validator that refuses the development defaults in production.
struct SecuritySettings {
    let auth: Bool
    let encryption: Bool

    init?(schema: Schema) {
        auth = schema.auth != nil
        encryption = schema.hasEncryptedColumns
        guard auth || encryption else { return nil }
    }

    /// Module-level constants before the class: the development defaults.
    var preamble: String {
        var lines: [String] = []
        if auth { lines.append("DEVELOPMENT_SECRET = \"development-only-secret-never-use-it-in-production\"") }
        if encryption {
            lines.append("# Development only: a production deployment sets ENCRYPTION_KEYS.")
            lines.append("DEVELOPMENT_KEY = \"dev:\(String(repeating: "A", count: 43))=\"")
        }
        return lines.joined(separator: "\n")
    }

    /// Field lines of the `Settings` class (indented by 4), and its validator.
    var fields: String {
        var lines = [
            "    # ENVIRONMENT=production refuses to start on the development secrets below.",
            "    environment: str = \"development\"",
        ]
        if auth {
            lines += [
                "    # Authentication: set JWT_SECRET in the environment.",
                "    jwt_secret: str = DEVELOPMENT_SECRET",
                "    jwt_algorithm: str = \"HS256\"",
                "    access_token_minutes: int = 15",
                "    refresh_token_days: int = 14",
                "    # Failed logins allowed per login and per client address in the window, then 429.",
                "    login_attempts: int = 5",
                "    login_window_seconds: float = 300.0",
                "    # Origins allowed to call the API from a browser (CORS).",
                "    cors_origins: list[str] = []",
            ]
        }
        if encryption {
            lines += [
                "    # `<key id>:<base64 of 32 bytes>`, newest first: new values use the first key,",
                "    # reads use any (`python -m app.reencrypt` moves every value to the first).",
                "    encryption_keys: list[str] = [DEVELOPMENT_KEY]",
            ]
        }
        lines += ["", "    @model_validator(mode=\"after\")", "    def _no_development_secrets_in_production(self) -> \"Settings\":"]
        // One check after an early return, however many there are (a lone nested `if` is ruff's SIM102).
        lines += ["        if self.environment != \"production\":", "            return self"]
        if auth {
            lines += [
                "        if self.jwt_secret == DEVELOPMENT_SECRET:",
                "            raise ValueError(\"set JWT_SECRET: production never uses the default\")",
            ]
        }
        if encryption {
            lines += [
                "        if DEVELOPMENT_KEY in self.encryption_keys:",
                "            raise ValueError(\"set ENCRYPTION_KEYS: production never uses the default\")",
            ]
        }
        lines.append("        return self")
        return lines.joined(separator: "\n")
    }

    /// The lines of `.env.example`.
    var environmentExample: String {
        var lines = ["# ENVIRONMENT=production"]
        if auth {
            lines += [
                "# A long random secret (python3 -c \"import secrets; print(secrets.token_urlsafe(48))\"):",
                "# JWT_SECRET=",
                "ACCESS_TOKEN_MINUTES=15",
                "REFRESH_TOKEN_DAYS=14",
                "LOGIN_ATTEMPTS=5",
                "LOGIN_WINDOW_SECONDS=300",
                "# CORS_ORIGINS=[\"https://app.example.com\"]",
            ]
        }
        if encryption {
            lines += [
                "# Keys of the encrypted fields, newest first (python3 -c \"import base64, os;",
                "# print('k1:' + base64.b64encode(os.urandom(32)).decode())\"):",
                "# ENCRYPTION_KEYS=[\"k2:...\", \"k1:...\"]",
            ]
        }
        return lines.joined(separator: "\n")
    }
}

/// The README's section on the encrypted fields (starts and ends with a line break), or nothing.
func encryptionReadmeSection(_ schema: Schema) -> String {
    let fields = schema.tables.flatMap { table in
        table.columns.filter { $0.encrypted == true }.map { "`\(table.entity ?? table.name).\($0.field)`" }
    }
    guard !fields.isEmpty else { return "" }
    return """

        ## Encryption at rest

        \(fields.joined(separator: ", ")) \(fields.count == 1 ? "is" : "are") stored as AES-256-GCM ciphertext
        (`v1:<key id>:...` in a TEXT column); the API reads and writes the plaintext, and these fields
        are neither filters nor sorts. `ENCRYPTION_KEYS` lists `<key id>:<base64 of 32 bytes>`,
        newest first. To rotate: put a new key first, run `python -m app.reencrypt` (every row moves
        to it), then drop the old key.

        """
}

extension Schema {
    /// Whether a column is stored encrypted (`encrypted: true`).
    var hasEncryptedColumns: Bool { tables.contains { $0.columns.contains { $0.encrypted == true } } }
}
