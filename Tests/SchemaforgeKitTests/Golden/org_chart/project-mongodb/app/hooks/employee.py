# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Employee: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.employee import Employee
from app.schemas.employee import EmployeeCreate, EmployeeUpdate


async def before_create(engine: AIOEngine, body: EmployeeCreate) -> EmployeeCreate:
    """Before a Employee is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, employee: Employee) -> None:
    """After a Employee is inserted."""


async def before_update(
    engine: AIOEngine, employee: Employee, body: EmployeeUpdate
) -> EmployeeUpdate:
    """Before a Employee is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, employee: Employee) -> None:
    """After a Employee is changed."""


async def before_delete(engine: AIOEngine, employee: Employee) -> None:
    """Before a Employee is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, employee: Employee) -> None:
    """After a Employee is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
