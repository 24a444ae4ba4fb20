"""Pages of a list: keyset (cursor) pages on the sort key and the primary key, and the count.

A cursor is the sort and the key values of the last row served, base64url-encoded JSON:
opaque to clients, who pass `next_cursor` back as `?cursor=`. One the list did not issue
(undecodable, of another sort, values not of the columns' types) is a 400: the OpenAPI can
say what a cursor looks like, not which ones the API issued. The next page is then a range
scan from that row (`WHERE key > last`), which costs the same on page 1 and page 10,000,
and a row inserted or deleted between two requests neither repeats nor skips a row.
NULLs sort last in both directions, on every database.
"""

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from pydantic import TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import ColumnElement, Select, and_, false, func, literal, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

INVALID_CURSOR = "invalid cursor: pass back a next_cursor of this list, with its sort"


@dataclass(frozen=True)
class Key:
    """One column of the order."""

    column: InstrumentedAttribute[Any]
    descending: bool

    @property
    def nullable(self) -> bool:
        return bool(getattr(self.column.expression, "nullable", True))

    def value(self, row: object) -> Any:
        return getattr(row, self.column.key)

    def parse(self, value: Any) -> Any:
        """A value of the cursor's JSON as the column's Python type (400 if it is none)."""
        if value is None:
            return None
        if isinstance(value, str) and "\x00" in value:
            # No stored text has a NUL (and PostgreSQL refuses to compare with one).
            raise HTTPException(status_code=400, detail=INVALID_CURSOR)
        try:
            python_type = self.column.type.python_type
        except NotImplementedError:
            return value
        try:
            return TypeAdapter(python_type).validate_python(value)
        except ValidationError:
            raise HTTPException(status_code=400, detail=INVALID_CURSOR) from None


class Keyset:
    """The order of a list (`sort`, then the primary key) and its cursors."""

    def __init__(
        self,
        sortable: Mapping[str, InstrumentedAttribute[Any]],
        sort: str,
        key: Sequence[InstrumentedAttribute[Any]],
    ) -> None:
        self.sort = sort
        descending = sort.startswith("-")
        first = sortable[sort.removeprefix("-")]
        self.keys = [Key(first, descending)] + [
            Key(column, descending) for column in key if column is not first
        ]

    def order(self) -> list[ColumnElement[Any]]:
        """ORDER BY terms; `column IS NULL` first puts NULLs last everywhere."""
        terms: list[ColumnElement[Any]] = []
        for key in self.keys:
            if key.nullable:
                terms.append(key.column.is_(None))
            terms.append(key.column.desc() if key.descending else key.column.asc())
        return terms

    def after(self, cursor: str) -> ColumnElement[bool]:
        """The rows after the cursor's row, in this order."""
        values = self.decode(cursor)
        alternatives: list[ColumnElement[bool]] = []
        equal: list[ColumnElement[bool]] = []
        for key, value in zip(self.keys, values):
            if value is None:
                # After a NULL come only the NULLs that are later on the next keys.
                equal.append(key.column.is_(None))
                continue
            # A bound literal of the column's type (`>` takes no bare True or False).
            bound = literal(value, key.column.type)
            later = key.column < bound if key.descending else key.column > bound
            if key.nullable:
                later = or_(later, key.column.is_(None))
            alternatives.append(and_(*equal, later))
            equal.append(key.column == bound)
        condition = or_(*alternatives) if alternatives else false()
        first, value = self.keys[0], values[0]
        if value is not None and not first.nullable:
            # Redundant, but it lets the planner scan an index on the sort key from there.
            bound = literal(value, first.column.type)
            start = first.column <= bound if first.descending else first.column >= bound
            condition = and_(start, condition)
        return condition

    def next_cursor(self, rows: Sequence[object], limit: int) -> str | None:
        """The cursor after the last row of the page; None on the last page.

        `rows` holds up to `limit + 1` rows: one more than the page means there is a next page.
        """
        if len(rows) <= limit:
            return None
        last = rows[limit - 1]
        values = [to_jsonable_python(key.value(last)) for key in self.keys]
        text = json.dumps([self.sort, values], separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            sort, values = json.loads(base64.urlsafe_b64decode(padded))
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            raise HTTPException(status_code=400, detail=INVALID_CURSOR) from None
        if sort != self.sort or not isinstance(values, list):
            raise HTTPException(status_code=400, detail=INVALID_CURSOR)
        if len(values) != len(self.keys):
            raise HTTPException(status_code=400, detail=INVALID_CURSOR)
        return [key.parse(value) for key, value in zip(self.keys, values)]


async def count(session: AsyncSession, statement: Select[Any]) -> int:
    """How many rows the list's statement selects (one more query: asked for, not default)."""
    counted = statement.with_only_columns(func.count(), maintain_column_froms=True)
    return await session.scalar(counted.order_by(None)) or 0
