# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Badge: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.badge import Badge
from app.schemas.badge import BadgeCreate, BadgeUpdate


async def before_create(session: AsyncSession, body: BadgeCreate) -> BadgeCreate:
    """Before a Badge is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, badge: Badge) -> None:
    """After a Badge is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, badge: Badge, body: BadgeUpdate
) -> BadgeUpdate:
    """Before a Badge is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, badge: Badge) -> None:
    """After a Badge is changed (not yet committed)."""


async def before_delete(session: AsyncSession, badge: Badge) -> None:
    """Before a Badge is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, badge: Badge) -> None:
    """After a Badge is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Badge]) -> Select[Badge]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
