"""Support for the MongoDB tests (test_mongo_*.py).

- Backends: every MongoDB test runs on `mongomock` (in process) and, when MONGODB_URL is set, on that real
  server too; without MONGODB_URL the real-server variant SKIPS and says so.
- TEST-ONLY adapters (never part of generated code):
  * `_NoSession`: mongomock rejects client sessions, and ODMantic's `AIOEngine.save` opens one;
  * `_sort_decimals`: mongomock cannot sort Decimal128 values, which a server sorts as numbers;
  * `_partial_indexes`: mongomock's `create_indexes` drops `partialFilterExpression`, which a server keeps;
  * `RecordingDatabase`: mongomock has neither `create_collection(validator=...)` nor `collMod`; the wrapper
    records the validators that `mongo/indexes.py` and the migrations apply, so the tests check them with the
    independent checker below.
- `BsonSchemaChecker`: an independent `$jsonSchema` checker: the validator translated to JSON Schema (each
  BSON type a custom `jsonschema` type) and checked with the `jsonschema` package.
- `loaded_mongo_app()`: imports a generated MongoDB project's `app` and `mongo` packages in this process.
- `MongoApi`: drives the generated HTTP API (httpx ASGITransport) from its OpenAPI description.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import datetime as dt
import decimal
import importlib
import itertools
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import yaml
from bson import Decimal128, ObjectId
from generated_support import EXAMPLES, string_for_pattern

MONGODB_URL = os.environ.get("MONGODB_URL")
BACKENDS = ("mongomock", "server")
SKIP_NO_SERVER = (
    "MONGODB_URL is not set: this MongoDB test runs on mongomock only (set MONGODB_URL to run it on a real server)"
)


#: The examples with `auth:`, which the MongoDB target refuses (it has no access control yet).
WITH_AUTH = [p for p in EXAMPLES if "auth" in yaml.safe_load(p.read_text())]
#: The other examples, and the MongoDB-only schemas (embedded documents, `mongo:` options).
MONGO_SCHEMAS = (
    [p for p in EXAMPLES if p not in WITH_AUTH]
    + sorted((Path(__file__).parent / "mongo").glob("*.yaml"))
    + [Path(__file__).parent / "schemas" / f"{stem}.yaml" for stem in ("library", "hostile_names", "long_names")]
)


def backend_or_skip(backend: str) -> None:
    if backend == "server" and not MONGODB_URL:
        pytest.skip(SKIP_NO_SERVER)


# ---------------------------------------------------------------------------------------------
# TEST-ONLY adapters for mongomock


class _NoSession:
    """TEST-ONLY: stands in for a client session, which mongomock does not support."""

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


async def _start_session(**_: Any) -> _NoSession:
    return _NoSession()


def _sort_decimals() -> None:
    """TEST-ONLY: mongomock cannot order Decimal128 values (a server orders them as numbers); its sort
    key and its comparisons ($lt, ...) take them as the decimals they hold."""
    from mongomock import filtering

    if getattr(filtering.BsonComparable, "_decimals", False):
        return
    plain_init, plain_compare = filtering.BsonComparable.__init__, filtering.bson_compare

    def init(self: Any, obj: Any) -> None:
        plain_init(self, obj.to_decimal() if isinstance(obj, Decimal128) else obj)

    def compare(op: Any, a: Any, b: Any, *args: Any, **kwargs: Any) -> Any:
        a, b = (v.to_decimal() if isinstance(v, Decimal128) else v for v in (a, b))
        return plain_compare(op, a, b, *args, **kwargs)

    filtering.BsonComparable.__init__ = init
    filtering.bson_compare = compare
    filtering.BsonComparable._decimals = True


def _partial_indexes() -> None:
    """TEST-ONLY: mongomock's `create_indexes` drops an IndexModel's `partialFilterExpression` (its
    `create_index` keeps it, and a server keeps it either way); this passes it on."""
    from mongomock import collection

    if getattr(collection.Collection, "_partial_indexes", False):
        return

    def create_indexes(self: Any, indexes: Any, session: Any = None) -> list[str]:
        names = []
        for index in indexes:
            document = dict(index.document)
            key = document.pop("key")
            names.append(self.create_index(list(key.items()), session=session, **document))
        return names

    collection.Collection.create_indexes = create_indexes
    collection.Collection._partial_indexes = True


def mongomock_client() -> Any:
    """TEST-ONLY: a mongomock-motor client whose `start_session` yields no session (ODMantic opens one),
    whose sorts order decimals, and whose `create_indexes` keeps partial filters."""
    from mongomock_motor import AsyncMongoMockClient

    _sort_decimals()
    _partial_indexes()

    client: Any = AsyncMongoMockClient()
    client.start_session = _start_session
    return client


class RecordingDatabase:
    """TEST-ONLY: a mongomock database that records the validators applied to it.

    mongomock rejects `create_collection(..., validator=...)` and has no `collMod`; this wrapper creates the
    collection plainly, keeps the validator in `validators`, and passes everything else through. On a real
    server the database is used as it is (it enforces the validators itself)."""

    def __init__(self, db: Any) -> None:
        self._db = db
        self.validators: dict[str, dict[str, Any]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    def __getitem__(self, name: str) -> Any:
        return _RecordingCollection(self, name)

    async def create_collection(self, name: str, validator: dict[str, Any] | None = None, **_: Any) -> Any:
        if validator is not None:
            self.validators[name] = validator
        return await self._db.create_collection(name)

    async def drop_collection(self, name: str) -> Any:
        self.validators.pop(name, None)
        return await self._db.drop_collection(name)

    async def command(self, command: str, name: str, validator: dict[str, Any] | None = None, **_: Any) -> Any:
        assert command == "collMod", f"unexpected command {command}"
        if validator is not None:
            self.validators[name] = validator
        return {"ok": 1.0}


class _RecordingCollection:
    """TEST-ONLY: a collection of RecordingDatabase; a rename carries the recorded validator along, as a
    server does."""

    def __init__(self, owner: RecordingDatabase, name: str) -> None:
        self._owner = owner
        self._collection = owner._db[name]
        self._name = name

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    async def rename(self, new: str, **kwargs: Any) -> Any:
        result = await self._collection.rename(new, **kwargs)
        if self._name in self._owner.validators:
            self._owner.validators[new] = self._owner.validators.pop(self._name)
        return result


@dataclass
class Backend:
    name: str
    client: Any
    database: str

    @property
    def db(self) -> Any:
        return self.client[self.database]


@contextlib.asynccontextmanager
async def open_backend(name: str) -> AsyncIterator[Backend]:
    """A fresh database on mongomock or on the MONGODB_URL server (dropped afterwards)."""
    database = f"sf_test_{uuid.uuid4().hex[:12]}"
    if name == "mongomock":
        yield Backend(name, mongomock_client(), database)
        return
    from motor.motor_asyncio import AsyncIOMotorClient

    client: Any = AsyncIOMotorClient(MONGODB_URL)
    try:
        yield Backend(name, client, database)
    finally:
        await client.drop_database(database)
        client.close()


def database_for_setup(backend: Backend) -> Any:
    """What `mongo/indexes.py` and the migrations get: the recording wrapper on mongomock, the database on a server."""
    return RecordingDatabase(backend.db) if backend.name == "mongomock" else backend.db


# ---------------------------------------------------------------------------------------------
# Independent $jsonSchema checker


def _is_int32(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and -(2**31) <= v < 2**31


BSON_TYPES: dict[str, Any] = {
    "objectId": lambda v: isinstance(v, ObjectId),
    "string": lambda v: isinstance(v, str),
    "int": _is_int32,
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "double": lambda v: isinstance(v, float),
    "decimal": lambda v: isinstance(v, decimal.Decimal),
    "bool": lambda v: isinstance(v, bool),
    "date": lambda v: isinstance(v, dt.datetime),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "binData": lambda v: isinstance(v, bytes),
    "null": lambda v: v is None,
    # JSON Schema's own names, used by keywords such as minimum/maxLength to decide whether they apply:
    "number": lambda v: isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}

_CHECKER = jsonschema.TypeChecker({name: (lambda f: lambda _checker, v: f(v))(f) for name, f in BSON_TYPES.items()})
_Validator = jsonschema.validators.extend(jsonschema.Draft7Validator, type_checker=_CHECKER)

#: $jsonSchema keywords this checker understands (anything else fails the test: no silent pass).
KNOWN_KEYWORDS = {
    "bsonType",
    "required",
    "properties",
    "additionalProperties",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "items",
    "title",
    "description",
}


def translate(schema: Any) -> Any:
    """`$jsonSchema` -> JSON Schema: `bsonType` becomes `type` (with the BSON type names above)."""
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "bsonType":
                out["type"] = value
            elif key == "properties":
                out[key] = {name: translate(sub) for name, sub in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = translate(value)
            else:
                assert key in KNOWN_KEYWORDS, f"the checker does not know $jsonSchema keyword {key!r}"
                out[key] = value
        return out
    return schema


def plain(document: Any) -> Any:
    """A stored document with BSON values the checker compares: Decimal128 -> Decimal."""
    if isinstance(document, dict):
        return {k: plain(v) for k, v in document.items()}
    if isinstance(document, list):
        return [plain(v) for v in document]
    if isinstance(document, Decimal128):
        return document.to_decimal()
    return document


class BsonSchemaChecker:
    def __init__(self, validator: dict[str, Any]) -> None:
        self.schema = translate(validator["$jsonSchema"])
        self.validator = _Validator(self.schema)

    def errors(self, document: dict[str, Any]) -> list[str]:
        return [e.message for e in self.validator.iter_errors(plain(document))]


def invalid_variants(validator: dict[str, Any], document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Copies of a valid document that the validator must reject, one rule each: a missing required field, a
    wrong type, a pattern / enum / length / range violation, an unknown field."""
    schema = validator["$jsonSchema"]
    out: list[tuple[str, dict[str, Any]]] = []

    def variant(label: str, name: str, value: Any, *, delete: bool = False) -> None:
        doc = copy.deepcopy(document)
        if delete:
            doc.pop(name, None)
        else:
            doc[name] = value
        out.append((label, doc))

    for name in schema.get("required", []):
        variant(f"missing required {name}", name, None, delete=True)
    for name, prop in schema["properties"].items():
        types = prop["bsonType"] if isinstance(prop["bsonType"], list) else [prop["bsonType"]]
        wrong = [1.5, "text", True, ["x"], {"x": 1}]
        for candidate in wrong:
            if not any(BSON_TYPES[t](candidate) for t in types):
                variant(f"wrong type for {name}", name, candidate)
                break
        if "enum" in prop:
            variant(f"enum {name}", name, "not-a-member-of-the-enum")
        if "pattern" in prop:
            variant(f"pattern {name}", name, "\n!")
        if "maxLength" in prop:
            variant(f"maxLength {name}", name, "x" * (prop["maxLength"] + 1))
        if "minLength" in prop and prop["minLength"] > 0:
            variant(f"minLength {name}", name, "")
        if "minimum" in prop:
            below = decimal.Decimal(str(prop["minimum"])) - 1
            value: Any = (
                Decimal128(below) if "decimal" in types else (float(below) if "double" in types else int(below))
            )
            variant(f"minimum {name}", name, value)
        if "maximum" in prop:
            above = decimal.Decimal(str(prop["maximum"])) + 1
            value = Decimal128(above) if "decimal" in types else (float(above) if "double" in types else int(above))
            variant(f"maximum {name}", name, value)
    if schema.get("additionalProperties") is False:
        variant("unknown field", "not_in_the_schema", 1)
    return out


# ---------------------------------------------------------------------------------------------
# The generated app


def _forget_project_modules() -> None:
    for name in list(sys.modules):
        if name in ("app", "mongo", "tests") or name.startswith(("app.", "mongo.", "tests.")):
            del sys.modules[name]


@contextlib.contextmanager
def loaded_mongo_app(root: Path) -> Iterator[ModuleType]:
    """Imports `app.main` of the generated MongoDB project at `root`; forgets it afterwards."""
    _forget_project_modules()
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        main = importlib.import_module("app.main")
        assert Path(main.__file__ or "").is_relative_to(root), f"imported the wrong app: {main.__file__}"
        yield main
    finally:
        sys.path.remove(str(root))
        _forget_project_modules()


# ---------------------------------------------------------------------------------------------
# Request bodies from the app's OpenAPI description

OBJECT_ID_PATTERN = "^[0-9a-f]{24}$"


def _if_matching(schema: dict[str, Any], candidate: str, fallback: str) -> str:
    return candidate if "pattern" not in schema or re.search(schema["pattern"], candidate) else fallback


class Payloads:
    """Valid field values from a Create schema in the OpenAPI document; unique per call."""

    def __init__(self, openapi: dict[str, Any]) -> None:
        self.components = openapi["components"]["schemas"]
        self.counter = itertools.count(1)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in schema:
            return self.resolve(self.components[schema["$ref"].split("/")[-1]])
        if "anyOf" in schema:
            branches = [b for b in schema["anyOf"] if b.get("type") != "null"]
            # Decimals are `number | string`: take the number.
            numbers = [b for b in branches if b.get("type") == "number"]
            return self.resolve(numbers[0] if numbers else branches[0])
        return schema

    def value(self, schema: dict[str, Any], n: int) -> Any:
        s = self.resolve(schema)
        if "enum" in s:
            return s["enum"][n % len(s["enum"])]
        t = s.get("type")
        if t == "string":
            if OBJECT_ID_PATTERN in s.get("pattern", ""):  # alone, or after the API's "no NUL"
                raise LookupError("reference")
            if s.get("format") == "date":
                return (dt.date(2024, 1, 1) + dt.timedelta(days=n)).isoformat()
            if s.get("format") == "date-time":
                # Recent: a TTL index would expire an old time at once.
                now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
                return (now + dt.timedelta(minutes=n)).isoformat()
            if s.get("format") in ("binary", "base64url", "base64") or s.get("contentEncoding") == "base64":
                return base64.b64encode(b"bytes-%d" % n).decode()
            if "pattern" in s:
                text = string_for_pattern(s["pattern"], f"{n}")
            else:
                text = f"v{n}"
            # Padded or cut to the lengths where the pattern still matches (the distinguishing tail
            # survives a maxLength cut).
            if len(text) < s.get("minLength", 0):
                text = _if_matching(s, text.rjust(s["minLength"], "x"), text)
            if len(text) > s.get("maxLength", len(text)):
                text = _if_matching(s, text[-s["maxLength"] :], text)
            return text
        if t == "integer":
            lo = s.get("minimum", 1)
            hi = s.get("maximum", lo + 10_000)
            return max(lo, min(hi, lo + n))
        if t == "number":
            lo = s.get("minimum", 0)
            return lo + n
        if t == "boolean":
            return n % 2 == 0
        if t == "array":
            items = self.resolve(s.get("items", {}))
            return [self.value(items, n)] if items else []
        if "properties" in s:
            # A nested document (an embedded entity's Create schema).
            out: dict[str, Any] = {}
            for name, prop in s["properties"].items():
                try:
                    out[name] = self.value(prop, n)
                except LookupError:
                    if name in s.get("required", []):
                        raise
            return out
        if t == "object" or not t:
            return {"n": n}
        raise AssertionError(f"no value for schema {s}")


@dataclass
class Resource:
    entity: str
    prefix: str
    create: str
    references: dict[str, str]  # field -> entity


def resources(app: Any, openapi: dict[str, Any]) -> dict[str, Resource]:
    """Every entity's route prefix, Create schema and references (from app.crud.<module>.REFERENCES)."""
    out: dict[str, Resource] = {}
    for path, item in openapi["paths"].items():
        post = item.get("post")
        if not post or not path.endswith("/") or path.count("/") != 4:
            continue
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        create = ref.split("/")[-1]
        entity = create.removesuffix("Create")
        out[entity] = Resource(entity, path.rstrip("/"), create, {})
    for resource in out.values():
        module = importlib.import_module(f"app.crud.{_module(app, resource.entity)}")
        resource.references = {field: _entity_of(model.__name__, out) for field, model in module.REFERENCES.items()}
    return out


def _entity_of(class_name: str, entities: dict[str, Resource]) -> str:
    """The entity of a model class: its name, or its name less the suffix the generator adds when the
    entity's name is taken by an import (`Response` -> `ResponseModel`)."""
    for suffix in ("", "Model", "Entity"):
        if class_name.endswith(suffix) and class_name.removesuffix(suffix) in entities:
            return class_name.removesuffix(suffix) if suffix else class_name
    return class_name


def _module(app: Any, entity: str) -> str:
    models = importlib.import_module("app.models")
    for model in models.MODELS:
        if model.__name__ in (entity, f"{entity}Model", f"{entity}Entity"):  # the class name allocated beside imports
            return str(model.__module__).split(".")[-1]
    raise LookupError(entity)


def sample_document(validator: dict[str, Any], n: int = 1) -> dict[str, Any]:
    """A document that satisfies a `$jsonSchema` (for migration tests, where the validator of each step is
    the reference; the validators themselves are checked against app-written documents elsewhere)."""
    doc: dict[str, Any] = {}
    for name, prop in validator["$jsonSchema"]["properties"].items():
        doc[name] = _sample_value(prop, n)
    return doc


def _sample_value(prop: dict[str, Any], n: int) -> Any:
    types = prop["bsonType"] if isinstance(prop["bsonType"], list) else [prop["bsonType"]]
    t = next(t for t in types if t != "null")
    if "enum" in prop:
        return next(v for v in prop["enum"] if v is not None)
    if t == "objectId":
        return ObjectId()
    if t == "string":
        text = string_for_pattern(prop["pattern"], str(n)) if "pattern" in prop else f"s{n}"
        text = text.ljust(prop.get("minLength", 0), "x")
        return text[: prop["maxLength"]] if "maxLength" in prop and "pattern" not in prop else text
    if t in ("int", "long"):
        return int(prop.get("minimum", n))
    if t == "double":
        return float(prop.get("minimum", n))
    if t == "decimal":
        return Decimal128(str(prop.get("minimum", n)))
    if t == "bool":
        return True
    if t == "date":
        return dt.datetime(2024, 1, 1)
    if t == "object":
        return {}
    if t == "array":
        return []
    if t == "binData":
        return b"x"
    raise AssertionError(f"no sample for {prop}")
