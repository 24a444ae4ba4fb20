# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Desk: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.desk import Desk
from app.schemas.desk import DeskCreate, DeskUpdate


async def before_create(engine: AIOEngine, body: DeskCreate) -> DeskCreate:
    """Before a Desk is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, desk: Desk) -> None:
    """After a Desk is inserted."""


async def before_update(engine: AIOEngine, desk: Desk, body: DeskUpdate) -> DeskUpdate:
    """Before a Desk is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, desk: Desk) -> None:
    """After a Desk is changed."""


async def before_delete(engine: AIOEngine, desk: Desk) -> None:
    """Before a Desk is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, desk: Desk) -> None:
    """After a Desk is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
