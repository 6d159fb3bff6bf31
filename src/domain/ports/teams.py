"""Where teams and their members are kept."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.governance.entities import Team
from switchboard.domain.governance.filters import TeamFilter
from switchboard.domain.ports.repository import Repository


class TeamRepository(Repository[Team, TeamFilter], Protocol):
    """Teams by ``team_id``, members included."""

    async def teams_of(self, user_id: str) -> list[Team]:
        """Every team ``user_id`` is a member of."""
        ...
