# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Group: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.group import Group
from app.schemas.group import GroupCreate, GroupUpdate


async def before_create(engine: AIOEngine, body: GroupCreate) -> GroupCreate:
    """Before a Group is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, group: Group) -> None:
    """After a Group is inserted."""


async def before_update(
    engine: AIOEngine, group: Group, body: GroupUpdate
) -> GroupUpdate:
    """Before a Group is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, group: Group) -> None:
    """After a Group is changed."""


async def before_delete(engine: AIOEngine, group: Group) -> None:
    """Before a Group is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, group: Group) -> None:
    """After a Group is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
