"""A filter value (``domain.governance.filters``) as SQL: its field names are column names."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select
from sqlmodel import SQLModel, col
from sqlmodel.sql.expression import SelectOfScalar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

S = TypeVar("S", SelectOfScalar[Any], Select[Any])


def matching(statement: S, row: type[SQLModel], filters: DataclassInstance, skip: frozenset[str] = frozenset()) -> S:
    """``statement`` narrowed to the rows whose columns equal every field ``filters`` sets
    (``None`` does not narrow); ``skip`` names fields the caller applies itself."""
    for field in fields(filters):
        value = getattr(filters, field.name)
        if value is not None and field.name not in skip:
            statement = statement.where(col(getattr(row, field.name)) == value)
    return statement
