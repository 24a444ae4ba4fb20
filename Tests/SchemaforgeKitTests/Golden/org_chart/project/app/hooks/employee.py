# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Employee: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.employee import Employee
from app.schemas.employee import EmployeeCreate, EmployeeUpdate


async def before_create(session: AsyncSession, body: EmployeeCreate) -> EmployeeCreate:
    """Before a Employee is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, employee: Employee) -> None:
    """After a Employee is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, employee: Employee, body: EmployeeUpdate
) -> EmployeeUpdate:
    """Before a Employee is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, employee: Employee) -> None:
    """After a Employee is changed (not yet committed)."""


async def before_delete(session: AsyncSession, employee: Employee) -> None:
    """Before a Employee is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, employee: Employee) -> None:
    """After a Employee is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Employee]
) -> Select[Employee]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
