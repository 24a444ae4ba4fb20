# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of OrderLine: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.order_line import OrderLine
from app.schemas.order_line import OrderLineCreate, OrderLineUpdate


async def before_create(engine: AIOEngine, body: OrderLineCreate) -> OrderLineCreate:
    """Before a OrderLine is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, order_line: OrderLine) -> None:
    """After a OrderLine is inserted."""


async def before_update(
    engine: AIOEngine, order_line: OrderLine, body: OrderLineUpdate
) -> OrderLineUpdate:
    """Before a OrderLine is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, order_line: OrderLine) -> None:
    """After a OrderLine is changed."""


async def before_delete(engine: AIOEngine, order_line: OrderLine) -> None:
    """Before a OrderLine is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, order_line: OrderLine) -> None:
    """After a OrderLine is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
