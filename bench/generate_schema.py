#!/usr/bin/env python3
"""Writes a deterministic synthetic schemaforge schema for benchmarking.

Every entity has 10 fields of mixed types (string(n), int, bigint, decimal, bool, datetime, text, uuid, json
and one of four shared enums), two many_to_one relations to other entities (alternately required with
cascade/restrict and nullable with set_null), a field-level unique and index; every 10th entity also has a
many_to_many, every 3rd a composite index, every 4th a named CHECK, every 5th a composite unique.

The same N and seed always give byte-identical output. Standard library only.

    python3 bench/generate_schema.py            # 1,000 entities to stdout
    python3 bench/generate_schema.py -n 5000 -o bench/.work/schema-5000.yaml
"""

from __future__ import annotations

import argparse
import random
import sys

ENUMS = {
    "Status": ["draft", "active", "archived"],
    "Priority": ["low", "normal", "high", "urgent"],
    "Color": ["red", "green", "blue"],
    "Channel": ["web", "mobile", "email", "phone", "store"],
}


def entity_name(i: int) -> str:
    return f"Entity{i:05d}"


def generate(n: int, seed: int = 42) -> str:
    if n < 2:
        raise ValueError("need at least 2 entities")
    rng = random.Random(seed)
    enum_names = list(ENUMS)
    out: list[str] = [
        f"# Synthetic benchmark schema: {n} entities (bench/generate_schema.py -n {n} --seed {seed}). Do not edit.",
        "schema: 1",
        f"name: bench_{n}",
        "enums:",
    ]
    for name, values in ENUMS.items():
        out.append(f"  {name}: [{', '.join(values)}]")
    out.append("entities:")
    for i in range(n):
        enum = enum_names[i % len(enum_names)]
        length = 20 + (i % 7) * 10
        out += [
            f"  {entity_name(i)}:",
            f"    comment: Synthetic entity {i}",
            "    fields:",
            f"      code: {{type: string({length}), unique: true}}",
            "      quantity: {type: int, default: 0, min: 0}",
            "      big_counter: {type: bigint, nullable: true}",
            "      amount: {type: decimal, precision: 12, scale: 2, default: 0}",
            "      active: {type: bool, default: true, index: true}",
            "      happened_at: {type: datetime, default: now}",
            "      notes: text?",
            "      public_id: {type: uuid, default: uuid}",
            "      payload: {type: json, nullable: true}",
            f"      state: {{type: {enum}, default: {ENUMS[enum][0]}}}",
            "    relations:",
        ]
        # Two many_to_one relations: to earlier entities where there are any (entity 0 points at itself and
        # at entity 1 (the only forward reference; entity 1 points at 0 twice), so the schema has one FK cycle like real ones do).
        first = i - 1 if i > 0 else 0
        second = rng.randrange(i) if i > 1 else 1 - i
        if i % 2 == 0:
            out.append(f"      parent: {{to: {entity_name(first)}, nullable: true, on_delete: set_null}}")
            out.append(f"      owner: {{to: {entity_name(second)}, kind: many_to_one, nullable: true, on_delete: set_null}}")
        else:
            out.append(f"      parent: {{to: {entity_name(first)}, on_delete: cascade}}")
            out.append(f"      owner: {{to: {entity_name(second)}, kind: many_to_one, on_delete: restrict}}")
        if i % 10 == 0 and i > 0:
            out.append(f"      links: {{to: {entity_name(rng.randrange(i))}, kind: many_to_many, back: linked_from_{i:05d}}}")
        if i % 3 == 0:
            out += ["    indexes:", "      - [state, happened_at]"]
        if i % 5 == 0:
            out += ["    unique:", "      - [parent, public_id]"]
        if i % 4 == 0:
            out += ["    checks:", "      - {name: amount_bounded, expr: \"amount <= 1000000\"}"]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--entities", type=int, default=1000, help="number of entities (default 1000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed for relation targets (default 42)")
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args()
    text = generate(args.entities, args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
