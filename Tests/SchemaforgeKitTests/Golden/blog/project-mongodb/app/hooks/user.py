# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of User: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.user import User
from app.schemas.user import UserCreate, UserUpdate


async def before_create(engine: AIOEngine, body: UserCreate) -> UserCreate:
    """Before a User is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, user: User) -> None:
    """After a User is inserted."""


async def before_update(engine: AIOEngine, user: User, body: UserUpdate) -> UserUpdate:
    """Before a User is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, user: User) -> None:
    """After a User is changed."""


async def before_delete(engine: AIOEngine, user: User) -> None:
    """Before a User is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, user: User) -> None:
    """After a User is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
