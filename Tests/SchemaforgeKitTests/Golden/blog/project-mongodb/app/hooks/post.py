# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Post: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.post import Post
from app.schemas.post import PostCreate, PostUpdate


async def before_create(engine: AIOEngine, body: PostCreate) -> PostCreate:
    """Before a Post is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, post: Post) -> None:
    """After a Post is inserted."""


async def before_update(engine: AIOEngine, post: Post, body: PostUpdate) -> PostUpdate:
    """Before a Post is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, post: Post) -> None:
    """After a Post is changed."""


async def before_delete(engine: AIOEngine, post: Post) -> None:
    """Before a Post is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, post: Post) -> None:
    """After a Post is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
