# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Tag: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.tag import Tag
from app.schemas.tag import TagCreate, TagUpdate


async def before_create(session: AsyncSession, body: TagCreate) -> TagCreate:
    """Before a Tag is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, tag: Tag) -> None:
    """After a Tag is inserted (not yet committed)."""


async def before_update(session: AsyncSession, tag: Tag, body: TagUpdate) -> TagUpdate:
    """Before a Tag is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, tag: Tag) -> None:
    """After a Tag is changed (not yet committed)."""


async def before_delete(session: AsyncSession, tag: Tag) -> None:
    """Before a Tag is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, tag: Tag) -> None:
    """After a Tag is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Tag]) -> Select[Tag]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
