"""TEST-ONLY: a generated MongoDB project's app on mongomock, for uvicorn (`mongo_served:app`).

MongoDB cannot be installed here; the fuzz test (test_api_fuzz.py) serves the project's own `app.main:app`
with one change: its lifespan's `make_engine` builds the engine on an in-process mongomock client (through
mongo_support's TEST-ONLY adapter) instead of `MONGODB_URL`. Everything else (routers, CRUD, schemas, error
handlers, the indexes `configure_database` creates) is the generated code as it is. Run with the project
folder as the working directory: `python -m uvicorn mongo_served:app --app-dir <integration>`.
With MONGODB_URL set, the app is served unchanged on that server instead.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import app.main as generated
from mongo_support import mongomock_client
from odmantic import AIOEngine

if not os.environ.get("MONGODB_URL"):

    def _mongomock_engine(*_: Any, **__: Any) -> AIOEngine:
        return AIOEngine(client=mongomock_client(), database=f"fuzz_{uuid.uuid4().hex[:12]}")

    generated.make_engine = _mongomock_engine  # type: ignore[assignment]

app = generated.app
