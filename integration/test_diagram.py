"""`schemaforge diagram`: Graphviz's own `dot` renders the DOT of every example and integration schema to SVG
without a warning, and the SVG names every table; the Mermaid text has every table and, for every foreign key of
the resolved schema (`schemaforge resolve`, not the diagram's code), a relation with its crow's-foot cardinality.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import Schemaforge, schema_files, schema_id

SCHEMAS = schema_files()


def resolved(schemaforge: Schemaforge, path: Path) -> dict[str, Any]:
    return json.loads(schemaforge.run("resolve", path).stdout)


def expected_edges(schema: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """(child, child marker, parent marker, parent) per foreign key, from the resolved schema alone."""
    edges = set()
    for table in schema["tables"]:
        columns = {c["name"]: c for c in table["columns"]}
        unique_sets = [set(table.get("primaryKey", {}).get("columns", []))]
        unique_sets += [set(u["columns"]) for u in table.get("uniques", [])]
        unique_sets += [set(i["columns"]) for i in table.get("indexes", []) if i.get("unique") and not i.get("predicate")]
        for fk in table.get("foreignKeys", []):
            one = set(fk["columns"]) in unique_sets
            optional = any(columns[c].get("nullable", False) for c in fk["columns"])
            edges.add((table["name"], "|o" if one else "}o", "o|" if optional else "||", fk["referencedTable"]))
    return edges


@pytest.mark.parametrize("path", SCHEMAS, ids=[schema_id(p) for p in SCHEMAS])
def test_graphviz_renders_the_dot(schemaforge: Schemaforge, tmp_path: Path, path: Path) -> None:
    dot = shutil.which("dot")
    assert dot, "Graphviz is missing: scripts/test-all.sh installs the Debian package graphviz"
    source = tmp_path / "diagram.dot"
    schemaforge.run("diagram", path, "--format", "dot", "--output", source)
    svg = tmp_path / "diagram.svg"
    proc = subprocess.run([dot, "-Tsvg", str(source), "-o", str(svg)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), f"dot: {proc.stderr}"
    text = svg.read_text()
    for table in resolved(schemaforge, path)["tables"]:
        name = table["name"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert f">{name}</text>" in text, f"table {table['name']} is not in the SVG"


@pytest.mark.parametrize("path", SCHEMAS, ids=[schema_id(p) for p in SCHEMAS])
def test_mermaid_has_every_table_and_relation(schemaforge: Schemaforge, path: Path) -> None:
    text = schemaforge.run("diagram", path).stdout
    assert text.startswith("erDiagram\n")
    schema = resolved(schemaforge, path)
    blocks = set(re.findall(r'^    "([^"]+)" \{$', text, re.MULTILINE))
    for table in schema["tables"]:
        assert table["name"] in blocks, f"no entity for table {table['name']}"
    for enum in schema["enums"]:
        assert f"enum {enum['name']}" in blocks, f"no entity for enum {enum['name']}"
    relations = set(re.findall(r'^    "([^"]+)" (\}o|\|o)--(o\||\|\|) "([^"]+)" : "[^"]*"$', text, re.MULTILINE))
    assert relations == expected_edges(schema)
