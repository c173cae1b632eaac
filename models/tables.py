"""The SQLAlchemy table behind a table model, for the bulk statements that bypass the ORM."""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """SQLModel sets `__table__` when a `table=True` class is created, where a type checker
    cannot see it; a model without one is a programming error, so it fails loudly."""
    table = vars(model).get("__table__")
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table
