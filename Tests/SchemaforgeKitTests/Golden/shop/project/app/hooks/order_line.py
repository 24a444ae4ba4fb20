# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of OrderLine: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.order_line import OrderLine
from app.schemas.order_line import OrderLineCreate, OrderLineUpdate


async def before_create(
    session: AsyncSession, body: OrderLineCreate
) -> OrderLineCreate:
    """Before a OrderLine is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, order_line: OrderLine) -> None:
    """After a OrderLine is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, order_line: OrderLine, body: OrderLineUpdate
) -> OrderLineUpdate:
    """Before a OrderLine is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, order_line: OrderLine) -> None:
    """After a OrderLine is changed (not yet committed)."""


async def before_delete(session: AsyncSession, order_line: OrderLine) -> None:
    """Before a OrderLine is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, order_line: OrderLine) -> None:
    """After a OrderLine is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[OrderLine]
) -> Select[OrderLine]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
