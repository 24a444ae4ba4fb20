import SchemaforgeKit
import Testing

/// `schemaforge import`: SQL scripts of each dialect -> a schema that resolves, and whose DDL says
/// what the script said.
@Suite("Importing SQL scripts")
struct SchemaImportTests {
    /// Imports `sql`, checks that the YAML resolves without errors, and returns both.
    func imported(_ sql: String, dialect: Dialect? = nil) throws -> (result: ImportResult, schema: Schema) {
        let result = SchemaImporter.importSQL(sql, file: "dump.sql", dialect: dialect, name: "dump")
        let loaded = GeneratorPipeline.load(text: result.yaml, file: "dump.yaml")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)\n\(result.yaml)")
        return (result, try #require(loaded.schema))
    }

    static let pgDump = """
        --
        -- PostgreSQL database dump
        --
        \\restrict abc123
        SET statement_timeout = 0;
        SELECT pg_catalog.set_config('search_path', '', false);
        CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'PG-13');
        CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901);
        CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.last_update = now(); RETURN NEW; END; $$;
        CREATE TABLE public.language (
            language_id integer NOT NULL,
            name character(20) NOT NULL
        );
        CREATE SEQUENCE public.film_film_id_seq START WITH 1 INCREMENT BY 1;
        CREATE TABLE public.film (
            film_id integer DEFAULT nextval('public.film_film_id_seq'::regclass) NOT NULL,
            title character varying(255) NOT NULL,
            "Release Year" public.year,
            language_id integer NOT NULL,
            rating public.mpaa_rating DEFAULT 'G'::public.mpaa_rating,
            price numeric(4,2) DEFAULT 4.99 NOT NULL,
            tags text[] DEFAULT '{}'::text[],
            last_update timestamp without time zone DEFAULT now() NOT NULL,
            CONSTRAINT film_price_check CHECK ((price >= (0)::numeric))
        );
        COMMENT ON TABLE public.film IS 'A film';
        COMMENT ON COLUMN public.film.title IS 'Its title';
        COPY public.film (film_id, title) FROM stdin;
        1\tACADEMY DINOSAUR; not a statement
        \\.
        ALTER TABLE ONLY public.language ADD CONSTRAINT language_pkey PRIMARY KEY (language_id);
        ALTER TABLE ONLY public.film ADD CONSTRAINT film_pkey PRIMARY KEY (film_id);
        ALTER TABLE ONLY public.film
            ADD CONSTRAINT film_language_id_fkey FOREIGN KEY (language_id) REFERENCES public.language(language_id) ON UPDATE CASCADE ON DELETE RESTRICT;
        CREATE INDEX idx_title ON public.film USING btree (title);
        CREATE UNIQUE INDEX film_lower_title ON public.film USING btree (lower((title)::text)) WHERE (price > (1)::numeric);
        CREATE VIEW public.film_list AS SELECT 1;
        CREATE TRIGGER last_updated BEFORE UPDATE ON public.film FOR EACH ROW EXECUTE FUNCTION public.touch();
        """

    @Test("a pg_dump: sequences, domains, enums, casts, constraints added later, COPY data and psql commands")
    func pgDump() throws {
        let (result, schema) = try imported(Self.pgDump)
        #expect(result.dialect == .postgresql)
        #expect(result.tables == 2 && result.relations == 1 && result.enums == 1)
        let film = try #require(schema.tables.first { $0.name == "film" })
        #expect(film.comment == "A film")
        #expect(film.primaryKey?.columns == ["film_id"])
        let id = try #require(film.columns.first { $0.name == "film_id" })
        #expect(id.autoincrement)
        #expect(film.columns.first { $0.name == "title" }?.type == .string(length: 255))
        #expect(film.columns.first { $0.name == "title" }?.comment == "Its title")
        #expect(film.columns.first { $0.name == "Release Year" }?.type == .int)  // the domain's type, the column's own name
        #expect(film.columns.first { $0.name == "rating" }?.type == .enumeration("MpaaRating"))
        #expect(film.columns.first { $0.name == "tags" }?.type == .array(.text))
        #expect(film.columns.first { $0.name == "price" }?.defaultValue?.value == "4.99")
        // timestamp without time zone is not the portable datetime on PostgreSQL: kept as native.
        #expect(film.columns.first { $0.name == "last_update" }?.nativeTypes?["postgresql"] == "timestamp without time zone")
        let fk = try #require(film.foreignKeys.first)
        #expect(fk.columns == ["language_id"] && fk.referencedTable == "language")
        #expect(fk.onDelete == .restrict && fk.onUpdate == .cascade)
        #expect(film.indexes.contains { $0.name == "idx_title" && $0.columns == ["title"] })
        let partial = try #require(film.indexes.first { $0.name == "film_lower_title" })
        #expect(partial.unique && partial.predicate == "price > (1)::numeric")
        #expect(film.checks.first?.expression == "price >= (0)::numeric")
        // What the schema cannot say is reported where the script says it, and listed in the YAML.
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("view 'film_list' is not imported") })
        #expect(messages.contains { $0.hasPrefix("trigger 'last_updated' is not imported") })
        #expect(messages.contains { $0.hasPrefix("function 'touch' is not imported") })
        // A serial key becomes an identity column: said once, with the count.
        #expect(messages.contains { $0.hasPrefix("1 key column(s) (the first: 'film.film_id') use a sequence default") })
        #expect(result.diagnostics.first { $0.message.hasPrefix("view") }?.location?.line == 38)
        #expect(result.yaml.contains("#   line 38: view 'film_list' is not imported"))
    }

    static let mysqlDump = """
        /*!40101 SET NAMES utf8mb4 */;
        DROP TABLE IF EXISTS `store`;
        CREATE TABLE `store` (
          `store_id` tinyint unsigned NOT NULL AUTO_INCREMENT,
          `name` varchar(50) NOT NULL DEFAULT '',
          PRIMARY KEY (`store_id`)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='Shops';
        CREATE TABLE `film` (
          `film_id` smallint unsigned NOT NULL AUTO_INCREMENT,
          `rating` enum('G','PG','NC-17') DEFAULT 'G',
          `active` tinyint(1) NOT NULL DEFAULT '1',
          `store_id` tinyint unsigned DEFAULT NULL,
          `note` text COMMENT 'it\\'s free',
          `last_update` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
          PRIMARY KEY (`film_id`),
          KEY `idx_fk_store_id` (`store_id`),
          CONSTRAINT `fk_film_store` FOREIGN KEY (`store_id`) REFERENCES `store` (`store_id`) ON DELETE SET NULL ON UPDATE CASCADE
        ) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4;
        DELIMITER ;;
        CREATE TRIGGER `ins_film` AFTER INSERT ON `film` FOR EACH ROW BEGIN
            INSERT INTO film_text (film_id) VALUES (new.film_id);
          END ;;
        DELIMITER ;
        CREATE TABLE `other` (`id` int NOT NULL, PRIMARY KEY (`id`), KEY `idx_fk_store_id` (`id`));
        """

    @Test("a mysqldump: backquotes, versioned comments, unsigned types, inline enums, DELIMITER, per-table index names")
    func mysqlDump() throws {
        let (result, schema) = try imported(Self.mysqlDump)
        #expect(result.dialect == .mysql)
        let store = try #require(schema.tables.first { $0.name == "store" })
        #expect(store.comment == "Shops")
        // TINYINT UNSIGNED holds 0..255: a smallint in the API, TINYINT UNSIGNED in the database.
        let storeID = try #require(store.columns.first { $0.name == "store_id" })
        #expect(storeID.type == .smallint && storeID.autoincrement && storeID.nativeTypes?["mysql"] == "tinyint unsigned")
        let film = try #require(schema.tables.first { $0.name == "film" })
        #expect(film.columns.first { $0.name == "rating" }?.type == .enumeration("FilmRating"))
        #expect(schema.enumType(named: "FilmRating")?.values == ["G", "PG", "NC-17"])
        #expect(film.columns.first { $0.name == "active" }?.type == .bool)
        #expect(film.columns.first { $0.name == "active" }?.defaultValue?.value == "true")
        #expect(film.columns.first { $0.name == "note" }?.comment == "it's free")
        #expect(film.foreignKeys.first?.onDelete == .setNull)
        #expect(film.indexes.contains { $0.name == "idx_fk_store_id" })
        // MySQL names indexes per table; the schema has one namespace: the second one is renamed.
        let other = try #require(schema.tables.first { $0.name == "other" })
        #expect(other.indexes.contains { $0.name == "other_idx_fk_store_id" })
        #expect(result.diagnostics.contains { $0.message.contains("ON UPDATE CURRENT_TIMESTAMP") })
        #expect(result.diagnostics.contains { $0.message.hasPrefix("trigger 'ins_film' is not imported") })
    }

    static let sqliteSchema = """
        CREATE TABLE [Order Details] (
            [OrderID] INTEGER NOT NULL,
            [ProductID] INTEGER NOT NULL,
            [first-name] NVARCHAR(40),
            PRIMARY KEY ([OrderID], [ProductID]),
            FOREIGN KEY ([OrderID]) REFERENCES [Orders] ([OrderID]) ON DELETE CASCADE
        );
        CREATE TABLE [Orders] ([OrderID] INTEGER PRIMARY KEY AUTOINCREMENT, [Parent] INTEGER REFERENCES [Orders]);
        CREATE VIRTUAL TABLE order_search USING fts5(name);
        """

    @Test("SQLite: bracket quoting, names with spaces and hyphens, composite keys, self references")
    func sqlite() throws {
        let (result, schema) = try imported(Self.sqliteSchema)
        #expect(result.dialect == .sqlite)
        let details = try #require(schema.tables.first { $0.name == "Order Details" })
        #expect(details.primaryKey?.columns == ["OrderID", "ProductID"])
        #expect(details.columns.contains { $0.name == "first-name" && $0.type == .string(length: 40) })
        let orders = try #require(schema.tables.first { $0.name == "Orders" })
        #expect(orders.columns.first { $0.name == "OrderID" }?.autoincrement == true)
        #expect(orders.foreignKeys.first?.referencedTable == "Orders")
        #expect(result.yaml.contains("table: \"Order Details\""))
        #expect(result.diagnostics.contains { $0.message.hasPrefix("virtual table 'order_search'") })
        // The DDL of the imported schema creates the same names.
        let ddl = try #require(GeneratorPipeline.sql(for: GeneratorPipeline.load(text: result.yaml, file: "x.yaml"), dialect: .sqlite)?.sql)
        #expect(ddl.contains("CREATE TABLE \"Order Details\""))
        #expect(ddl.contains("\"first-name\" NVARCHAR(40)"))
    }

    @Test(
        "the dialect is told by the marks each one leaves",
        arguments: [
            ("CREATE TABLE t (id serial PRIMARY KEY, x text DEFAULT ''::text);", Dialect.postgresql),
            ("CREATE TABLE `t` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB;", .mysql),
            ("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);", .sqlite),
            ("CREATE TABLE [t] (id INTEGER);", .sqlite),
        ])
    func detection(sql: String, dialect: Dialect) {
        #expect(SchemaImporter.detectDialect(sql) == dialect)
    }

    @Test("foreign keys become relations with names and back names that collide with nothing")
    func relationNames() throws {
        let (result, schema) = try imported(
            """
            CREATE TABLE users (id bigint PRIMARY KEY, posts integer);
            CREATE TABLE posts (
                id bigint PRIMARY KEY,
                author_id bigint NOT NULL REFERENCES users(id),
                editor bigint REFERENCES users(id),
                parent_id bigint REFERENCES posts(id),
                user_id bigint UNIQUE REFERENCES users(id)
            );
            """, dialect: .postgresql)
        #expect(result.relations == 4)
        #expect(result.yaml.contains("author: {to: User, kind: many_to_one, back: posts_by_author, column: author_id, index: false}"))
        // `editor` is a field already: the relation takes the target's name.
        #expect(result.yaml.contains("user: {to: User, kind: many_to_one, back: posts_by_user, column: editor, nullable: true, index: false}"))
        #expect(result.yaml.contains("parent: {to: Post, kind: many_to_one, back: posts, column: parent_id, nullable: true, index: false}"))
        // A unique foreign key is one-to-one; `user` is taken, so it is `user_2`; three keys to one table name their backs apart.
        #expect(result.yaml.contains("user_2: {to: User, kind: one_to_one, back: post_by_user_2, column: user_id, nullable: true}"))
        // `posts` is a column of users: the back name steps around it.
        #expect(result.yaml.contains("back: posts_by_author"))
        #expect(schema.tables.count == 2)
    }

    @Test("names over PostgreSQL's 63 bytes (MySQL allows 64) are shortened everywhere they are used, each with a warning")
    func longNames() throws {
        let table = String(repeating: "t", count: 64), column = String(repeating: "c", count: 64)
        let (result, schema) = try imported(
            """
            CREATE TABLE `\(table)` (`id` int NOT NULL AUTO_INCREMENT, `\(column)` varchar(10), PRIMARY KEY (`id`), KEY `ix` (`\(column)`));
            CREATE TABLE `other` (`id` int NOT NULL, `ref` int, PRIMARY KEY (`id`), FOREIGN KEY (`ref`) REFERENCES `\(table)` (`id`));
            """, dialect: .mysql)
        let short = Identifiers.derived(table)
        let long = try #require(schema.tables.first { $0.name == short })
        #expect(long.columns.contains { $0.name == Identifiers.derived(column) })
        #expect(long.indexes.first { $0.name == "ix" }?.columns == [Identifiers.derived(column)])
        #expect(schema.tables.first { $0.name == "other" }?.foreignKeys.first?.referencedTable == short)
        #expect(result.diagnostics.filter { $0.message.contains("more than PostgreSQL's 63") }.count == 2)
    }

    @Test("every prefix of a dump imports without trapping (a dump cut short, a statement half written)")
    func truncatedScripts() {
        for script in [Self.pgDump, Self.mysqlDump, Self.sqliteSchema] {
            let characters = Array(script)
            for end in stride(from: 0, through: characters.count, by: 7) {
                for dialect in Dialect.allCases {
                    _ = SchemaImporter.importSQL(String(characters[..<end]), file: "cut.sql", dialect: dialect, name: "cut")
                }
            }
        }
    }

    @Test("a foreign key the schema cannot hold is reported, never dropped silently")
    func unsupportedForeignKeys() throws {
        let (result, _) = try imported(
            """
            CREATE TABLE a (id integer PRIMARY KEY, code text);
            CREATE TABLE b (id integer PRIMARY KEY, a_id bigint REFERENCES a(id), code text REFERENCES a(code), x integer REFERENCES elsewhere(id));
            """, dialect: .postgresql)
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("'a_id' is bigint but 'a.id' is int") })
        #expect(messages.contains { $0.contains("neither the primary key nor unique in 'a'") })
        #expect(messages.contains { $0.contains("references 'elsewhere', which is not a table of this script") })
    }

    @Test("a table whose key is two foreign keys is a many-to-many through it; its DDL does not change")
    func manyToMany() throws {
        let sql = """
            CREATE TABLE actor (actor_id integer PRIMARY KEY, name text NOT NULL);
            CREATE TABLE film (film_id integer PRIMARY KEY, title text NOT NULL);
            CREATE TABLE film_actor (
                actor_id integer NOT NULL REFERENCES actor(actor_id),
                film_id integer NOT NULL REFERENCES film(film_id),
                last_update timestamp with time zone DEFAULT now() NOT NULL,
                PRIMARY KEY (actor_id, film_id)
            );
            CREATE INDEX idx_fk_film_id ON film_actor (film_id);
            CREATE TABLE follows (
                follower integer NOT NULL REFERENCES actor(actor_id),
                followee integer NOT NULL REFERENCES actor(actor_id),
                PRIMARY KEY (follower, followee)
            );
            """
        let (result, schema) = try imported(sql, dialect: .postgresql)
        #expect(result.yaml.contains("films: {to: Film, kind: many_to_many, through: FilmActor, back: actors}"))
        // A self reference: named after its two relations.
        #expect(result.yaml.contains("kind: many_to_many, through: Follow"))
        let actor = try #require(schema.tables.first { $0.name == "actor" })
        #expect(actor.relations.contains { $0.name == "films" && $0.kind == .manyToMany })
        // No join table beside the entity: the tables are the script's four.
        #expect(schema.tables.map(\.name).sorted() == ["actor", "film", "film_actor", "follows"])
        let ddl = try #require(GeneratorPipeline.sql(for: GeneratorPipeline.load(text: result.yaml, file: "x.yaml"), dialect: .postgresql)?.sql)
        #expect(ddl.components(separatedBy: "CREATE TABLE").count - 1 == 4)
    }
}

/// Prisma schemas: the tables `prisma migrate` would create, with Prisma's names for relations.
@Suite("Importing Prisma schemas")
struct PrismaImportTests {
    static let schema = """
        datasource db {
          provider = "postgresql"
        }

        enum Role {
          USER
          ADMIN  @map("admin")
          @@map("role")
        }

        /// An account
        model User {
          id        Int      @id @default(autoincrement())
          email     String   @unique @db.VarChar(320)
          name      String?
          role      Role     @default(USER)
          createdAt DateTime @default(now()) @map("created_at")
          updatedAt DateTime @updatedAt
          token     String   @default(cuid())
          posts     Post[]   @relation("author")
          edited    Post[]   @relation("editor")
          @@map("users")
        }

        model Post {
          id       BigInt   @id @default(autoincrement())
          title    String
          tags     String[]
          price    Decimal  @db.Decimal(10, 2)
          authorId Int
          author   User     @relation("author", fields: [authorId], references: [id], onDelete: Cascade)
          editorId Int?
          editor   User?    @relation("editor", fields: [editorId], references: [id])
          categories Category[]
          @@unique([authorId, title])
          @@index(editorId)
        }

        model Category {
          id    Int    @id
          posts Post[]
        }
        """

    @Test("types, names, keys, defaults, relations and implicit many-to-many as Prisma creates them")
    func prisma() throws {
        let result = SchemaImporter.importPrisma([(Self.schema, "schema.prisma")], name: "blog")
        let loaded = GeneratorPipeline.load(text: result.yaml, file: "blog.yaml")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)\n\(result.yaml)")
        let schema = try #require(loaded.schema)
        let users = try #require(schema.tables.first { $0.name == "users" })
        #expect(users.comment == "An account")
        #expect(users.columns.first { $0.name == "id" }?.autoincrement == true)
        #expect(users.columns.first { $0.name == "email" }?.type == .string(length: 320))
        #expect(users.columns.first { $0.name == "name" }?.type == .text && users.columns.first { $0.name == "name" }?.nullable == true)
        // DateTime is timestamp(3) on PostgreSQL: kept as native beside the portable datetime.
        #expect(users.columns.first { $0.name == "created_at" }?.nativeTypes?["postgresql"] == "timestamp(3)")
        #expect(users.uniques.contains { $0.name == "users_email_key" && $0.columns == ["email"] })
        #expect(schema.enumType(named: "Role")?.values == ["USER", "admin"])
        #expect(schema.enumType(named: "Role")?.databaseName == "role")
        let post = try #require(schema.tables.first { $0.name == "Post" })
        #expect(post.columns.first { $0.name == "tags" }?.type == .array(.text))
        #expect(post.columns.first { $0.name == "price" }?.type == .decimal(precision: 10, scale: 2))
        #expect(post.uniques.contains { $0.name == "Post_authorId_title_key" })
        #expect(post.indexes.contains { $0.name == "Post_editorId_idx" })
        // Prisma's defaults for actions: a required relation restricts, an optional one sets null.
        #expect(post.foreignKeys.first { $0.columns == ["authorId"] }?.onDelete == .cascade)
        #expect(post.foreignKeys.first { $0.columns == ["editorId"] }?.onDelete == .setNull)
        // Prisma's own relation and back names.
        #expect(result.yaml.contains("author: {to: User, kind: many_to_one, back: posts, column: authorId"))
        #expect(result.yaml.contains("editor: {to: User, kind: many_to_one, back: edited, column: editorId"))
        // The implicit many-to-many: Prisma's _CategoryToPost table (A, B), and the relation through it.
        let join = try #require(schema.tables.first { $0.name == "_CategoryToPost" })
        #expect(join.primaryKey?.columns == ["A", "B"])
        #expect(join.indexes.contains { $0.name == "_CategoryToPost_B_index" })
        #expect(result.yaml.contains("kind: many_to_many, through: CategoryToPost"))
        // What Prisma Client does and the database does not is said.
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("@default(cuid()) is generated by Prisma Client") })
        #expect(messages.contains { $0.contains("is @updatedAt") })
    }

    @Test(
        "@db types per provider",
        arguments: [
            ("VarChar", ["255"], "varchar(255)"), ("UnsignedInt", [], "int unsigned"), ("DoublePrecision", [], "double precision"),
            ("Timestamptz", ["6"], "timestamptz(6)"), ("UnsignedBigInt", [], "bigint unsigned"), ("JsonB", [], "jsonb"),
        ])
    func nativeTypes(name: String, arguments: [String], spelling: String) {
        #expect(PrismaSchemaReader.nativeSpelling(name, numbers: arguments) == spelling)
    }
}

/// DBML (dbdiagram.io): tables, enums, refs in every spelling, as dbml2sql would create them.
@Suite("Importing DBML")
struct DBMLImportTests {
    static let dbml = """
        Project shop {
          database_type: 'PostgreSQL'
          Note: '''
            # A shop
          '''
        }

        Enum order_status {
          created [note: 'new']
          paid
        }

        Table users as U {
          id bigserial [pk]
          email varchar(320) [unique, not null]
          tags text[] [not null, default: `ARRAY[]::text[]`]
          settings jsonb [not null, default: `{"theme":"dark"}`]
          created_at DateTime [default: `now()`]
          Note: 'People'
        }

        Table orders {
          id int [pk, increment]
          user_id bigint [ref: > U.id, not null]
          status order_status [not null, default: 'created']
          "Total Price" "double precision"
          Indexes {
            (user_id, status) [unique, name: 'orders_user_status']
            `lower(status::text)` [name: 'orders_status_lower']
          }
        }

        Table products {
          id int [pk]
        }

        Ref: orders.user_id > users.id [delete: cascade]
        Ref { products.id <> orders.id }
        TableGroup shop { users orders }
        """

    @Test("tables, enums, settings, indexes, refs and many-to-many as dbml2sql creates them")
    func dbml() throws {
        let result = SchemaImporter.importDBML(Self.dbml, file: "shop.dbml", name: "shop")
        let loaded = GeneratorPipeline.load(text: result.yaml, file: "shop.yaml")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)\n\(result.yaml)")
        let schema = try #require(loaded.schema)
        let users = try #require(schema.tables.first { $0.name == "users" })
        #expect(users.comment == "People")
        #expect(users.columns.first { $0.name == "id" }?.autoincrement == true)
        #expect(users.columns.first { $0.name == "email" }?.type == .string(length: 320))
        #expect(users.columns.first { $0.name == "tags" }?.type == .array(.text))
        // A JSON default written as an expression is a JSON literal.
        #expect(users.columns.first { $0.name == "settings" }?.defaultValue?.value == #"{"theme":"dark"}"#)
        // `DateTime` is not a PostgreSQL type: the portable datetime, spelled as PostgreSQL spells it.
        #expect(users.columns.first { $0.name == "created_at" }?.type == .datetime)
        #expect(users.columns.first { $0.name == "created_at" }?.nativeTypes == nil)
        let orders = try #require(schema.tables.first { $0.name == "orders" })
        #expect(orders.columns.first { $0.name == "status" }?.type == .enumeration("OrderStatus"))
        #expect(orders.columns.first { $0.name == "Total Price" }?.type == .float)
        #expect(orders.indexes.contains { $0.name == "orders_user_status" && $0.unique })
        #expect(orders.indexes.contains { $0.name == "orders_status_lower" && $0.expressions == ["lower(status::text)"] })
        // The inline ref and the Ref line name the same key: the explicit one's action holds.
        #expect(orders.foreignKeys.contains { $0.columns == ["user_id"] && $0.referencedTable == "users" })
        // `<>`: the join table dbml2sql makes.
        let join = try #require(schema.tables.first { $0.name == "products_orders" })
        #expect(join.primaryKey?.columns == ["products_id", "orders_id"])
        #expect(result.diagnostics.contains { $0.message.hasPrefix("TableGroup is not imported") })
    }
}

@Suite("Live database URLs")
struct LiveSchemaSourceTests {
    @Test(
        "URLs of the three databases, as SQLAlchemy writes them too; a path is not one",
        arguments: [
            ("postgresql://app:secret@db:5432/shop", Dialect.postgresql, "shop"),
            ("postgresql+asyncpg://app@127.0.0.1/shop", .postgresql, "shop"),
            ("mysql+pymysql://root@127.0.0.1:3306/shop", .mysql, "shop"),
            ("mariadb://root@host/shop", .mysql, "shop"),
            ("sqlite:////var/data/app.db", .sqlite, "app"),
        ])
    func urls(url: String, dialect: Dialect, database: String) throws {
        let source = try #require(LiveSchemaSource(url))
        #expect(source.dialect == dialect)
        #expect(source.databaseName == database)
        #expect(!source.redacted.contains("secret"))
    }

    @Test("files are not URLs")
    func files() {
        #expect(LiveSchemaSource("dump.sql") == nil)
        #expect(LiveSchemaSource("schema/prisma") == nil)
        #expect(LiveSchemaSource("ftp://host/x") == nil)
    }
}
