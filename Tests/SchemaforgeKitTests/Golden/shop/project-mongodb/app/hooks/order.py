# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Order: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.order import Order
from app.schemas.order import OrderCreate, OrderUpdate


async def before_create(engine: AIOEngine, body: OrderCreate) -> OrderCreate:
    """Before a Order is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, order_obj: Order) -> None:
    """After a Order is inserted."""


async def before_update(
    engine: AIOEngine, order_obj: Order, body: OrderUpdate
) -> OrderUpdate:
    """Before a Order is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, order_obj: Order) -> None:
    """After a Order is changed."""


async def before_delete(engine: AIOEngine, order_obj: Order) -> None:
    """Before a Order is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, order_obj: Order) -> None:
    """After a Order is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
