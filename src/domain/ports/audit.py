"""The audit log of management changes (written by the repositories, with each change)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.records import AuditEntry


class AuditLog(Protocol):
    async def list(self, filters: Mapping[str, str], page: int, size: int) -> Page[AuditEntry]:
        """Entries, newest first. Filters: ``object_type``, ``object_id``, ``action``, ``actor``."""
        ...
