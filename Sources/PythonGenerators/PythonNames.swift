import SchemaModel

/// Python-side names for schema objects: modules, attributes, enum members.
public enum PythonNames {
    public static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type",
    ]

    /// Attribute names SQLAlchemy's declarative base, Pydantic's `BaseModel` or ODMantic's `Model`
    /// define on a class (every `model_*` name is suffixed too). test_generated_names.py uses each public
    /// attribute of those classes, as the installed libraries list them, as a field name.
    public static let reservedAttributes: Set<String> = [
        "metadata", "registry", "awaitable_attrs", "model_config", "model_fields", "model_dump", "model_validate",
        "model_copy", "model_construct", "model_json_schema", "model_extra", "model_fields_set", "schema", "json",
        "dict", "copy", "validate", "fields", "construct", "from_orm", "parse_file", "parse_obj", "parse_raw", "schema_json",
        "update_forward_refs", "doc", "parse_doc", "update",
    ]

    /// The names a class body of the generated models and schemas refers to after its first field:
    /// the modules and names those modules import (`sa.Integer`, `datetime.date`, `Mapped[...]`,
    /// `Field(...)`, `fields.Text`) and the builtins their annotations, defaults and decorators use
    /// (`int`, `list`, `classmethod`). A field of that name would shadow it for the fields after it
    /// (class bodies are scopes), so its attribute gets a trailing `_`; the API and the column keep
    /// the schema's name (`mapped_column("sa", ...)`, `Field(validation_alias="sa")`).
    public static let classScopeNames: Set<String> = [
        // imported by app/models/*.py
        "sa", "datetime", "decimal", "uuid", "enum", "annotations", "Any", "Mapped", "mapped_column", "relationship",
        "Base", "postgresql", "mysql", "sqlite", "UUIDText", "UTCDateTime", "TimeOfDay", "Native", "enum_values",
        "EncryptedText",
        // bound by app/models/__init__.py and app/models/search.py (with `search:`)
        "SEARCHES", "TextSearch",
        // imported by the MongoDB target's app/models/*.py
        "Model", "EmbeddedModel", "ObjectId", "Index", "ODMConfigDict", "Reference", "StringConstraints", "ASCENDING",
        "IndexModel",
        // imported by app/schemas/*.py
        "BaseModel", "ConfigDict", "Field", "field_validator", "Annotated", "SkipJsonSchema", "fields",
        // builtins used in class bodies
        "int", "str", "bool", "float", "bytes", "list", "dict", "object", "classmethod", "None",
    ]

    /// Keywords, reserved attributes and class-scope names in one set (one lookup per name); `type`
    /// is a soft keyword, fine as an attribute.
    static let suffixed: Set<String> = keywords.union(reservedAttributes).union(classScopeNames).subtracting(["type"])

    /// A safe Python identifier for a schema name: keywords and reserved attributes get a trailing `_`.
    public static func attribute(_ name: String) -> String {
        if suffixed.contains(name) || name.utf8.starts(with: "model_".utf8) { return name + "_" }
        // Pydantic takes no field with a leading underscore (`_`, `_x`): `field_`, `field_x`.
        if name.utf8.first == UInt8(ascii: "_") { return "field" + name }
        return name
    }

    /// The attribute of a column (by its field name) or relation of `table`: `attribute(name)`, made
    /// unique in the class. A name that is its own attribute keeps it; one that needs a suffix (`and` ->
    /// `and_`) takes the next free one (`and__` beside a field named `and_`), in declaration order.
    public static func attribute(_ name: String, in table: Table) -> String {
        let wanted = attribute(name)
        guard wanted != name else { return name }
        let names = table.columns.map(\.field) + table.relations.map(\.name)
        var taken = Set(names.filter { attribute($0) == $0 })
        for other in names where attribute(other) != other {
            var candidate = attribute(other)
            while taken.contains(candidate) { candidate += "_" }
            taken.insert(candidate)
            if other == name { return candidate }
        }
        return wanted
    }

    /// `attribute(_:in:)` by the table's name; the plain `attribute(name)` if the schema has no such table.
    public static func attribute(_ name: String, inTable tableName: String, of schema: Schema) -> String {
        guard let table = schema.table(named: tableName) else { return attribute(name) }
        return attribute(name, in: table)
    }

    /// Python's builtins (`dir(builtins)` of Python 3.11 without the dunder names): a class or module-level
    /// name of the generated code must not shadow one.
    public static let builtins: Set<String> = [
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
        "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
        "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
        "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
        "ExceptionGroup", "False", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
        "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
        "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
        "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented", "NotImplementedError",
        "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError", "ProcessLookupError",
        "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
        "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError", "SystemExit",
        "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
        "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError",
        "Warning", "ZeroDivisionError", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint",
        "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex", "copyright", "credits",
        "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format",
        "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
        "issubclass", "iter", "len", "license", "list", "locals", "map", "max", "memoryview", "min", "next",
        "object", "oct", "open", "ord", "pow", "print", "property", "quit", "range", "repr", "reversed", "round",
        "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip",
    ]

    /// The modules the generator writes itself into the packages that hold one module per entity
    /// (`app/models/base.py`, `app/models/enums.py`, `app/models/search.py`, `app/schemas/refs.py`,
    /// `app/crud/deletes.py`, the MongoDB target's `app/models/defaults.py`)
    /// and the names `app/routers/__init__.py` binds (with `auth:`, `app/routers/auth.py` and
    /// `tests/test_auth.py`): an entity's module must not replace one.
    public static let fixedModules: Set<String> = [
        "base", "enums", "types", "associations", "refs", "deletes", "defaults", "api_router", "auth", "search",
    ]

    /// The Python class of an entity's model: its name, unless that is a keyword, a builtin, or a name
    /// the generated modules that use the model also import or define (`Request`, `Base`, `Mapped`,
    /// `SessionDep`): then `<Name>Model`, or `<Name>Entity` when that is taken too. The JSON names,
    /// the schemas' class names (`<Name>Create`) and the routes keep the entity's name.
    public static func entityClass(_ entity: String) -> String {
        func taken(_ name: String) -> Bool {
            keywords.contains(name) || builtins.contains(name) || classScopeNames.contains(name)
                || FastAPIAppGenerator.functionScopeNames.contains(name) || FastAPIAppGenerator.importedNames.contains(name)
                || UserCodeGenerator.importedNames.contains(name)
        }
        guard taken(entity) else { return entity }
        return taken(entity + "Model") ? entity + "Entity" : entity + "Model"
    }

    /// The longest module name of an entity, in bytes: entity names have no length limit (only the
    /// database names they give do), but file names do (255 bytes on common file systems), and the
    /// module is also a file name with a prefix and a suffix (`tests/test_<module>.py`). Every
    /// entity name of up to 63 bytes keeps its plain snake-case module name.
    public static let maxModuleLength = 128

    /// The Python class of a schema enum: its name, unless a generated module that imports it
    /// also imports or defines that name (`Field`, `Mapped`, `Response`, `Query`): then `<name>Enum`.
    public static func enumClass(_ name: String) -> String {
        keywords.contains(name) || classScopeNames.contains(name) || FastAPIAppGenerator.functionScopeNames.contains(name)
            || FastAPIAppGenerator.importedNames.contains(name) ? name + "Enum" : name
    }

    /// The module (file) name of an entity: `OrderLine` -> `order_line`; a longer name than
    /// `maxModuleLength` is shortened the way derived SQL names are (a prefix and a hash); a keyword or
    /// the name of a fixed module gets a trailing `_` (`Base` -> `base_`, beside `app/models/base.py`).
    public static func module(forEntity entity: String) -> String {
        let snake = Identifiers.shorten(Identifiers.snakeCase(entity), limit: maxModuleLength)
        return keywords.contains(snake) || fixedModules.contains(snake) ? snake + "_" : snake
    }

    /// The constant of an entity's search in `app/models/search.py` (`POST_SEARCH`): its module name in
    /// capitals and `_SEARCH`, with a trailing `_` while a model class of the schema has that name
    /// (both modules that use it import model classes).
    public static func searchConstant(forEntity entity: String, in schema: Schema) -> String {
        let classes = Set(schema.entityTables.compactMap { $0.entity.map(entityClass) })
        var name = module(forEntity: entity).uppercased() + "_SEARCH"
        while classes.contains(name) { name += "_" }
        return name
    }

    /// An enum member name for a value: `dark blue` -> `dark_blue`, `1st` -> `v_1st`, `None` -> `none_`.
    public static func enumMember(_ value: String, taken: inout Set<String>) -> String {
        var name = ""
        var lastUnderscore = false
        for c in value.unicodeScalars {
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_"
            if ok {
                name.unicodeScalars.append(c)
                lastUnderscore = c == "_"
            } else if !lastUnderscore {
                name += "_"
                lastUnderscore = true
            }
        }
        if name.isEmpty || name == "_" { name = "value" }
        if let first = name.unicodeScalars.first, first >= "0" && first <= "9" { name = "v_" + name }
        if keywords.contains(name) || name == "name" || name == "value" || name.hasPrefix("_") { name += "_" }
        var candidate = name
        var n = 2
        while taken.contains(candidate) {
            candidate = "\(name)_\(n)"
            n += 1
        }
        taken.insert(candidate)
        return candidate
    }

    /// `tags` -> `tag_ids`, `categories` -> `category_ids`: the id-list field of a to-many relation.
    public static func idsField(_ relation: String) -> String {
        var singular = relation
        if singular.hasSuffix("ies") {
            singular = String(singular.dropLast(3)) + "y"
        } else if singular.hasSuffix("s"), !singular.hasSuffix("ss") {
            singular = String(singular.dropLast())
        }
        return attribute(singular + "_ids")
    }

    /// `OrderLine` -> `order_lines` for route prefixes (`EnglishPlural.plural`).
    public static func plural(_ snake: String) -> String { EnglishPlural.plural(snake) }
}
