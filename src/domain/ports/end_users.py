"""Where end users (an app's customers, the request's ``user``) are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import EndUser
from switchboard.domain.governance.filters import EndUserFilter
from switchboard.domain.ports.repository import Repository


class EndUserRepository(Repository[EndUser, EndUserFilter], Protocol):
    """End users by ``user_id``. The spend ledger creates a row the first time one spends."""
