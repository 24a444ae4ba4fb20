#!/usr/bin/env python3
"""Writes the NEW version of the synthetic benchmark schema and a manifest of the changes it makes.

Reads the old schema written by bench/generate_schema.py (default: 1,000 entities), applies PER_KIND changes
(default 100) of every kind of change `schemaforge migrate` supports, chosen with a seeded random generator,
and writes the new schema plus a JSON manifest: one entry per change with its kind, table and column (the
names as they are in the NEW schema; `old_table` / `old_column` for renames). Same input, seed and PER_KIND,
same bytes. Standard library only.

Kinds (entity i owns table `entityNNNNN`; every change below is on its own field, so changes on the same
table do not overlap):

    add_table            new entity AddedNNNNN (2 fields, a nullable FK to an old entity)
    drop_table           the last PER_KIND entities (nothing outside them refers to them)
    rename_table         EntityNNNNN -> RenamedNNNNN with `renamed_from`; relations to it follow the new name
    alter_table_comment  the entity's comment changes
    add_column           extra_code string(40)? (even picks) / extra_count int default 0, NOT NULL (odd picks)
    drop_column          big_counter removed
    rename_column        payload -> payload_v2 with `renamed_from`
    alter_type           quantity int -> bigint
    alter_nullable       notes text? -> NOT NULL with `backfill: "''"`
    alter_default        amount default 0 -> 1
    alter_comment        code gets a comment
    add_index            happened_at gets `index: true`
    drop_index           active loses `index: true`
    add_unique           public_id gets `unique: true`
    drop_unique          the composite unique [parent, public_id] removed (entities with i % 5 == 0)
    add_check            CHECK amount_floor (amount >= -1000000) added
    drop_check           CHECK amount_bounded removed (entities with i % 4 == 0)
    add_foreign_key      new relation reviewer (nullable, set_null) -> column reviewer_id + FK
    drop_foreign_key     relation owner removed (its column owner_id and FK go with it)
    alter_fk_action      relation parent: on_delete cascade -> restrict (odd i), set_null -> cascade (even i)
    add_m2m              new many_to_many `tags` -> join table entityNNNNN_tags appears
    drop_m2m             many_to_many `links` removed -> join table entityNNNNN_links disappears
    enum_value_add       new values spread over the 4 enums
    enum_value_remove    every value that is no column's default (the 4 enums have no more)

Limits at 1,000 entities (the manifest's "limits" says so too): drop_m2m can only remove the join tables
that exist outside the dropped entities (89 of the schema's 99), and enum_value_remove only the 11 values
of the 4 enums that no column uses as its default. Entities 0 and 1 (the schema's FK cycle) are left alone,
renamed entities get no other change, and many_to_many owners (i % 10 == 0) are not renamed.

    python3 bench/evolve_schema.py OLD.yaml -o NEW.yaml --manifest MANIFEST.json [--per-kind 100] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------------------
# The generated schema's shape (bench/generate_schema.py): parsed into entities and rendered back byte for byte.

SECTIONS_WITH_NAMES = ("fields", "relations")  # "      name: value" lines
SECTIONS_WITH_ITEMS = ("indexes", "unique", "checks")  # "      - item" lines
SECTION_ORDER = ("fields", "relations", "indexes", "unique", "checks")


@dataclass
class Entity:
    name: str
    attrs: dict[str, str] = field(default_factory=dict)  # comment, renamed_from: "    key: value"
    named: dict[str, dict[str, str]] = field(default_factory=dict)  # section -> name -> value
    items: dict[str, list[str]] = field(default_factory=dict)  # section -> items


@dataclass
class Document:
    header: list[str]  # everything before "enums:"
    enums: dict[str, list[str]]
    entities: dict[str, Entity]


def parse(text: str) -> Document:
    lines = text.splitlines()
    i = 0
    header: list[str] = []
    while lines[i] != "enums:":
        header.append(lines[i])
        i += 1
    i += 1
    enums: dict[str, list[str]] = {}
    while lines[i] != "entities:":
        m = re.fullmatch(r"  (\w+): \[(.*)\]", lines[i])
        if not m:
            raise ValueError(f"line {i + 1}: not an enum: {lines[i]!r}")
        enums[m.group(1)] = [v.strip() for v in m.group(2).split(",")]
        i += 1
    i += 1
    entities: dict[str, Entity] = {}
    entity: Entity | None = None
    section = ""
    for n, line in enumerate(lines[i:], start=i + 1):
        if m := re.fullmatch(r"  (\w+):", line):
            entity = entities[m.group(1)] = Entity(m.group(1))
        elif m := re.fullmatch(r"    (\w+):(?: (.*))?", line):
            assert entity is not None
            if m.group(2) is None:
                section = m.group(1)
                if section in SECTIONS_WITH_NAMES:
                    entity.named[section] = {}
                elif section in SECTIONS_WITH_ITEMS:
                    entity.items[section] = []
                else:
                    raise ValueError(f"line {n}: unknown section {section!r}")
            else:
                entity.attrs[m.group(1)] = m.group(2)
        elif m := re.fullmatch(r"      - (.*)", line):
            assert entity is not None
            entity.items[section].append(m.group(1))
        elif m := re.fullmatch(r"      (\w+): (.*)", line):
            assert entity is not None
            entity.named[section][m.group(1)] = m.group(2)
        else:
            raise ValueError(f"line {n}: unexpected {line!r}")
    return Document(header, enums, entities)


def render(doc: Document) -> str:
    out = [*doc.header, "enums:"]
    out += [f"  {name}: [{', '.join(values)}]" for name, values in doc.enums.items()]
    out.append("entities:")
    for e in doc.entities.values():
        out.append(f"  {e.name}:")
        out += [f"    {k}: {v}" for k, v in e.attrs.items()]
        for section in SECTION_ORDER:
            if section in e.named and e.named[section]:
                out.append(f"    {section}:")
                out += [f"      {k}: {v}" for k, v in e.named[section].items()]
            elif section in e.items and e.items[section]:
                out.append(f"    {section}:")
                out += [f"      - {item}" for item in e.items[section]]
    return "\n".join(out) + "\n"


def table_name(entity: str) -> str:
    """The default naming convention for these names: EntityNNNNN -> entitynnnnn (lower snake case)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", entity).lower()


def relation_target(value: str) -> str | None:
    m = re.search(r"\bto: (\w+)", value)
    return m.group(1) if m else None


def set_option(value: str, key: str, new: str | None) -> str:
    """`{a: 1, key: x}` with key set to new (appended when absent; removed when new is None)."""
    body = value.strip()
    assert body.startswith("{") and body.endswith("}"), value
    parts = [p.strip() for p in body[1:-1].split(", ")]
    kept = [p for p in parts if not p.startswith(f"{key}:")]
    if new is not None:
        index = next((k for k, p in enumerate(parts) if p.startswith(f"{key}:")), len(parts))
        kept.insert(min(index, len(kept)), f"{key}: {new}")
    return "{" + ", ".join(kept) + "}"


# ---------------------------------------------------------------------------------------------------------
# The changes

KINDS = ["add_table", "drop_table", "rename_table", "alter_table_comment", "add_column", "drop_column",
         "rename_column", "alter_type", "alter_nullable", "alter_default", "alter_comment", "add_index",
         "drop_index", "add_unique", "drop_unique", "add_check", "drop_check", "add_foreign_key",
         "drop_foreign_key", "alter_fk_action", "add_m2m", "drop_m2m", "enum_value_add", "enum_value_remove"]


def evolve(old_text: str, per_kind: int = 100, seed: int = 7) -> tuple[str, dict]:
    doc = parse(old_text)
    if render(doc) != old_text:
        raise ValueError("the old schema is not in bench/generate_schema.py's format (it does not render back)")
    rng = random.Random(seed)
    names = list(doc.entities)
    n = len(names)
    index_of = {name: k for k, name in enumerate(names)}
    changes: list[dict] = []
    limits: list[str] = []

    def add(kind: str, table: str, column: str | None = None, **extra: str) -> None:
        changes.append({"kind": kind, "table": table, "column": column, **extra})

    def pick(candidates: list[int], kind: str) -> list[int]:
        if len(candidates) < per_kind:
            limits.append(f"{kind}: {len(candidates)} (every candidate; {per_kind} asked)")
            return sorted(candidates)
        return sorted(rng.sample(sorted(candidates), per_kind))

    # drop_table: the last per_kind entities. Relations only point at earlier entities (except entity 0 -> 1),
    # so nothing outside them refers to them; checked here.
    dropped = set(range(n - per_kind, n))
    for k, name in enumerate(names):
        if k in dropped:
            continue
        for rel in doc.entities[name].named.get("relations", {}).values():
            if index_of[relation_target(rel)] in dropped:
                raise ValueError(f"{name} refers to an entity that would be dropped")
    pool = [k for k in range(2, n) if k not in dropped]

    renamed = set(pick([k for k in pool if k % 10 != 0], "rename_table"))
    new_name = {name: name for name in names}
    for k in sorted(renamed):
        new_name[names[k]] = names[k].replace("Entity", "Renamed")
    rest = [k for k in pool if k not in renamed]

    def entity(k: int) -> Entity:
        return doc.entities[names[k]]

    def table(k: int) -> str:
        return table_name(new_name[names[k]])

    # Field-level and relation changes on the remaining entities; each kind picks its own tables.
    fields_ = lambda k: entity(k).named["fields"]  # noqa: E731
    relations = lambda k: entity(k).named["relations"]  # noqa: E731

    for k in pick(rest, "alter_table_comment"):
        entity(k).attrs["comment"] = f"Synthetic entity {k}, revised"
        add("alter_table_comment", table(k))
    for j, k in enumerate(pick(rest, "add_column")):
        if j % 2 == 0:
            fields_(k)["extra_code"] = "{type: string(40), nullable: true}"
            add("add_column", table(k), "extra_code", note="nullable string(40)")
        else:
            fields_(k)["extra_count"] = "{type: int, default: 0}"
            add("add_column", table(k), "extra_count", note="int NOT NULL DEFAULT 0")
    for k in pick(rest, "drop_column"):
        del fields_(k)["big_counter"]
        add("drop_column", table(k), "big_counter")
    for k in pick(rest, "rename_column"):
        f = fields_(k)
        items = list(f.items())
        pos = [name for name, _ in items].index("payload")
        items[pos] = ("payload_v2", set_option(f["payload"], "renamed_from", "payload"))
        entity(k).named["fields"] = dict(items)
        add("rename_column", table(k), "payload_v2", old_column="payload")
    for k in pick(rest, "alter_type"):
        fields_(k)["quantity"] = set_option(fields_(k)["quantity"], "type", "bigint")
        add("alter_type", table(k), "quantity", note="int -> bigint")
    for k in pick(rest, "alter_nullable"):
        fields_(k)["notes"] = "{type: text, backfill: \"''\"}"
        add("alter_nullable", table(k), "notes", note="nullable -> NOT NULL (backfill '')")
    for k in pick(rest, "alter_default"):
        fields_(k)["amount"] = set_option(fields_(k)["amount"], "default", "1")
        add("alter_default", table(k), "amount", note="0 -> 1")
    for k in pick(rest, "alter_comment"):
        fields_(k)["code"] = set_option(fields_(k)["code"], "comment", "Business code")
        add("alter_comment", table(k), "code", note="none -> 'Business code'")
    for k in pick(rest, "add_index"):
        fields_(k)["happened_at"] = set_option(fields_(k)["happened_at"], "index", "true")
        add("add_index", table(k), "happened_at")
    for k in pick(rest, "drop_index"):
        fields_(k)["active"] = set_option(fields_(k)["active"], "index", None)
        add("drop_index", table(k), "active")
    for k in pick(rest, "add_unique"):
        fields_(k)["public_id"] = set_option(fields_(k)["public_id"], "unique", "true")
        add("add_unique", table(k), "public_id")
    for k in pick([k for k in rest if k % 5 == 0], "drop_unique"):
        entity(k).items["unique"].remove("[parent, public_id]")
        add("drop_unique", table(k), "parent_id,public_id")
    for k in pick(rest, "add_check"):
        entity(k).items.setdefault("checks", []).append('{name: amount_floor, expr: "amount >= -1000000"}')
        add("add_check", table(k), "amount", name="amount_floor")
    for k in pick([k for k in rest if k % 4 == 0], "drop_check"):
        entity(k).items["checks"].remove('{name: amount_bounded, expr: "amount <= 1000000"}')
        add("drop_check", table(k), "amount", name="amount_bounded")
    for k in pick(rest, "add_foreign_key"):
        target = names[rng.randrange(k)]
        relations(k)["reviewer"] = f"{{to: {new_name[target]}, nullable: true, on_delete: set_null}}"
        add("add_foreign_key", table(k), "reviewer_id", references=table_name(new_name[target]))
    for k in pick(rest, "drop_foreign_key"):
        del relations(k)["owner"]
        add("drop_foreign_key", table(k), "owner_id")
    for k in pick(rest, "alter_fk_action"):
        before = "cascade" if k % 2 else "set_null"
        after = "restrict" if k % 2 else "cascade"
        assert f"on_delete: {before}" in relations(k)["parent"]
        relations(k)["parent"] = set_option(relations(k)["parent"], "on_delete", after)
        add("alter_fk_action", table(k), "parent_id", note=f"on_delete {before} -> {after}")
    for k in pick(rest, "add_m2m"):
        target = names[rng.randrange(k)]
        relations(k)["tags"] = f"{{to: {new_name[target]}, kind: many_to_many}}"
        add("add_m2m", f"{table(k)}_tags", None, owner=table(k))
    for k in pick([k for k in rest if "links" in relations(k)], "drop_m2m"):
        del relations(k)["links"]
        add("drop_m2m", f"{table(k)}_links", None, owner=table(k))

    # Tables: renames (relations to a renamed entity follow its new name), drops, additions.
    for k in sorted(renamed):
        old = names[k]
        entity(k).name = new_name[old]
        entity(k).attrs = {"renamed_from": old, **entity(k).attrs}
        add("rename_table", table_name(new_name[old]), None, old_table=table_name(old))
    for e in doc.entities.values():
        for rel, value in e.named.get("relations", {}).items():
            target = relation_target(value)
            if target in new_name and new_name[target] != target:
                e.named["relations"][rel] = value.replace(f"to: {target}", f"to: {new_name[target]}")
    for k in sorted(dropped):
        add("drop_table", table(k))
    gone = [f"{table(k)}_links" for k in sorted(dropped) if "links" in relations(k)]
    if gone:
        limits.append(f"drop_m2m: {len(gone)} more join tables go with their dropped owners (not counted): "
                      + ", ".join(gone))
    kept = {names[k]: doc.entities[names[k]] for k in range(n) if k not in dropped}
    for j in range(per_kind):
        name = f"Added{j:05d}"
        target = names[rng.choice(pool)]
        kept[name] = Entity(name, {"comment": f"Added entity {j}"}, {
            "fields": {"label": "string(50)", "score": "{type: int, default: 0}"},
            "relations": {"origin": f"{{to: {new_name[target]}, nullable: true, on_delete: set_null}}"},
        })
        add("add_table", table_name(name))
    doc.entities = {e.name: e for e in kept.values()}

    # Enums: add values (spread over the enums), remove every value that is no column's default.
    enum_names = list(doc.enums)
    removable = {e: values[1:] for e, values in doc.enums.items()}  # values[0] is the default of every column
    for e in enum_names:
        for value in removable[e]:
            add("enum_value_remove", e.lower(), None, value=value)
        doc.enums[e] = [doc.enums[e][0]]
    removed = sum(len(v) for v in removable.values())
    if removed < per_kind:
        limits.append(f"enum_value_remove: {removed} (every value of the 4 enums that is no column's default)")
    for j in range(per_kind):
        e = enum_names[j % len(enum_names)]
        value = f"{e.lower()}_v{j:03d}"
        doc.enums[e].append(value)
        add("enum_value_add", e.lower(), None, value=value)

    doc.header = [re.sub(r"^# Synthetic benchmark schema: (\d+) entities.*",
                         rf"# Synthetic benchmark schema, NEW version: {per_kind} changes of every kind "
                         rf"(bench/evolve_schema.py --per-kind {per_kind} --seed {seed}). Do not edit.", line)
                  for line in doc.header]
    counts = {kind: sum(1 for c in changes if c["kind"] == kind) for kind in KINDS}
    manifest = {"per_kind": per_kind, "seed": seed, "counts": counts, "limits": limits, "changes": changes}
    return render(doc), manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the old schema (bench/generate_schema.py output)")
    parser.add_argument("-o", "--output", required=True, help="the new schema to write")
    parser.add_argument("--manifest", required=True, help="the JSON manifest of the changes to write")
    parser.add_argument("--per-kind", type=int, default=100, help="changes of each kind (default 100)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    with open(args.old, encoding="utf-8") as f:
        new_text, manifest = evolve(f.read(), args.per_kind, args.seed)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(new_text)
    with open(args.manifest, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(manifest['changes'])} changes: " + ", ".join(f"{k} {v}" for k, v in manifest["counts"].items()),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
