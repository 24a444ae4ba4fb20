"""TEST-ONLY: a pytest plugin that runs a generated MongoDB project's own tests (its tests/) on mongomock.

MongoDB cannot be installed here. Loaded with `-p mongomock_plugin` (this folder on PYTHONPATH, the project
folder as the working directory), it changes two names before the project's conftest imports them:
`app.db.make_engine` builds the engine on an in-process mongomock client (mongo_support's TEST-ONLY adapter),
and `mongo.indexes.ensure` applies the validators through `RecordingDatabase` (mongomock has no
`create_collection(validator=...)`). The tests, the app, the routers, CRUD and the indexes `configure_database`
creates are the generated code as it is. With TEST_MONGODB_URL set, nothing is changed: the tests use that server.
"""

from __future__ import annotations

import os
from typing import Any

if not os.environ.get("TEST_MONGODB_URL"):
    import app.db
    import mongo.indexes
    from mongo_support import RecordingDatabase, mongomock_client
    from odmantic import AIOEngine

    # The conftest skips without a URL; this one is never connected to.
    os.environ["TEST_MONGODB_URL"] = "mongodb://mongomock.invalid"
    _ensure = mongo.indexes.ensure

    def _make_engine(_url: str | None = None, database: str | None = None) -> AIOEngine:
        return AIOEngine(client=mongomock_client(), database=database or "test")

    async def _recording_ensure(db: Any) -> None:
        await _ensure(RecordingDatabase(db))

    app.db.make_engine = _make_engine  # type: ignore[assignment]
    mongo.indexes.ensure = _recording_ensure  # type: ignore[assignment]
