# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Loan: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.loan import Loan
from app.schemas.loan import LoanCreate, LoanUpdate


async def before_create(session: AsyncSession, body: LoanCreate) -> LoanCreate:
    """Before a Loan is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, loan: Loan) -> None:
    """After a Loan is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, loan: Loan, body: LoanUpdate
) -> LoanUpdate:
    """Before a Loan is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, loan: Loan) -> None:
    """After a Loan is changed (not yet committed)."""


async def before_delete(session: AsyncSession, loan: Loan) -> None:
    """Before a Loan is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, loan: Loan) -> None:
    """After a Loan is deleted (not yet committed)."""


async def filter_list(session: AsyncSession, statement: Select[Loan]) -> Select[Loan]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
