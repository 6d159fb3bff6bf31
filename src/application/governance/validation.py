"""References between governed things must point at something that exists."""

from __future__ import annotations

from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.errors import BadRequest


async def check_budget_id(store: GovernanceStore, budget_id: str | None) -> None:
    if budget_id is not None and await store.budgets.get(budget_id) is None:
        raise BadRequest(f"No budget {budget_id!r}.", param="budget_id", code="budget_not_found")


async def check_org_id(store: GovernanceStore, organization_id: str | None) -> None:
    if organization_id is not None and await store.orgs.get(organization_id) is None:
        raise BadRequest(
            f"No organization {organization_id!r}.", param="organization_id", code="organization_not_found"
        )


async def check_team_ids(store: GovernanceStore, team_ids: list[str]) -> None:
    found = {t.team_id for t in await store.teams.get_many(team_ids)}
    missing = [t for t in team_ids if t not in found]
    if missing:
        raise BadRequest(f"No team {missing[0]!r}.", param="teams", code="team_not_found")
