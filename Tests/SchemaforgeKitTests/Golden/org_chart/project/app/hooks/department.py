# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Department: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.department import Department
from app.schemas.department import DepartmentCreate, DepartmentUpdate


async def before_create(
    session: AsyncSession, body: DepartmentCreate
) -> DepartmentCreate:
    """Before a Department is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, department: Department) -> None:
    """After a Department is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, department: Department, body: DepartmentUpdate
) -> DepartmentUpdate:
    """Before a Department is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, department: Department) -> None:
    """After a Department is changed (not yet committed)."""


async def before_delete(session: AsyncSession, department: Department) -> None:
    """Before a Department is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, department: Department) -> None:
    """After a Department is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Department]
) -> Select[Department]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
