# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Desk: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.desk import Desk
from app.schemas.desk import DeskCreate, DeskUpdate


async def before_create(session: AsyncSession, body: DeskCreate) -> DeskCreate:
    """Before a Desk is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, desk: Desk) -> None:
    """After a Desk is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, desk: Desk, body: DeskUpdate
) -> DeskUpdate:
    """Before a Desk is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, desk: Desk) -> None:
    """After a Desk is changed (not yet committed)."""


async def before_delete(session: AsyncSession, desk: Desk) -> None:
    """Before a Desk is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, desk: Desk) -> None:
    """After a Desk is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Desk]) -> Select[Desk]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
