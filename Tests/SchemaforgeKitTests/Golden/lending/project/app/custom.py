# Written once by schemaforge: this file is yours; `schemaforge generate` never changes it.
"""Your own routes. `app/main.py` mounts `router` under the API prefix (`/api/v1`), beside the
generated ones; `SessionDep` gives a route the request's session, committed before the response."""

from fastapi import APIRouter

router = APIRouter(tags=["custom"])
