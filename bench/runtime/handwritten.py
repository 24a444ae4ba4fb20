"""The hand-written ceiling: asyncpg and orjson, one statement per read, the same JSON as the generated
app's routes for the benchmark's scenarios (posts of examples/blog.yaml with their tags)."""

import base64
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from fastapi import FastAPI, Request, Response

POOL: asyncpg.Pool | None = None
COLUMNS = (
    "p.id, p.title, p.body, p.published, p.meta, p.price::text AS price, p.published_on,"
    " p.author_id, p.created_at, p.updated_at,"
    " coalesce((SELECT json_agg(json_build_object('id', pt.tag_id) ORDER BY pt.tag_id)"
    " FROM post_tags pt WHERE pt.post_id = p.id), '[]') AS tags"
)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    global POOL
    POOL = await asyncpg.create_pool(os.environ["PG_DSN"], min_size=5, max_size=15)
    yield
    await POOL.close()


app = FastAPI(lifespan=lifespan)


def row_json(row: asyncpg.Record) -> dict[str, Any]:
    data = dict(row)
    data["tags"] = json.loads(data["tags"])
    data["meta"] = json.loads(data["meta"]) if data["meta"] is not None else None
    return data


def page(rows: list[asyncpg.Record], limit: int) -> bytes:
    data = [row_json(r) for r in rows[:limit]]
    cursor = None
    if len(rows) > limit:
        text = json.dumps(["id", [rows[limit - 1]["id"]]], separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    return orjson.dumps({"data": data, "next_cursor": cursor, "count": None})


@app.get("/api/v1/posts/{post_id}")
async def get_post(post_id: int) -> Response:
    assert POOL is not None
    row = await POOL.fetchrow(f"SELECT {COLUMNS} FROM post p WHERE p.id = $1", post_id)
    if row is None:
        return Response(status_code=404)
    return Response(orjson.dumps(row_json(row)), media_type="application/json")


@app.get("/api/v1/posts/")
async def list_posts(request: Request) -> Response:
    assert POOL is not None
    limit = int(request.query_params.get("limit", "50"))
    after = 0
    if cursor := request.query_params.get("cursor"):
        after = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))[1][0]
    if q := request.query_params.get("q"):
        # The generated column and GIN index examples/blog.yaml's `search:` adds; the same ranking.
        rows = await POOL.fetch(
            f"SELECT {COLUMNS} FROM post p, websearch_to_tsquery('english', $1) query"
            " WHERE p.search_vector @@ query ORDER BY ts_rank_cd(p.search_vector, query) DESC, p.id LIMIT $2",
            q, limit + 1,
        )
        return Response(orjson.dumps({"data": [row_json(r) for r in rows[:limit]], "next_cursor": None, "count": None}),
                        media_type="application/json")
    if author := request.query_params.get("author_id"):
        rows = await POOL.fetch(
            f"SELECT {COLUMNS} FROM post p WHERE p.author_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3",
            int(author), after, limit + 1,
        )
    else:
        rows = await POOL.fetch(
            f"SELECT {COLUMNS} FROM post p WHERE p.id > $1 ORDER BY p.id LIMIT $2", after, limit + 1
        )
    return Response(page(rows, limit), media_type="application/json")


@app.post("/api/v1/posts/", status_code=201)
async def create_post(request: Request) -> Response:
    assert POOL is not None
    body = orjson.loads(await request.body())
    row = await POOL.fetchrow(
        "WITH p AS (INSERT INTO post (title, body, published, price, author_id) VALUES ($1, $2, $3, $4::numeric, $5)"
        " RETURNING *), t AS (INSERT INTO post_tags (post_id, tag_id) SELECT p.id, unnest($6::int[]) FROM p)"
        " SELECT p.id, p.title, p.body, p.published, p.meta, p.price::text AS price, p.published_on, p.author_id,"
        " p.created_at, p.updated_at, (SELECT coalesce(json_agg(json_build_object('id', x) ORDER BY x), '[]')"
        " FROM unnest($6::int[]) x) AS tags FROM p",
        body["title"], body["body"], body.get("published", False), body["price"], body["author_id"],
        body.get("tag_ids", []),
    )
    headers = {"Location": f"/api/v1/posts/{row['id']}"}
    return Response(orjson.dumps(row_json(row)), status_code=201, media_type="application/json", headers=headers)
