# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Post: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.post import Post
from app.schemas.post import PostCreate, PostUpdate


async def before_create(session: AsyncSession, body: PostCreate) -> PostCreate:
    """Before a Post is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, post: Post) -> None:
    """After a Post is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, post: Post, body: PostUpdate
) -> PostUpdate:
    """Before a Post is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, post: Post) -> None:
    """After a Post is changed (not yet committed)."""


async def before_delete(session: AsyncSession, post: Post) -> None:
    """Before a Post is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, post: Post) -> None:
    """After a Post is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Post]) -> Select[Post]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
