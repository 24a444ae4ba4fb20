# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Review: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.review import Review
from app.schemas.review import ReviewCreate, ReviewUpdate


async def before_create(session: AsyncSession, body: ReviewCreate) -> ReviewCreate:
    """Before a Review is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, review: Review) -> None:
    """After a Review is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, review: Review, body: ReviewUpdate
) -> ReviewUpdate:
    """Before a Review is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, review: Review) -> None:
    """After a Review is changed (not yet committed)."""


async def before_delete(session: AsyncSession, review: Review) -> None:
    """Before a Review is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, review: Review) -> None:
    """After a Review is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Review]
) -> Select[Review]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
