"""Limit/offset pagination shared by list endpoints."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.sql import Select
from sqlmodel import Session

T = TypeVar("T")


class PageParams(BaseModel):
    limit: int
    offset: int


MAX_OFFSET = 1_000_000_000  # far past any list, well inside every database's integer range


def page_params(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def paginate(session: Session, query: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    total = session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = session.execute(query.limit(page.limit).offset(page.offset)).scalars().all()
    return list(rows), total


def page_of(session: Session, query: Select[Any], page: PageParams) -> Page[Any]:
    """One page of `query` as the response body (the route's response_model types it)."""
    items, total = paginate(session, query, page)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
