"""What every kind of governed record shares: looked up or 404, added once or 400, replaced and
deleted together with their audit entry, and the settings a form carries onto it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from switchboard.application.governance.changes import Changes
from switchboard.application.governance.forms import expiry, given
from switchboard.domain.errors import BadRequest, NotFound
from switchboard.domain.ports.repository import Repository
from switchboard.domain.principal import Principal

E = TypeVar("E", bound=BaseModel)
F = TypeVar("F")


@dataclass(frozen=True)
class Kind(Generic[E]):
    """How one kind of record is named in errors and audit entries."""

    label: str  # in messages: "team", "end user"
    object_type: str  # the audit entry's object type: "team", "end_user"
    action: str  # the prefix of its audit actions: "team", "customer"
    param: str  # the request field naming one: "team_id"
    id_of: Callable[[E], str]

    @property
    def not_found_code(self) -> str:
        return f"{self.object_type}_not_found"

    def not_found(self, id: str, param: str | None = None) -> NotFound:
        return NotFound(f"No {self.label} {id!r}.", param=param or self.param, code=self.not_found_code)


class Records(Generic[E, F]):
    """One repository's records, changed only with an audit entry naming the actor."""

    def __init__(self, kind: Kind[E], repository: Repository[E, F], changes: Changes) -> None:
        self.kind = kind
        self._repository = repository
        self._changes = changes

    async def get(self, id: str, *, visible: bool = True, param: str | None = None) -> E:
        """The record ``id``; missing and not ``visible`` to the caller both answer 404."""
        found = await self._repository.get(id) if visible else None
        if found is None:
            raise self.kind.not_found(id, param)
        return found

    async def add(self, actor: Principal, entity: E) -> E:
        id = self.kind.id_of(entity)
        audit = self._changes.audit(actor, f"{self.kind.action}.new", self.kind.object_type, id, None, entity)
        if not await self._repository.add(entity, audit):
            label = self.kind.label.capitalize()
            raise BadRequest(f"{label} {id!r} already exists.", param=self.kind.param, code="already_exists")
        return entity

    async def replace(self, actor: Principal, action: str, before: E, after: E) -> E:
        """Store ``after`` in place of ``before`` (``action``: ``update``, ``block``...)."""
        id = self.kind.id_of(after)
        audit = self._changes.audit(actor, f"{self.kind.action}.{action}", self.kind.object_type, id, before, after)
        if not await self._repository.replace(after, audit):
            raise self.kind.not_found(id)
        return after

    async def remove(self, actor: Principal, entity: E) -> bool:
        id = self.kind.id_of(entity)
        audit = self._changes.audit(actor, f"{self.kind.action}.delete", self.kind.object_type, id, entity)
        return await self._repository.delete(id, audit)


def initial(form: BaseModel, names: Iterable[str]) -> dict[str, Any]:
    """The settings a new record takes from ``form``: the fields it sent, ``null`` left out."""
    return {name: value for name, value in given(form, *names).items() if value is not None}


def changed(form: BaseModel, names: Iterable[str], now: datetime) -> dict[str, Any]:
    """The settings an update changes: the fields ``form`` sent (``null`` clears a setting, an
    empty model list for ``models``); a new ``budget_duration`` starts a new period now."""
    values = given(form, *names)
    if "models" in values and values["models"] is None:
        values["models"] = []
    if "budget_duration" in values:
        values["budget_reset_at"] = expiry(now, values["budget_duration"])
    return values
