"""Where virtual keys are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import VirtualKey
from switchboard.domain.governance.filters import KeyFilter
from switchboard.domain.governance.records import AuditEntry
from switchboard.domain.ports.repository import Repository


class KeyRepository(Repository[VirtualKey, KeyFilter], Protocol):
    """Keys by ``token`` (the SHA-256 of the secret)."""

    async def rekey(self, old_token: str, key: VirtualKey, audit: AuditEntry) -> bool:
        """Give a key a new secret: the row of ``old_token`` becomes ``key`` (new token, spend
        kept) in one step; ``False`` if ``old_token`` is unknown."""
        ...
