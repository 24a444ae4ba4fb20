# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Your own routes. `app/main.py` mounts `router` under the API prefix (`/api/v1`), beside the
generated ones; `EngineDep` gives a route the ODMantic engine."""

from fastapi import APIRouter

router = APIRouter(tags=["custom"])
