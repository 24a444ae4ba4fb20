# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Department: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.department import Department
from app.schemas.department import DepartmentCreate, DepartmentUpdate


async def before_create(engine: AIOEngine, body: DepartmentCreate) -> DepartmentCreate:
    """Before a Department is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, department: Department) -> None:
    """After a Department is inserted."""


async def before_update(
    engine: AIOEngine, department: Department, body: DepartmentUpdate
) -> DepartmentUpdate:
    """Before a Department is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, department: Department) -> None:
    """After a Department is changed."""


async def before_delete(engine: AIOEngine, department: Department) -> None:
    """Before a Department is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, department: Department) -> None:
    """After a Department is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
