# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Shelf: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.shelf import Shelf
from app.schemas.shelf import ShelfCreate, ShelfUpdate


async def before_create(session: AsyncSession, body: ShelfCreate) -> ShelfCreate:
    """Before a Shelf is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, shelf: Shelf) -> None:
    """After a Shelf is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, shelf: Shelf, body: ShelfUpdate
) -> ShelfUpdate:
    """Before a Shelf is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, shelf: Shelf) -> None:
    """After a Shelf is changed (not yet committed)."""


async def before_delete(session: AsyncSession, shelf: Shelf) -> None:
    """Before a Shelf is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, shelf: Shelf) -> None:
    """After a Shelf is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Shelf]) -> Select[Shelf]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
