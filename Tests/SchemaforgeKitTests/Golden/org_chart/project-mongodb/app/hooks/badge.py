# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Badge: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.badge import Badge
from app.schemas.badge import BadgeCreate, BadgeUpdate


async def before_create(engine: AIOEngine, body: BadgeCreate) -> BadgeCreate:
    """Before a Badge is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, badge: Badge) -> None:
    """After a Badge is inserted."""


async def before_update(
    engine: AIOEngine, badge: Badge, body: BadgeUpdate
) -> BadgeUpdate:
    """Before a Badge is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, badge: Badge) -> None:
    """After a Badge is changed."""


async def before_delete(engine: AIOEngine, badge: Badge) -> None:
    """Before a Badge is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, badge: Badge) -> None:
    """After a Badge is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
