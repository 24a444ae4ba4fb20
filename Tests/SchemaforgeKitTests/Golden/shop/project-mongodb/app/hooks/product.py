# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Product: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.product import Product
from app.schemas.product import ProductCreate, ProductUpdate


async def before_create(engine: AIOEngine, body: ProductCreate) -> ProductCreate:
    """Before a Product is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, product: Product) -> None:
    """After a Product is inserted."""


async def before_update(
    engine: AIOEngine, product: Product, body: ProductUpdate
) -> ProductUpdate:
    """Before a Product is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, product: Product) -> None:
    """After a Product is changed."""


async def before_delete(engine: AIOEngine, product: Product) -> None:
    """Before a Product is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, product: Product) -> None:
    """After a Product is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
