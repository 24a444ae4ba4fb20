# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Profile: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.profile import Profile
from app.schemas.profile import ProfileCreate, ProfileUpdate


async def before_create(engine: AIOEngine, body: ProfileCreate) -> ProfileCreate:
    """Before a Profile is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, profile: Profile) -> None:
    """After a Profile is inserted."""


async def before_update(
    engine: AIOEngine, profile: Profile, body: ProfileUpdate
) -> ProfileUpdate:
    """Before a Profile is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, profile: Profile) -> None:
    """After a Profile is changed."""


async def before_delete(engine: AIOEngine, profile: Profile) -> None:
    """Before a Profile is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, profile: Profile) -> None:
    """After a Profile is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
