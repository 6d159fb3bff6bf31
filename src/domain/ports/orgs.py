"""Where organizations are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import Organization
from switchboard.domain.governance.filters import OrgFilter
from switchboard.domain.ports.repository import Repository


class OrgRepository(Repository[Organization, OrgFilter], Protocol):
    """Organizations by ``organization_id``."""
