# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Profile: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.profile import Profile
from app.schemas.profile import ProfileCreate, ProfileUpdate


async def before_create(session: AsyncSession, body: ProfileCreate) -> ProfileCreate:
    """Before a Profile is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, profile: Profile) -> None:
    """After a Profile is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, profile: Profile, body: ProfileUpdate
) -> ProfileUpdate:
    """Before a Profile is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, profile: Profile) -> None:
    """After a Profile is changed (not yet committed)."""


async def before_delete(session: AsyncSession, profile: Profile) -> None:
    """Before a Profile is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, profile: Profile) -> None:
    """After a Profile is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Profile]
) -> Select[Profile]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
