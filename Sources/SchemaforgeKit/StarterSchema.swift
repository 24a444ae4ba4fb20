/// The schemas `schemaforge init` writes: a blank one, a blog (a tour of the format) and a
/// multi-tenant SaaS with accounts (`auth:`, owners, roles).
public enum StarterSchema: String, CaseIterable, Sendable {
    case blank, blog, saas

    /// What the starter is, for `init --help` and its message.
    public var summary: String {
        switch self {
        case .blank: return "one entity to grow from"
        case .blog: return "users, posts, tags, profiles, categories: a tour of the format"
        case .saas: return "accounts that log in, workspaces, tasks owned by their assignee, roles"
        }
    }

    /// The schema text.
    public var text: String {
        switch self {
        case .blank: return Self.blankText
        case .blog: return Self.blogText
        case .saas: return Self.saasText
        }
    }

    static let blankText = """
        # Schemaforge schema: one file, every backend artefact (README: "The schema format").
        schema: 1
        name: app
        entities:
          Item:
            timestamps: true               # created_at, updated_at
            fields:                        # an `id` int key is added when none is declared
              name: {type: string, length: 100, unique: true}
              notes: {type: text, nullable: true}

        """

    static let saasText = """
        # A multi-tenant SaaS starter: accounts log in (auth:), belong to workspaces, and own their tasks.
        # The first admin: register, then `python -m app.set_role <email> admin` in the project.
        schema: 1
        name: saas
        enums:
          Role: [member, admin]
          TaskState: [todo, doing, done]
        auth:
          user: User
          login: email
          password: password_hash
          role: role
          registration: true               # POST /auth/register (always as `member`)
        entities:
          User:
            timestamps: true
            fields:
              email: {type: string, length: 320, unique: true, pattern: '^[^@\\s]+@[^@\\s]+$'}
              password_hash: {type: string, length: 255}
              name: string(100)
              role: {type: Role, default: member}
            access:
              read: authenticated
              create: admin
              update: admin
              delete: admin
          Workspace:
            timestamps: true
            fields:
              name: string(100)
              slug: {type: string, length: 60, unique: true, pattern: '^[a-z0-9-]+$'}
            relations:
              members: {to: User, kind: many_to_many, back: workspaces}
            access:
              read: authenticated
              create: admin
              update: admin
              delete: admin
          Task:
            owner: assignee                  # assignees see and change their own tasks; admins all
            timestamps: true
            fields:
              title: string(200)
              notes: {type: text, nullable: true}
              state: {type: TaskState, default: todo, index: true}
              due: {type: date, nullable: true}
            relations:
              workspace: {to: Workspace, on_delete: cascade, back: tasks}
              assignee: {to: User, on_delete: cascade, back: tasks}
            indexes:
              - {fields: [workspace, state]}
            access:
              read: [owner, admin]
              create: [owner, admin]
              update: [owner, admin]
              delete: [owner, admin]

        """

    static let blogText = """
        # Schemaforge schema: one file, every backend artefact.
        # Validate: schemaforge validate schema.yaml
        # DDL:      schemaforge sql schema.yaml --dialect postgresql|sqlite|mysql
        schema: 1
        name: blog
        enums:
          Role: [admin, editor, reader]
        entities:
          User:
            timestamps: true               # created_at, updated_at
            fields:
              id: {type: int, primary_key: true}          # default PK if omitted: id int autoincrement
              email: {type: string, length: 320, unique: true, pattern: '^[^@]+@[^@]+$'}
              name: string                                # shorthand
              role: {type: Role, default: reader}
              password_hash: {type: string, length: 255, sensitive: true}
              bio: {type: text, nullable: true}
          Post:
            timestamps: true
            fields:
              title: {type: string, length: 200}
              body: text
              published: {type: bool, default: false, index: true}
              meta: {type: json, nullable: true}
              price: {type: decimal, precision: 12, scale: 2, min: 0}
              published_on: {type: date, nullable: true}
            relations:
              author: {to: User, kind: many_to_one, on_delete: cascade, back: posts}
              tags: {to: Tag, kind: many_to_many, back: posts}       # join table made for you
            indexes:
              - {fields: [author, created_at]}
              - {fields: [title], where: "published"}
          Tag:
            fields:
              name: {type: string, length: 50, unique: true}
          Profile:
            fields:
              avatar: {type: bytes, nullable: true}
              public_id: {type: uuid, default: uuid, unique: true}
            relations:
              user: {to: User, kind: one_to_one, on_delete: cascade, back: profile}
          Category:
            table: categories
            fields:
              name: string
            relations:
              parent: {to: Category, kind: many_to_one, nullable: true, on_delete: set_null, back: children}

        """
}
