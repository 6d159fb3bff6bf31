"""End users (the request's ``user`` field) as a scope: their own budget, the budget template
they point at, or the gateway-wide default (``litellm_settings.max_end_user_budget``)."""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.application.governance.identity_cache import IdentityCache
from switchboard.application.governance.store import GovernanceStore
from switchboard.domain.errors import PermissionDenied
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind, limits_of
from switchboard.domain.ports.clock import Clock


@dataclass(frozen=True, slots=True)
class _EndUserState:
    scope: Scope | None
    blocked: bool = False


class EndUserScopes:
    def __init__(self, store: GovernanceStore, clock: Clock, ttl: float, default: Limits | None = None) -> None:
        self._store = store
        self._default = default if default is not None and not default.empty else None
        self._cache: IdentityCache[_EndUserState] = IdentityCache(self._load, clock, ttl)

    async def _load(self, user_id: str) -> _EndUserState:
        row = await self._store.end_users.get(user_id)
        if row is None:
            scope = Scope(ScopeKind.END_USER, user_id, self._default) if self._default else None
            return _EndUserState(scope)
        template = await self._store.budgets.get(row.budget_id) if row.budget_id else None
        limits = limits_of(row, template)
        if limits.empty and self._default is not None:
            limits = self._default
        reset = row.budget_reset_at.timestamp() if row.budget_reset_at else None
        scope = None if limits.empty else Scope(ScopeKind.END_USER, user_id, limits, row.spend, reset)
        return _EndUserState(scope, row.blocked)

    async def scope_for(self, user_id: str) -> Scope | None:
        """The end user's scope (``None``: no limits); refuses a blocked end user (403)."""
        state = await self._cache.get(user_id)
        if state.blocked:
            raise PermissionDenied("This end user is blocked.", param="user", code="end_user_blocked")
        return state.scope

    def invalidate(self, topic: str) -> None:
        self._cache.invalidate(topic)
