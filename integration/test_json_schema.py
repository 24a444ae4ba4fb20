"""The JSON Schema for editors (schema/schemaforge.schema.json) against the examples, invalid documents,
the schemaforge CLI and the Swift decoder's key lists.

Standalone: needs only pytest, jsonschema and PyYAML (no conftest fixtures). The CLI agreement tests use
$SCHEMAFORGE_BIN, else .build/debug/schemaforge (built with `swift build --product schemaforge` if absent),
like the rest of the suite.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schema" / "schemaforge.schema.json"
DECODER_SWIFT = ROOT / "Sources" / "SchemaReaders" / "DocumentDecoder.swift"
MODEL_DIR = ROOT / "Sources" / "SchemaModel"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


# --------------------------------------------------------------------------------------------- helpers


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings (as schemaforge and YAML 1.2 editors do) and rejects
    duplicate keys (as schemaforge does), so a document means the same thing here as in the CLI."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys = [loader.construct_object(k) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {sorted(map(str, duplicates))}", node.start_mark)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


@cache
def json_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


@cache
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema())


def all_errors(errors: list[jsonschema.ValidationError]) -> list[jsonschema.ValidationError]:
    """Every error including those nested in oneOf/anyOf contexts."""
    out: list[jsonschema.ValidationError] = []
    for e in errors:
        out.append(e)
        out.extend(all_errors(list(e.context or [])))
    return out


def schema_errors(document: Any) -> list[jsonschema.ValidationError]:
    return list(validator().iter_errors(document))


@cache
def schemaforge_binary() -> Path:
    env = os.environ.get("SCHEMAFORGE_BIN")
    if env:
        path = Path(env)
        assert path.is_file(), f"SCHEMAFORGE_BIN={env} does not exist"
        return path
    path = ROOT / ".build" / "debug" / "schemaforge"
    if path.is_file():
        return path
    subprocess.run(["swift", "build", "--product", "schemaforge"], cwd=ROOT, check=True)
    assert path.is_file(), "swift build did not produce .build/debug/schemaforge"
    return path


def cli_validate(tmp_path: Path, text: str, name: str = "doc.yaml") -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_text(text)
    return subprocess.run([str(schemaforge_binary()), "validate", str(path)], capture_output=True, text=True, timeout=60)


def walk(node: Any, path: str = "#") -> Any:
    """Yields (json-pointer-ish path, subschema) for every dict in the JSON Schema."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, f"{path}/{i}")


# --------------------------------------------------------------------------------------------- the schema itself


def test_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_key_and_definition_has_a_title_and_a_description() -> None:
    missing = []
    for path, node in walk(json_schema()):
        # `properties` of object schemas are keys an author writes; elsewhere (dependentSchemas) they constrain.
        groups = ["$defs"] + (["properties"] if node.get("type") == "object" else [])
        for group in groups:
            for key, sub in node.get(group, {}).items() if isinstance(node.get(group), dict) else []:
                for attribute in ("title", "description"):
                    if not isinstance(sub.get(attribute), str) or not sub[attribute].strip():
                        missing.append(f"{path}/{group}/{key}: {attribute}")
    assert not missing, "missing editor help:\n" + "\n".join(missing)


def test_objects_with_fixed_keys_reject_unknown_keys() -> None:
    open_objects = []
    for path, node in walk(json_schema()):
        if node.get("type") == "object" and "properties" in node and node.get("additionalProperties") is not False:
            open_objects.append(path)
    assert not open_objects, f"objects with listed keys but additionalProperties not false: {open_objects}"


# --------------------------------------------------------------------------------------------- drift checks against Swift


# DocumentDecoder's `static let <name>Keys` -> where the JSON Schema lists those keys.
KEY_LISTS = {
    "topKeys": (),
    "entityKeys": ("$defs", "entity"),
    "fieldKeys": ("$defs", "fieldSpec"),
    "relationKeys": ("$defs", "relationSpec"),
    "indexKeys": ("$defs", "indexSpec"),
    "uniqueKeys": ("$defs", "uniqueSpec"),
    "checkKeys": ("$defs", "checkSpec"),
    "enumKeys": ("$defs", "enumSpec"),
    "mongoKeys": ("$defs", "mongoSpec"),
    "ttlKeys": ("$defs", "mongoTTL"),
    "authKeys": ("$defs", "authSpec"),
    "accessKeys": ("$defs", "entity", "properties", "access"),
    # `search:` is a list of fields or this object (the second of its `oneOf`).
    "searchKeys": ("$defs", "entity", "properties", "search", "oneOf", 1),
}


def swift_key_lists() -> dict[str, list[str]]:
    source = DECODER_SWIFT.read_text()
    lists = {
        m.group(1): re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
        for m in re.finditer(r"static\s+let\s+(\w+Keys)\s*(?::\s*\w+\s*)?=\s*\[(.*?)\]", source, re.DOTALL)
    }
    assert lists, f"no `static let ...Keys[: Type] = [...]` found in {DECODER_SWIFT}"
    return lists


def test_swift_key_lists_are_all_mapped() -> None:
    assert set(swift_key_lists()) == set(KEY_LISTS), (
        "DocumentDecoder's key lists changed: add the new object to the JSON Schema and to KEY_LISTS"
    )


@pytest.mark.parametrize("list_name", sorted(KEY_LISTS))
def test_json_schema_lists_exactly_the_decoder_keys(list_name: str) -> None:
    swift_keys = swift_key_lists()[list_name]
    assert len(swift_keys) == len(set(swift_keys)), f"{list_name} repeats a key"
    node: Any = json_schema()
    for step in KEY_LISTS[list_name]:
        node = node[step]
    assert node.get("additionalProperties") is False
    assert set(node["properties"]) == set(swift_keys), (
        f"{list_name}: only in Swift {sorted(set(swift_keys) - set(node['properties']))}, "
        f"only in the JSON Schema {sorted(set(node['properties']) - set(swift_keys))}"
    )


def swift_enum_raw_values(file: Path, enum_name: str) -> list[str]:
    """Raw values of a Swift `enum X: String` (`case a = "b"`, `case a, b`), ignoring `case .x:` in switches."""
    source = file.read_text()
    m = re.search(rf"enum\s+{enum_name}\s*:[^{{]*\{{(.*?)\n\}}", source, re.DOTALL)
    assert m, f"enum {enum_name} not found in {file}"
    values = []
    for line in m.group(1).splitlines():
        decl = re.match(r"\s*case\s+([A-Za-z_]\w*(?:\s*=\s*\"[^\"]*\")?(?:\s*,\s*[A-Za-z_]\w*(?:\s*=\s*\"[^\"]*\")?)*)\s*$", line)
        if decl:
            for item in decl.group(1).split(","):
                name, _, raw = item.partition("=")
                values.append(raw.strip().strip('"') if raw else name.strip())
    assert values, f"no cases found in enum {enum_name}"
    return values


def enum_choices(subschema: dict[str, Any]) -> list[str]:
    if "enum" in subschema:
        return subschema["enum"]
    (choices,) = [branch["enum"] for branch in subschema["anyOf"] if "enum" in branch]
    return choices


def test_relation_kinds_match_swift() -> None:
    kinds = swift_enum_raw_values(MODEL_DIR / "SchemaDocument.swift", "RelationKind")
    assert json_schema()["$defs"]["relationSpec"]["properties"]["kind"]["enum"] == kinds


def test_referential_actions_match_swift() -> None:
    actions = swift_enum_raw_values(MODEL_DIR / "SchemaDocument.swift", "ReferentialAction")
    assert enum_choices(json_schema()["$defs"]["referentialAction"]) == actions


def test_index_methods_match_swift() -> None:
    methods = swift_enum_raw_values(MODEL_DIR / "Schema.swift", "IndexMethod")
    assert enum_choices(json_schema()["$defs"]["indexSpec"]["properties"]["method"]) == methods


def test_native_dialect_names_match_swift() -> None:
    source = (MODEL_DIR / "Dialect.swift").read_text()
    init = re.search(r"init\?\(name: String\)(.*?)\n    \}", source, re.DOTALL)
    assert init, "Dialect.init?(name:) not found"
    names = [n for line in re.findall(r"case\s+(\"[^:]*):\s*self\s*=", init.group(1)) for n in re.findall(r'"([^"]+)"', line)]
    assert names
    native = json_schema()["$defs"]["fieldSpec"]["properties"]["native"]
    assert sorted(enum_choices(native["propertyNames"])) == sorted(names)


def test_type_help_names_every_scalar_type_and_alias() -> None:
    source = (MODEL_DIR / "ColumnType.swift").read_text()
    scalars = re.search(r"static let scalarNames: \[String\] = \[(.*?)\]", source, re.DOTALL)
    aliases = re.search(r"static let aliases: \[String: String\] = \[(.*?)\]", source, re.DOTALL)
    assert scalars and aliases
    names = re.findall(r'"(\w+)"', scalars.group(1)) + re.findall(r'"(\w+)"\s*:', aliases.group(1))
    type_def = json_schema()["$defs"]["typeName"]
    described = set(re.findall(r"[a-z0-9]+", type_def["description"]))
    assert [n for n in names if n not in described] == []
    for name in names:
        assert not schema_errors({"entities": {"A": {"fields": {"x": name}}}}), name


# --------------------------------------------------------------------------------------------- valid documents


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 3, EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_validates(example: Path) -> None:
    errors = schema_errors(load_yaml(example.read_text()))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


# Uses every key the decoder accepts, every shorthand and the spellings the CLI normalises.
KITCHEN_SINK = """\
$schema: ../schema/schemaforge.schema.json
schema: 1
name: kitchen_sink
comment: Every key of the format
auth: {user: Account, login: email, password: password_hash, role: role, registration: true}
enums:
  Role: [admin, editor, reader]
  Level: {values: [1, 2, 3], comment: Numeric-looking values are text, renamed_from: {'3': '4'}, type: access-level}
entities:
  Account:
    table: accounts
    timestamps: true
    comment: An account
    renamed_from: Customer
    mongo: {collection: accounts, additional_properties: false, ttl: {field: created, seconds: 86400}, text: [name, bio]}
    access: {read: authenticated, create: admin, update: [admin], delete: admin}
    search: {fields: [name, bio], language: english}
    fields:
      id: {type: int, primary_key: true, autoincrement: true}
      password_hash: text
      note: {type: string, length: 500, nullable: true, encrypted: true}
      email: {type: string, length: 320, unique: true, pattern: '^[^@]+@[^@]+$', min_length: 3}
      handle: {type: "string(40)", index: true, column: handle_text, renamed_from: nick, filterable: true}
      name: string(200)
      bio: text?
      role: {type: Role, default: reader}
      level: {type: Level, optional: true}
      score: {type: "decimal( 12 , 2 )", min: 0, max: 99999.5, default: 0}
      ratio: {type: decimal, precision: 5, scale: 2, nullable: true}
      code: {type: varchar, max_length: 12, sensitive: true, comment: secret}
      tags: "string(30)[]"
      numbers: {type: array, items: int, nullable: true}
      labels: "array<string(20)>?"
      born_on: {type: date, nullable: true, default: {sql: CURRENT_DATE}}
      created: {type: datetime, default: now}
      public_id: {type: uuid, default: uuid, native: {postgresql: UUID, MySQL: "CHAR(36)", sqlite3: TEXT}}
      active: {type: bool, default: yes}
      data: {type: json, nullable: true}
      nickname: {type: string, length: 40, backfill: "'anonymous'"}
    relations:
      team: Team
      mentor: {to: Account, kind: many_to_one, optional: true, on_delete: SET NULL, on_update: Cascade, column: mentor_ref, index: true, comment: Self reference, back: mentees}
      groups: {to: Team, kind: many_to_many, join_table: account_groups, back: members, read: nested, renamed_from: teams}
      badges: {to: Badge, kind: one_to_many, back: holder, embed: false}
      clubs: {to: Team, kind: many_to_many, through: Membership, back: club_members}
    indexes:
      - name
      - [team, name]
      - {fields: [email], unique: true, where: "active", method: BTREE, name: ix_account_email_active}
      - {expressions: ["lower(name)"]}
      - {expression: "upper(name)", name: ix_account_upper_name}
    unique:
      - [team, handle]
      - {fields: [name, code], name: uq_account_name_code}
    checks:
      - "score >= 0"
      - {name: code_not_blank, expr: "length(code) > 0", postgresql: "char_length(code) > 0", mysql: "char_length(code) > 0", sqlite: "length(code) > 0"}
      - {expression: "ratio <= 100"}
  Team:
    fields:
      name: {type: string, length: 100, unique: true}
  Badge:
    primary_key: [holder, label]
    fields:
      label: string(50)
    relations:
      holder: {to: Account, nullable: false, on_delete: cascade, back: badges}
  Membership:
    primary_key: [account, team]
    owner: account
    access: {read: [owner, admin], create: public}
    fields:
      joined_on: {type: date, default: now}
    relations:
      account: {to: Account, on_delete: cascade}
      team: {to: Team, on_delete: cascade}
  Award:
    fields:
      reason: text
    relations:
      badge: {to: Badge, columns: [badge_holder_id, badge_label], back: awards}
      team: {to: Team, nullable: true, column: team_name, references: name, on_delete: set_null}
  Audit:
    primary_key: false
    fields:
      at: datetime
      message: text
"""


def keys_used(document: dict[str, Any]) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {name: set() for name in KEY_LISTS}
    used["topKeys"] |= set(document)
    used["authKeys"] |= set(document.get("auth") or {})
    for value in document.get("enums", {}).values():
        if isinstance(value, dict):
            used["enumKeys"] |= set(value)
    for entity in document["entities"].values():
        used["entityKeys"] |= set(entity)
        used["accessKeys"] |= set(entity.get("access") or {})
        if isinstance(entity.get("search"), dict):
            used["searchKeys"] |= set(entity["search"])
        for field in entity.get("fields", {}).values():
            if isinstance(field, dict):
                used["fieldKeys"] |= set(field)
        for relation in entity.get("relations", {}).values():
            if isinstance(relation, dict):
                used["relationKeys"] |= set(relation)
        mongo = entity.get("mongo")
        if isinstance(mongo, dict):
            used["mongoKeys"] |= set(mongo)
            if isinstance(mongo.get("ttl"), dict):
                used["ttlKeys"] |= set(mongo["ttl"])
        for group, list_name in (("indexes", "indexKeys"), ("unique", "uniqueKeys"), ("checks", "checkKeys")):
            for item in entity.get(group, []):
                if isinstance(item, dict):
                    used[list_name] |= set(item)
    return used


def test_kitchen_sink_uses_every_decoder_key() -> None:
    used = keys_used(load_yaml(KITCHEN_SINK))
    swift = swift_key_lists()
    unused = {name: sorted(set(swift[name]) - used[name]) for name in KEY_LISTS if set(swift[name]) - used[name]}
    assert not unused, f"extend KITCHEN_SINK so that every key is tried: {unused}"


def test_kitchen_sink_validates_against_the_json_schema() -> None:
    errors = schema_errors(load_yaml(KITCHEN_SINK))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_kitchen_sink_is_accepted_by_the_cli(tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    doc = tmp_path / "schema" / "kitchen_sink.yaml"
    doc.write_text(KITCHEN_SINK)
    result = subprocess.run([str(schemaforge_binary()), "validate", str(doc)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_is_accepted_by_the_cli(example: Path) -> None:
    result = subprocess.run([str(schemaforge_binary()), "validate", str(example)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


VALID_TYPES = [
    "int", "string(200)", "string (200)", "decimal(12,2)", "decimal( 12 , 2 )", "array<int>", "array < int >",
    "array<string(30)>", "int[]", "string(30)[]", "text?", "int[]?", "Role", "datetime ?",
]  # fmt: skip
INVALID_TYPES = [
    "string(abc)", "decimal(12,", "decimal(12,,2)", "array<int", "int[", "two words", "", "string()", "(12)",
]  # fmt: skip


def type_document(type_text: str) -> str:
    return f"enums:\n  Role: [a, b]\nentities:\n  A:\n    fields:\n      x: {{type: {json.dumps(type_text)}}}\n"


@pytest.mark.parametrize("type_text", VALID_TYPES)
def test_type_syntax_accepted(type_text: str, tmp_path: Path) -> None:
    assert not schema_errors(load_yaml(type_document(type_text)))
    # Structural acceptance only: the resolver may still object (not to any of these).
    result = cli_validate(tmp_path, type_document(type_text))
    assert "cannot read the type" not in result.stderr, result.stderr


@pytest.mark.parametrize("type_text", INVALID_TYPES)
def test_type_syntax_rejected(type_text: str, tmp_path: Path) -> None:
    errors = all_errors(schema_errors(load_yaml(type_document(type_text))))
    assert any(list(e.absolute_path)[:4] == ["entities", "A", "fields", "x"] for e in errors)
    result = cli_validate(tmp_path, type_document(type_text))
    assert result.returncode == 1, result.stderr


# --------------------------------------------------------------------------------------------- invalid documents

# (id, document, path where the JSON Schema must report a problem). All are rejected by the CLI too.
INVALID = [
    ("unknown top-level key", "schema: 1\nversion: 2\nentities:\n  A:\n    fields: {x: int}\n", []),
    ("unsupported format version", "schema: 2\nentities:\n  A:\n    fields: {x: int}\n", ["schema"]),
    ("no entities", "schema: 1\nname: empty\n", []),
    ("empty entities", "entities: {}\n", ["entities"]),
    ("entities as a list", "entities:\n  - A\n", ["entities"]),
    ("unknown entity key", "entities:\n  A:\n    colums: {x: int}\n", ["entities", "A"]),
    ("entity name not an identifier", "entities:\n  1A:\n    fields: {x: int}\n", ["entities"]),
    ("timestamps not a boolean", "entities:\n  A:\n    timestamps: sometimes\n    fields: {x: int}\n", ["entities", "A", "timestamps"]),
    ("unknown field key", "entities:\n  A:\n    fields:\n      x: {type: string, lenght: 20}\n", ["entities", "A", "fields", "x"]),
    ("field without type", "entities:\n  A:\n    fields:\n      x: {nullable: true}\n", ["entities", "A", "fields", "x"]),
    ("field type null", "entities:\n  A:\n    fields:\n      x:\n", ["entities", "A", "fields", "x"]),
    ("field type is a mapping", "entities:\n  A:\n    fields:\n      x: {type: {name: int}}\n", ["entities", "A", "fields", "x"]),
    ("length not a number", "entities:\n  A:\n    fields:\n      x: {type: string, length: long}\n", ["entities", "A", "fields", "x"]),
    ("default null", "entities:\n  A:\n    fields:\n      x: {type: int, default: null}\n", ["entities", "A", "fields", "x"]),
    ("default a list", "entities:\n  A:\n    fields:\n      x: {type: json, default: [1, 2]}\n", ["entities", "A", "fields", "x"]),
    ("default sql with extra key", "entities:\n  A:\n    fields:\n      x: {type: int, default: {sql: '1', raw: true}}\n", ["entities", "A", "fields", "x"]),
    ("native unknown dialect", "entities:\n  A:\n    fields:\n      x: {type: string, native: {oracle: VARCHAR2}}\n", ["entities", "A", "fields", "x"]),
    ("relation unknown key", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, ondelete: cascade}\n", ["entities", "A", "relations", "b"]),
    ("relation without to", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {kind: many_to_one}\n", ["entities", "A", "relations", "b"]),
    ("relation shorthand null", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b:\n", ["entities", "A", "relations", "b"]),
    ("bad relation kind", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, kind: many_to_few}\n", ["entities", "A", "relations", "b"]),
    ("relation kind in another case", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, kind: Many_To_One}\n", ["entities", "A", "relations", "b"]),
    ("bad on_delete", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, nullable: true, on_delete: destroy}\n", ["entities", "A", "relations", "b"]),
    ("bad on_update", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, on_update: cascades}\n", ["entities", "A", "relations", "b"]),
    ("index without fields", "entities:\n  A:\n    fields: {x: int}\n    indexes:\n      - {unique: true}\n", ["entities", "A", "indexes", 0]),
    ("index unknown key", "entities:\n  A:\n    fields: {x: int}\n    indexes:\n      - {fields: [x], using: gin}\n", ["entities", "A", "indexes", 0]),
    ("bad index method", "entities:\n  A:\n    fields: {x: int}\n    indexes:\n      - {fields: [x], method: brin}\n", ["entities", "A", "indexes", 0]),
    ("indexes not a list", "entities:\n  A:\n    fields: {x: int}\n    indexes: {fields: [x]}\n", ["entities", "A", "indexes"]),
    ("empty index field list", "entities:\n  A:\n    fields: {x: int}\n    indexes:\n      - []\n", ["entities", "A", "indexes", 0]),
    ("unique without fields", "entities:\n  A:\n    fields: {x: int}\n    unique:\n      - {name: uq_a_x}\n", ["entities", "A", "unique", 0]),
    ("unique unknown key", "entities:\n  A:\n    fields: {x: int}\n    unique:\n      - {fields: [x], where: x}\n", ["entities", "A", "unique", 0]),
    ("check without expr", "entities:\n  A:\n    fields: {x: int}\n    checks:\n      - {name: positive}\n", ["entities", "A", "checks", 0]),
    ("check unknown key", "entities:\n  A:\n    fields: {x: int}\n    checks:\n      - {expr: x > 0, oracle: x > 0}\n", ["entities", "A", "checks", 0]),
    ("enum without values", "enums:\n  Role: {comment: roles}\nentities:\n  A:\n    fields: {x: int}\n", ["enums", "Role"]),
    ("enum unknown key", "enums:\n  Role: {values: [a], default: a}\nentities:\n  A:\n    fields: {x: int}\n", ["enums", "Role"]),
    ("enum with no values", "enums:\n  Role: []\nentities:\n  A:\n    fields: {x: int}\n", ["enums", "Role"]),
    ("enum with duplicate values", "enums:\n  Role: [a, a]\nentities:\n  A:\n    fields: {x: int}\n", ["enums", "Role"]),
    ("entity primary_key empty list", "entities:\n  A:\n    primary_key: []\n    fields: {x: int}\n", ["entities", "A", "primary_key"]),
    # Aliases given together, `primary_key: true` on an entity, `items` that is not a type, MongoDB options
    # of the wrong shape: the decoder once accepted these silently.
    ("entity primary_key true", "entities:\n  A:\n    primary_key: true\n    fields: {x: int}\n", ["entities", "A", "primary_key"]),
    ("nullable and optional together", "entities:\n  A:\n    fields:\n      x: {type: int, nullable: true, optional: false}\n", ["entities", "A", "fields", "x"]),
    ("length and max_length together", "entities:\n  A:\n    fields:\n      x: {type: string, length: 10, max_length: 20}\n", ["entities", "A", "fields", "x"]),
    ("column and columns together", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, nullable: true, column: b_ref, columns: [b_key]}\n", ["entities", "A", "relations", "b"]),
    ("expr and expression together", "entities:\n  A:\n    fields: {x: int}\n    checks:\n      - {expr: x > 0, expression: x < 0}\n", ["entities", "A", "checks", 0]),
    ("items on a non-array field", "entities:\n  A:\n    fields:\n      x: {type: int, items: {a: 1}}\n", ["entities", "A", "fields", "x"]),
    ("mongo not a mapping", "entities:\n  A:\n    mongo: 5\n    fields: {x: int}\n", ["entities", "A", "mongo"]),
    ("embed not a boolean", "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, nullable: true, embed: [1]}\n", ["entities", "A", "relations", "b"]),
]

def test_there_are_enough_invalid_documents() -> None:
    assert len(INVALID) >= 10
    assert len({name for name, _, _ in INVALID}) == len(INVALID)


@pytest.mark.parametrize(("name", "text", "where"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_document_fails_the_json_schema(name: str, text: str, where: list[Any]) -> None:
    errors = schema_errors(load_yaml(text))
    assert errors, f"{name}: the JSON Schema accepted it"
    paths = [list(e.absolute_path) for e in all_errors(errors)]
    assert any(p[: len(where)] == where for p in paths), f"{name}: errors at {paths}, expected one under {where}"


@pytest.mark.parametrize(("name", "text", "where"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_document_fails_the_cli(name: str, text: str, where: list[Any], tmp_path: Path) -> None:
    result = cli_validate(tmp_path, text)
    assert result.returncode == 1, f"{name}: schemaforge validate exited {result.returncode}\n{result.stderr}"
    assert ": error: " in result.stderr


def test_invalid_document_differs_from_a_valid_one_only_in_the_fault() -> None:
    # Guards the list above: the same shapes with the fault removed are valid, so each case fails for its fault.
    fixed = [
        "schema: 1\nentities:\n  A:\n    fields: {x: int}\n",
        "entities:\n  A:\n    fields:\n      x: {type: string, length: 20}\n",
        "entities:\n  A:\n    fields: {x: int}\n    relations:\n      b: {to: A, nullable: true, on_delete: set_null}\n",
        "entities:\n  A:\n    fields: {x: int}\n    indexes:\n      - {fields: [x], method: gin}\n",
        "entities:\n  A:\n    fields: {x: int}\n    unique:\n      - {fields: [x], name: uq_a_x}\n",
        "entities:\n  A:\n    fields: {x: int}\n    checks:\n      - {name: positive, expr: x > 0}\n",
        "enums:\n  Role: {values: [a], comment: roles}\nentities:\n  A:\n    fields: {x: int}\n",
        "entities:\n  A:\n    primary_key: [x]\n    fields: {x: int}\n",
        "entities:\n  A:\n    fields:\n      x: {type: string, native: {postgresql: CITEXT}}\n",
    ]
    for text in fixed:
        assert not schema_errors(load_yaml(text)), text
