"""The audit log of management changes (written by the repositories, with each change)."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import Page
from switchboard.domain.governance.filters import AuditFilter
from switchboard.domain.governance.records import AuditEntry


class AuditLog(Protocol):
    async def list(self, filters: AuditFilter, page: int, size: int) -> Page[AuditEntry]:
        """Entries, newest first, matching every field ``filters`` sets."""
        ...
