"""What every management change shares: who made it, when, the audit entry that goes with it,
and telling other instances to drop what they cached."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from switchboard.domain.governance.records import AuditEntry
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.invalidation import InvalidationBus
from switchboard.domain.principal import Principal


def snapshot(entity: BaseModel | None) -> dict[str, Any] | None:
    return None if entity is None else entity.model_dump(mode="json")


class Changes:
    def __init__(self, clock: Clock, ids: IdSource, bus: InvalidationBus) -> None:
        self._clock = clock
        self._ids = ids
        self._bus = bus

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._clock.now(), UTC)

    def new_id(self, prefix: str = "") -> str:
        return self._ids.new(prefix)

    def audit(
        self,
        actor: Principal,
        action: str,
        object_type: str,
        object_id: str,
        before: BaseModel | None = None,
        after: BaseModel | None = None,
    ) -> AuditEntry:
        return AuditEntry(
            id=self._ids.new("audit-"),
            at=self.now(),
            actor=actor.actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=snapshot(before),
            after=snapshot(after),
        )

    async def forget(self, topic: str) -> None:
        """Every instance drops what it cached under ``topic`` (a key hash, or everything)."""
        await self._bus.publish(topic)
