"""A migration does not hold up a busy PostgreSQL table for longer than its lock_timeout.

A long transaction reads the table (it holds a lock the migration's ALTER TABLE must wait for). The
migration script (`schemaforge diff --format sql`) starts, then an application writes to the table. A
waiting ALTER TABLE queues every later statement on the table behind it: without a lock_timeout the
write would wait for the long transaction to end. With the script's lock_timeout the ALTER gives up,
the write goes through within that time, and the script, run again from the statement that failed
once the table is quiet, completes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa

from conftest import Schemaforge, fresh_database, split_sql

V1 = "schema: 1\nname: busy\nentities:\n  Item:\n    fields:\n      qty: int\n"
V2 = "schema: 1\nname: busy\nentities:\n  Item:\n    fields:\n      qty: {type: int, min: 0}\n"
HOLD_SECONDS = 20


def test_a_waiting_migration_gives_up_at_its_lock_timeout(schemaforge: Schemaforge, tmp_path: Path) -> None:
    (tmp_path / "v1.yaml").write_text(V1)
    (tmp_path / "v2.yaml").write_text(V2)
    script = schemaforge.run("diff", tmp_path / "v1.yaml", tmp_path / "v2.yaml", "--format", "sql", "--dialect", "postgresql").stdout
    statements = split_sql(script)
    assert any("NOT VALID" in s for s in statements), script
    with fresh_database("postgresql", tmp_path) as db:
        db.run_script(schemaforge.sql(tmp_path / "v1.yaml", "postgresql").sql)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO item (qty) SELECT g FROM generate_series(1, 1000) g")

        reading = threading.Event()
        release = threading.Event()

        def long_reader() -> None:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM item").scalar_one()  # the transaction holds its lock
                reading.set()
                release.wait(HOLD_SECONDS)
                conn.rollback()

        failure: list[str] = []
        done_at: list[int] = []

        def migrate() -> None:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                for n, statement in enumerate(statements):
                    try:
                        conn.exec_driver_sql(statement)
                    except sa.exc.DBAPIError as exc:
                        failure.append(str(exc.orig))
                        done_at.append(n)
                        return
                done_at.append(len(statements))

        reader = threading.Thread(target=long_reader)
        reader.start()
        assert reading.wait(10)
        migration = threading.Thread(target=migrate)
        migration.start()
        time.sleep(1)  # the migration's ALTER TABLE is waiting for the reader's lock now
        started = time.monotonic()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO item (qty) VALUES (-1)")
        waited = time.monotonic() - started
        migration.join(30)
        release.set()
        reader.join(30)

        assert failure and "lock timeout" in failure[0], failure
        # The write waited for the ALTER's lock_timeout (5 s) at most, not for the long reader.
        assert waited < 8, f"the insert waited {waited:.1f} s"
        # Run again from the statement that failed, now that the table is quiet: the -1 written
        # meanwhile is refused by the CHECK's validation, as it should; without it the script completes.
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM item WHERE qty < 0")
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in statements[:2] + statements[done_at[0] :]:  # the timeouts, then the rest
                conn.exec_driver_sql(statement)
            checks = conn.exec_driver_sql(
                "SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'item'::regclass AND contype = 'c'"
            ).all()
        assert [tuple(c) for c in checks] == [("ck_item_qty_range", True)]
