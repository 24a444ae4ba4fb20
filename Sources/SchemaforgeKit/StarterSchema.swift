/// The schema `schemaforge init` writes: a tour of the format.
public enum StarterSchema {
    public static let text = """
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
