# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Group: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.group import Group
from app.schemas.group import GroupCreate, GroupUpdate


async def before_create(session: AsyncSession, body: GroupCreate) -> GroupCreate:
    """Before a Group is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, group: Group) -> None:
    """After a Group is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, group: Group, body: GroupUpdate
) -> GroupUpdate:
    """Before a Group is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, group: Group) -> None:
    """After a Group is changed (not yet committed)."""


async def before_delete(session: AsyncSession, group: Group) -> None:
    """Before a Group is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, group: Group) -> None:
    """After a Group is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Group]) -> Select[Group]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
