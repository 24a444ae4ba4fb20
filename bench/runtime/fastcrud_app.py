"""FastCRUD (PyPI `fastcrud`) on the generated project's own models, schemas and session: its CRUD
methods, as its documentation writes endpoints. It does not load many-to-many relations (no `tags` in its
responses) and computes a total count on every `get_multi` unless told not to: noted in the report."""

from typing import Any

from app.db import SessionDep
from app.models.post import Post
from app.schemas.post import PostCreate, PostRead
from fastapi import FastAPI
from fastcrud import FastCRUD
from pydantic import create_model

app = FastAPI()
posts: FastCRUD[Any, Any, Any, Any, Any, Any] = FastCRUD(Post)


@app.get("/api/v1/posts/{post_id}")
async def get_post(post_id: int, db: SessionDep) -> Any:
    return await posts.get(db, id=post_id, schema_to_select=PostRead)


@app.get("/api/v1/posts/")
async def list_posts(
    db: SessionDep, limit: int = 50, cursor: int | None = None, author_id: int | None = None
) -> Any:
    filters = {"author_id": author_id} if author_id is not None else {}
    if cursor is not None:
        return await posts.get_multi_by_cursor(db, cursor=cursor, limit=limit, sort_column="id", **filters)
    return await posts.get_multi(db, limit=limit, sort_columns="id", schema_to_select=PostRead, **filters)


# The Create schema without the many-to-many ids (FastCRUD writes the row's own columns only).
PostColumns = create_model(
    "PostColumns",
    **{name: (field.annotation, field) for name, field in PostCreate.model_fields.items() if name != "tag_ids"},
)


@app.post("/api/v1/posts/", status_code=201)
async def create_post(body: PostCreate, db: SessionDep) -> Any:
    return await posts.create(db, PostColumns(**body.model_dump(exclude={"tag_ids"})), schema_to_select=PostRead)
