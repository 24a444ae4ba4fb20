# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Order: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.order import Order
from app.schemas.order import OrderCreate, OrderUpdate


async def before_create(session: AsyncSession, body: OrderCreate) -> OrderCreate:
    """Before a Order is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, order_obj: Order) -> None:
    """After a Order is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, order_obj: Order, body: OrderUpdate
) -> OrderUpdate:
    """Before a Order is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, order_obj: Order) -> None:
    """After a Order is changed (not yet committed)."""


async def before_delete(session: AsyncSession, order_obj: Order) -> None:
    """Before a Order is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, order_obj: Order) -> None:
    """After a Order is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Order]) -> Select[Order]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
