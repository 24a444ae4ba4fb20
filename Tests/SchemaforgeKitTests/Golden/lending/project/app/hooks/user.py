# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of User: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User
from app.schemas.user import UserCreate, UserUpdate


async def before_create(session: AsyncSession, body: UserCreate) -> UserCreate:
    """Before a User is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, user: User) -> None:
    """After a User is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, user: User, body: UserUpdate
) -> UserUpdate:
    """Before a User is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, user: User) -> None:
    """After a User is changed (not yet committed)."""


async def before_delete(session: AsyncSession, user: User) -> None:
    """Before a User is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, user: User) -> None:
    """After a User is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[User]) -> Select[User]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
