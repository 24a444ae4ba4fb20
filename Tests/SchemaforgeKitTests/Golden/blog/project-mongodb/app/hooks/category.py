# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Category: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.category import Category
from app.schemas.category import CategoryCreate, CategoryUpdate


async def before_create(engine: AIOEngine, body: CategoryCreate) -> CategoryCreate:
    """Before a Category is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, category: Category) -> None:
    """After a Category is inserted."""


async def before_update(
    engine: AIOEngine, category: Category, body: CategoryUpdate
) -> CategoryUpdate:
    """Before a Category is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, category: Category) -> None:
    """After a Category is changed."""


async def before_delete(engine: AIOEngine, category: Category) -> None:
    """Before a Category is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, category: Category) -> None:
    """After a Category is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
