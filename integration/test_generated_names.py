"""Names from no list written here: every Python keyword and soft keyword, every builtin, and every name the
generated code itself imports, defines or takes as a parameter or local (read with `ast` from a generated
project), used as field, relation, enum and entity names. The project must lint (ruff check and format),
type-check (mypy --strict) and, on SQLite, pass its own tests: on all four targets.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re
import subprocess
from pathlib import Path

import pytest

from conftest import Schemaforge, schema_path
from generated_support import VENV_BIN

pytest_plugins = ["generated_support"]

TARGETS = ["sqlite", "postgresql", "mysql", "mongodb"]


def names_in(root: Path) -> set[str]:
    """Every name a generated project binds or imports: imports, definitions, parameters, locals."""
    names: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


def module_names_in(root: Path) -> set[str]:
    """The entity-like (PascalCase) forms of every generated module's file name and of the names a package's
    `__init__.py` binds: an entity whose module would be `base.py` beside `app/models/base.py`, or
    `api_router` in `app/routers/__init__.py`."""
    stems = {p.stem for p in root.rglob("*.py") if not p.stem.startswith("_")}
    for init in root.rglob("__init__.py"):
        for node in ast.walk(ast.parse(init.read_text())):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stems.add(node.id)
    return {"".join(part.capitalize() for part in stem.split("_")) for stem in stems if stem.islower()}


def schema_of(names: set[str], *, entity_names: bool, modules: frozenset[str] = frozenset()) -> str:
    lower = sorted(n for n in names if n.isidentifier() and n == n.lower() and n != "id")
    pascal = sorted(n for n in names if n.isidentifier() and n[0].isupper() and n.isalnum())
    # With `entity_names`, every other one names an entity, the rest enums (a name cannot be both); entity
    # names of ten characters at most, so that the known layout gap of long identifiers stays out.
    entities: list[str] = []
    tables: set[str] = set()
    for i, n in enumerate(pascal):
        # Entities whose table names would be equal (`APIRouter`, `ApiRouter`) are one schema error, not two names.
        if entity_names and (i % 2 == 0 or n in modules) and len(n) <= 10 and n.lower() not in tables:
            entities.append(n)
            tables.add(n.lower())
    upper = [n for n in pascal if n not in entities]
    lines = ["schema: 1", "name: every_name", "enums:"]
    lines += [f"  {n}: [a, b]" for n in upper]
    lines += ["entities:", "  Thing:", "    fields:"]
    lines += [f"      {n}: {{type: string, length: 20, nullable: true}}" for n in lower]
    lines += ["  Kinds:", "    fields:"]
    lines += [f"      k_{i}: {{type: {n}, nullable: true}}" for i, n in enumerate(upper)]
    lines += ["  Links:", "    relations:"]
    lines += [f"      {n}: {{to: Thing, nullable: true}}" for n in lower[:60]]
    lines += [f"  {n}:\n    fields:\n      name: {{type: string, length: 20}}" for n in entities]
    return "\n".join(lines) + "\n"


def run(args: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


@pytest.mark.parametrize("target", TARGETS)
def test_every_name_the_generated_code_uses_works_as_field_relation_and_enum_name(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, target: str
) -> None:
    check_names(schemaforge, tool_env, tmp_path, target, entity_names=False)


@pytest.mark.parametrize("target", TARGETS)
def test_every_name_the_generated_code_uses_works_as_entity_name(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, target: str
) -> None:
    check_names(schemaforge, tool_env, tmp_path, target, entity_names=True)


def library_attributes() -> set[str]:
    """The public attributes of the classes generated models and schemas derive from, as the installed
    libraries define them (a list no one here wrote): a field of that name would override them."""
    import odmantic
    import pydantic
    from sqlalchemy.orm import DeclarativeBase

    class Declarative(DeclarativeBase):
        pass

    classes = (odmantic.Model, odmantic.EmbeddedModel, pydantic.BaseModel, Declarative)
    return {name for cls in classes for name in dir(cls) if not name.startswith("_")}


def check_names(
    schemaforge: Schemaforge, tool_env: dict[str, str], tmp_path: Path, target: str, *, entity_names: bool
) -> None:
    baseline = tmp_path / "baseline"
    schemaforge.run("generate", schema_path("shop"), "--out", baseline, "--db", target)
    names = names_in(baseline) | set(keyword.kwlist) | set(keyword.softkwlist)
    modules = frozenset(module_names_in(baseline)) if entity_names else frozenset()
    names |= modules
    names |= {n for n in dir(builtins) if not n.startswith("__")}
    names |= library_attributes()
    schema = tmp_path / "every_name.yaml"
    schema.write_text(schema_of(names, entity_names=entity_names, modules=modules))
    # Names the schema format itself refuses (an enum called like a built-in type: `Text`, `UUID`, or whose
    # PostgreSQL type would be a table's name: `APIRouter` beside the entity `ApiRouter`) are not valid schema
    # names: the validator says which, and only those are left out.
    for _ in range(5):
        stderr = schemaforge.run("validate", schema, check=False).stderr
        refused = set(re.findall(r"enum '(\w+)' (?:has the name of the built-in type|becomes the PostgreSQL type)", stderr))
        if not refused:
            break
        names -= refused
        schema.write_text(schema_of(names, entity_names=entity_names, modules=modules))
    project = tmp_path / "project"
    proc = schemaforge.run("generate", schema, "--out", project, "--db", target, check=False)
    assert proc.returncode == 0, f"generate refused a schema of valid names:\n{proc.stderr[-4000:]}"
    checks = [
        [str(VENV_BIN / "ruff"), "check", "--no-cache", "."],
        [str(VENV_BIN / "ruff"), "format", "--check", "--no-cache", "."],
        [str(VENV_BIN / "mypy"), *(["app", "mongo", "tests"] if target == "mongodb" else ["app", "tests"])],
    ]
    if target == "sqlite":
        # Its own tests; with hundreds of entities, their round trips (the field-name variant runs them all).
        selection = ["-k", "round_trip"] if entity_names else []
        checks.append([str(VENV_BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *selection])
    failures: dict[str, str] = {}
    for check in checks:
        result = subprocess.run(
            check, cwd=project, env=tool_env, capture_output=True, text=True, timeout=600,
            stdin=subprocess.DEVNULL, check=False,
        )
        if result.returncode != 0:
            name = " ".join(Path(check[0]).name if i == 0 else part for i, part in enumerate(check[:2]))
            failures[name] = f"{name} failed on {target}:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
    assert not failures, "\n\n".join(failures.values())
