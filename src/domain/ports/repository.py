"""The shape every governance repository shares: get, add, replace, delete, list.

Each change is written in one transaction together with its audit entry, so the audit log
never misses a change that happened, nor records one that did not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.records import AuditEntry

E = TypeVar("E")
F = TypeVar("F", contravariant=True)


class Repository(Protocol[E, F]):
    """``E`` the entity, ``F`` its filter (``domain.governance.filters``)."""

    async def get(self, id: str) -> E | None:
        """The entity with this id, or ``None``."""
        ...

    async def get_many(self, ids: Sequence[str]) -> list[E]:
        """The entities that exist among ``ids``, in no particular order."""
        ...

    async def add(self, entity: E, audit: AuditEntry) -> bool:
        """Store a new entity; ``False`` (and nothing written) if its id is taken."""
        ...

    async def replace(self, entity: E, audit: AuditEntry) -> bool:
        """Overwrite the entity with the same id; ``False`` if there is none. ``spend`` is
        never overwritten: only the spend ledger moves it."""
        ...

    async def delete(self, id: str, audit: AuditEntry) -> bool:
        """Remove the entity; ``False`` if there was none."""
        ...

    async def list(self, filters: F, page: int, size: int) -> Page[E]:
        """A page of entities, oldest first, matching every field ``filters`` sets. ``page``
        and ``size`` below 1 count as 1."""
        ...
