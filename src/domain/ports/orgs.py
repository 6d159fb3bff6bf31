"""Where organizations are kept."""

from __future__ import annotations

from typing import Protocol

from domain.governance.entities import Organization
from domain.ports.repository import Repository


class OrgRepository(Repository[Organization], Protocol):
    """Organizations by ``organization_id``. Filters: ``organization_alias``."""
