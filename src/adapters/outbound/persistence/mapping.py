"""Entities to rows and back. Field names match, apart from ``metadata`` (``meta`` on rows) and
money (integer nano-dollars on rows, dollars in the domain)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import SQLModel

from switchboard.adapters.outbound.persistence.tables import AuditRow
from switchboard.domain.governance.counters import to_dollars, to_units
from switchboard.domain.governance.records import AuditEntry

E = TypeVar("E", bound=BaseModel)
R = TypeVar("R", bound=SQLModel)

_MONEY_FIELDS = ("spend", "cost")  # stored as <name>_nanos


def nanos(dollars: float) -> int:
    return to_units(dollars)


def row_values(entity: BaseModel, row_type: type[SQLModel], exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    data = entity.model_dump()
    if "metadata" in data:
        data["meta"] = data.pop("metadata")
    for name in _MONEY_FIELDS:
        if name in data:
            data[f"{name}_nanos"] = nanos(data.pop(name))
    fields = row_type.model_fields
    return {k: v for k, v in data.items() if k in fields and k not in exclude}


def to_row(entity: BaseModel, row_type: type[R]) -> R:
    return row_type(**row_values(entity, row_type))


def to_entity(row: SQLModel, entity_type: type[E], **extra: Any) -> E:
    data = row.model_dump()
    if "meta" in data:
        data["metadata"] = data.pop("meta")
    for name in _MONEY_FIELDS:
        if f"{name}_nanos" in data:
            data[name] = to_dollars(data.pop(f"{name}_nanos"))
    return entity_type.model_validate({**data, **extra})


def _clean(value: Any) -> Any:
    """JSON-safe and free of NUL characters (PostgreSQL refuses them in text)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def audit_row(entry: AuditEntry) -> AuditRow:
    data = entry.model_dump(mode="json")
    data["at"] = entry.at
    return AuditRow(**_clean(data))


def clean_text(value: str | None) -> str | None:
    return value.replace("\x00", "") if value else value
