# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Book: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.book import Book
from app.schemas.book import BookCreate, BookUpdate


async def before_create(session: AsyncSession, body: BookCreate) -> BookCreate:
    """Before a Book is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, book: Book) -> None:
    """After a Book is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, book: Book, body: BookUpdate
) -> BookUpdate:
    """Before a Book is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, book: Book) -> None:
    """After a Book is changed (not yet committed)."""


async def before_delete(session: AsyncSession, book: Book) -> None:
    """Before a Book is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, book: Book) -> None:
    """After a Book is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Book]) -> Select[Book]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
