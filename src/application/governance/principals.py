"""Who a virtual key (or a JWT's claims) stands for: the key, its user, team and organization,
read from the store and folded into one ``Principal``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.governance.entities import Budgeted, BudgetRecord, Organization, Team, User, VirtualKey
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind, limits_of
from switchboard.domain.governance.roles import TeamRole, UserRole
from switchboard.domain.principal import Principal, PrincipalKind


class Refusal(StrEnum):
    UNKNOWN = "unknown"
    BLOCKED = "blocked"
    TEAM_BLOCKED = "team_blocked"


@dataclass(frozen=True, slots=True)
class Identity:
    """What a credential resolved to: a principal, or why there is none."""

    principal: Principal | None = None
    refusal: Refusal | None = None


UNKNOWN = Identity(refusal=Refusal.UNKNOWN)


def _scope(kind: ScopeKind, id: str, entity: Budgeted, limits: Limits) -> Scope | None:
    if limits.empty:
        return None
    reset = entity.budget_reset_at.timestamp() if entity.budget_reset_at else None
    return Scope(kind, id, limits, spend=entity.spend, reset_at=reset)


@dataclass(frozen=True, slots=True)
class _Owners:
    team: Team | None
    user: User | None
    org: Organization | None
    memberships: Sequence[Team]
    templates: dict[str, BudgetRecord]


class PrincipalLoader:
    def __init__(self, store: GovernanceStore) -> None:
        self._store = store

    async def _owners(
        self, user_id: str | None, team_id: str | None, org_id: str | None, key: VirtualKey | None = None
    ) -> _Owners:
        store = self._store
        team = await store.teams.get(team_id) if team_id else None
        user = await store.users.get(user_id) if user_id else None
        org_id = org_id or (team.organization_id if team else None)
        org = await store.orgs.get(org_id) if org_id else None
        wanted = {e.budget_id for e in (key, team, user, org) if e is not None and e.budget_id}
        templates = {b.budget_id: b for b in await store.budgets.get_many(sorted(wanted))}
        memberships = await store.teams.teams_of(user_id) if user_id else []
        return _Owners(team, user, org, memberships, templates)

    def _scopes(self, owners: _Owners, key: VirtualKey | None) -> tuple[Scope, ...]:
        def template(entity: Budgeted) -> BudgetRecord | None:
            return owners.templates.get(entity.budget_id) if entity.budget_id else None

        scopes: list[Scope | None] = []
        if key is not None:
            limits = limits_of(key, template(key), model_rpm=key.model_rpm_limit, model_tpm=key.model_tpm_limit)
            scopes.append(_scope(ScopeKind.KEY, key.token, key, limits))
        if owners.user is not None:
            scopes.append(
                _scope(
                    ScopeKind.USER,
                    owners.user.user_id,
                    owners.user,
                    limits_of(owners.user, template(owners.user)),
                )
            )
        if owners.team is not None:
            scopes.append(
                _scope(
                    ScopeKind.TEAM,
                    owners.team.team_id,
                    owners.team,
                    limits_of(owners.team, template(owners.team)),
                )
            )
        if owners.org is not None:
            scopes.append(
                _scope(
                    ScopeKind.ORG,
                    owners.org.organization_id,
                    owners.org,
                    limits_of(owners.org, template(owners.org)),
                )
            )
        return tuple(s for s in scopes if s is not None)

    @staticmethod
    def _models(key: VirtualKey | None, owners: _Owners) -> tuple[tuple[str, ...], ...]:
        levels: list[tuple[str, ...]] = []
        if key is not None and key.models:
            levels.append(tuple(key.models))
        if owners.team is not None and owners.team.models:
            levels.append(tuple(owners.team.models))
        elif owners.user is not None and owners.user.models:
            levels.append(tuple(owners.user.models))  # personal keys follow the user's models
        if owners.org is not None and owners.org.models:
            levels.append(tuple(owners.org.models))
        return tuple(levels)

    @staticmethod
    def _teams(user_id: str | None, memberships: Sequence[Team]) -> tuple[frozenset[str], frozenset[str]]:
        admin = frozenset(t.team_id for t in memberships if t.role_of(user_id) is TeamRole.ADMIN)
        return admin, frozenset(t.team_id for t in memberships)

    async def for_key(self, token: str) -> Identity:
        """The principal of the key whose hash is ``token``."""
        key = await self._store.keys.get(token)
        if key is None:
            return UNKNOWN
        if key.blocked:
            return Identity(refusal=Refusal.BLOCKED)
        owners = await self._owners(key.user_id, key.team_id, key.organization_id, key)
        if owners.team is not None and owners.team.blocked:
            return Identity(refusal=Refusal.TEAM_BLOCKED)
        admin_of, member_of = self._teams(key.user_id, owners.memberships)
        return Identity(
            Principal(
                kind=PrincipalKind.KEY,
                key_hash=key.token,
                key_alias=key.key_alias,
                user_id=key.user_id,
                team_id=key.team_id,
                org_id=owners.org.organization_id if owners.org else key.organization_id,
                role=owners.user.user_role if owners.user else None,
                team_admin_of=admin_of,
                member_of=member_of,
                models=self._models(key, owners),
                routes=frozenset(key.allowed_routes) if key.allowed_routes else None,
                expires_at=key.expires.timestamp() if key.expires else None,
                scopes=self._scopes(owners, key),
                tags=tuple(key.tags),
            )
        )

    async def for_claims(
        self,
        user_id: str | None,
        team_id: str | None,
        org_id: str | None,
        role: UserRole | None,
        token_hash: str,
        expires_at: float | None,
    ) -> Identity:
        """The principal of a verified JWT: its user, team and organization as named by its
        claims, with whatever limits those have in the store."""
        owners = await self._owners(user_id, team_id, org_id)
        if owners.team is not None and owners.team.blocked:
            return Identity(refusal=Refusal.TEAM_BLOCKED)
        admin_of, member_of = self._teams(user_id, owners.memberships)
        if team_id:
            member_of = member_of | {team_id}
        stored_role = owners.user.user_role if owners.user else None
        return Identity(
            Principal(
                kind=PrincipalKind.JWT,
                key_hash=token_hash,
                user_id=user_id,
                team_id=team_id,
                org_id=owners.org.organization_id if owners.org else org_id,
                role=role or stored_role or UserRole.INTERNAL_USER,
                team_admin_of=admin_of,
                member_of=member_of,
                models=self._models(None, owners),
                expires_at=expires_at,
                scopes=self._scopes(owners, None),
            )
        )
