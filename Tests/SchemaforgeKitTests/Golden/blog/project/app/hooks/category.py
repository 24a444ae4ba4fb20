# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Category: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryUpdate


async def before_create(session: AsyncSession, body: CategoryCreate) -> CategoryCreate:
    """Before a Category is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, category: Category) -> None:
    """After a Category is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, category: Category, body: CategoryUpdate
) -> CategoryUpdate:
    """Before a Category is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, category: Category) -> None:
    """After a Category is changed (not yet committed)."""


async def before_delete(session: AsyncSession, category: Category) -> None:
    """Before a Category is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, category: Category) -> None:
    """After a Category is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Category]
) -> Select[Category]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
