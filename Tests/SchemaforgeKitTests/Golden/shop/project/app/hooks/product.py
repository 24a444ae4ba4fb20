# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Product: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.product import Product
from app.schemas.product import ProductCreate, ProductUpdate


async def before_create(session: AsyncSession, body: ProductCreate) -> ProductCreate:
    """Before a Product is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, product: Product) -> None:
    """After a Product is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, product: Product, body: ProductUpdate
) -> ProductUpdate:
    """Before a Product is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, product: Product) -> None:
    """After a Product is changed (not yet committed)."""


async def before_delete(session: AsyncSession, product: Product) -> None:
    """Before a Product is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, product: Product) -> None:
    """After a Product is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Product]
) -> Select[Product]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
