# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Shipment: the generated CRUD calls them around every write, in the request's transaction.

Raise an `HTTPException` (409, 422) to refuse: the request answers it and nothing is written.
A write hook may run more queries on `session`; they commit with the request."""

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.shipment import Shipment
from app.schemas.shipment import ShipmentCreate, ShipmentUpdate


async def before_create(session: AsyncSession, body: ShipmentCreate) -> ShipmentCreate:
    """Before a Shipment is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(session: AsyncSession, shipment: Shipment) -> None:
    """After a Shipment is inserted (not yet committed)."""


async def before_update(
    session: AsyncSession, shipment: Shipment, body: ShipmentUpdate
) -> ShipmentUpdate:
    """Before a Shipment is changed: returns the changes to apply."""
    return body


async def after_update(session: AsyncSession, shipment: Shipment) -> None:
    """After a Shipment is changed (not yet committed)."""


async def before_delete(session: AsyncSession, shipment: Shipment) -> None:
    """Before a Shipment is deleted: raise to refuse."""


async def after_delete(session: AsyncSession, shipment: Shipment) -> None:
    """After a Shipment is deleted (not yet committed)."""


async def filter_list(
    session: AsyncSession, statement: Select[Shipment]
) -> Select[Shipment]:
    """The query of the list route and its count: add default filters (tenancy, soft delete)."""
    return statement
