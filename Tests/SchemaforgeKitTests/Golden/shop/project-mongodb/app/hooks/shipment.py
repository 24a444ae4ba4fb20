# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Hooks of Shipment: the generated CRUD and routes call them around every write.

Raise an `HTTPException` (409, 422) in a `before_` hook to refuse: nothing is written."""

from typing import Any

from odmantic import AIOEngine

from app.models.shipment import Shipment
from app.schemas.shipment import ShipmentCreate, ShipmentUpdate


async def before_create(engine: AIOEngine, body: ShipmentCreate) -> ShipmentCreate:
    """Before a Shipment is inserted: returns the body to insert (this one, or a changed copy)."""
    return body


async def after_create(engine: AIOEngine, shipment: Shipment) -> None:
    """After a Shipment is inserted."""


async def before_update(
    engine: AIOEngine, shipment: Shipment, body: ShipmentUpdate
) -> ShipmentUpdate:
    """Before a Shipment is changed: returns the changes to apply."""
    return body


async def after_update(engine: AIOEngine, shipment: Shipment) -> None:
    """After a Shipment is changed."""


async def before_delete(engine: AIOEngine, shipment: Shipment) -> None:
    """Before a Shipment is deleted: raise to refuse."""


async def after_delete(engine: AIOEngine, shipment: Shipment) -> None:
    """After a Shipment is deleted."""


async def filter_list(engine: AIOEngine, query: dict[str, Any]) -> dict[str, Any]:
    """The filter of the list route and its count: add default filters (tenancy, soft delete)."""
    return query
