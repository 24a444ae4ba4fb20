# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Tag: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.tag import Tag
from app.schemas.tag import TagCreate, TagUpdate


async def before_create(engine: AIOEngine, body: TagCreate) -> TagCreate:
    """Before a Tag is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, tag: Tag) -> None:
    """After a Tag is inserted."""


async def before_update(engine: AIOEngine, tag: Tag, body: TagUpdate) -> TagUpdate:
    """Before a Tag is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, tag: Tag) -> None:
    """After a Tag is changed."""


async def before_delete(engine: AIOEngine, tag: Tag) -> None:
    """Before a Tag is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, tag: Tag) -> None:
    """After a Tag is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
