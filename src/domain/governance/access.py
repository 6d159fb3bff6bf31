"""Access policies: which models and routes a caller may use, what it may manage, and what it
may grant. Pure functions over a ``Principal``; the services ask, and refuse with 403.

Rules that hold everywhere:
- An allow-list only ever narrows. ``allowed_routes: ["/*"]`` on a key does not make it an
  admin; management rights come from the role (``proxy_admin``) or team membership (``admin``).
- A caller can never grant a key (its own, or one it creates) more than it has itself:
  models, routes, budget, rate limits, expiry.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from switchboard.domain.governance.entities import VirtualKey
from switchboard.domain.principal import Principal

ALL_MODELS = frozenset({"*", "all-proxy-models"})
INHERITED = frozenset({"all-team-models", "all-org-models"})  # "whatever the level above allows"

LLM_ROUTES = "llm_api_routes"
INFO_ROUTES = "info_routes"
MANAGEMENT_ROUTES = "management_routes"
SPEND_ROUTES = "spend_tracking_routes"
ROUTE_GROUPS = frozenset({LLM_ROUTES, INFO_ROUTES, MANAGEMENT_ROUTES, SPEND_ROUTES})


def _pattern_allows(pattern: str, name: str) -> bool:
    if pattern == name or pattern in ("*", "/*"):
        return True
    return pattern.endswith("*") and name.startswith(pattern[:-1])


def level_allows(patterns: Sequence[str], model: str, access_groups: Collection[str] = ()) -> bool:
    """One allow-list: empty allows all; entries are names, ``prefix*`` wildcards, access groups."""
    if not patterns:
        return True
    for pattern in patterns:
        if pattern in ALL_MODELS or pattern in INHERITED or pattern in access_groups:
            return True
        if _pattern_allows(pattern, model):
            return True
    return False


def model_allowed(principal: Principal, model: str, access_groups: Collection[str] = ()) -> bool:
    """True if every level of the caller's model allow-lists lets ``model`` through."""
    return all(level_allows(level, model, access_groups) for level in principal.models)


def _bare(template: str) -> str:
    return template[3:] if template.startswith("/v1/") else template


def route_allowed(principal: Principal, template: str, group: str) -> bool:
    """``template`` is the route as matched by the router (never the raw path); ``group`` is the
    route's group (``llm_api_routes``, ``management_routes``...)."""
    routes = principal.routes
    if routes is None:
        return True
    if group in routes:
        return True
    bare = _bare(template)
    return any(_pattern_allows(_bare(r), bare) or _pattern_allows(r, template) for r in routes)


# --- what a caller may manage -----------------------------------------------------------


def may_manage_team(principal: Principal, team_id: str | None) -> bool:
    if principal.read_only:
        return False
    return principal.is_admin or (team_id is not None and team_id in principal.team_admin_of)


def may_read_team(principal: Principal, team_id: str) -> bool:
    return (
        principal.reads_everything
        or team_id in principal.team_admin_of
        or team_id in principal.member_of
        or team_id == principal.team_id
    )


def _owns(principal: Principal, key: VirtualKey) -> bool:
    return (principal.user_id is not None and key.user_id == principal.user_id) or (
        bool(principal.key_hash) and key.token == principal.key_hash
    )


def may_manage_key(principal: Principal, key: VirtualKey) -> bool:
    if principal.read_only:
        return False
    return principal.is_admin or key.team_id in principal.team_admin_of or _owns(principal, key)


def may_rotate_key(principal: Principal, key: VirtualKey, *, self_rotation: bool = False) -> bool:
    """Rotating a key's secret is for its owner (the user, through another key or a JWT), a team
    admin or an admin. The key itself may rotate its own secret only with ``self_rotation``: a
    stolen key must not be able to lock its owner out."""
    if not may_manage_key(principal, key):
        return False
    itself = bool(principal.key_hash) and key.token == principal.key_hash
    return self_rotation or not itself or principal.is_admin


def may_read_key(principal: Principal, key: VirtualKey) -> bool:
    return principal.reads_everything or key.team_id in principal.team_admin_of or _owns(principal, key)


def may_issue_key(principal: Principal, user_id: str | None, team_id: str | None) -> bool:
    """May the caller create a key owned by ``user_id`` in ``team_id``? (Membership of
    ``user_id`` in the team is checked by the service, which reads the team.)"""
    if principal.read_only:
        return False
    if principal.is_admin:
        return True
    if team_id is not None and team_id in principal.team_admin_of:
        return True
    return (
        principal.user_id is not None
        and user_id == principal.user_id
        and (team_id is None or team_id in principal.member_of)
    )


def may_read_user(principal: Principal, user_id: str) -> bool:
    return principal.reads_everything or principal.user_id == user_id


# --- what a caller may grant ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grant:
    """What a key would be allowed: the fields a non-admin caller cannot raise above its own."""

    models: Sequence[str] = ()
    allowed_routes: Sequence[str] = ()
    max_budget: float | None = None
    rpm_limit: int | None = None
    tpm_limit: int | None = None
    max_parallel_requests: int | None = None
    model_rpm_limit: Mapping[str, int] = field(default_factory=dict)
    model_tpm_limit: Mapping[str, int] = field(default_factory=dict)
    expires: datetime | None = None


def _tightest(values: Sequence[float | int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _exceeds(ceiling: float | None, wanted: float | None) -> bool:
    return ceiling is not None and (wanted is None or wanted > ceiling)


def escalations(principal: Principal, wanted: Grant, only: Collection[str] | None = None) -> list[str]:
    """The fields of ``wanted`` that give more than the caller has itself; empty if none.
    ``only`` limits the check to the fields being changed.

    Admins have no ceiling. For everyone else the ceiling is the caller's own allow-lists, the
    budget it has left and the tightest limit over the scopes it is charged to (key, user,
    team, organization).
    """
    if principal.is_admin:
        return []
    found = _escalations(principal, wanted)
    return [f for f in found if only is None or f in only]


def _escalations(principal: Principal, wanted: Grant) -> list[str]:
    found: list[str] = []
    restricted_models = any(principal.models)
    if (restricted_models and not wanted.models) or not all(model_allowed(principal, m) for m in wanted.models):
        found.append("models")
    routes = principal.routes
    if routes is not None and (
        not wanted.allowed_routes
        or not all(r in routes or any(_pattern_allows(p, r) for p in routes) for r in wanted.allowed_routes)
    ):
        found.append("allowed_routes")
    limits = [s.limits for s in principal.scopes]
    left = [s.limits.max_budget - s.spend if s.limits.max_budget is not None else None for s in principal.scopes]
    pairs: list[tuple[str, float | None, float | None]] = [
        ("max_budget", _tightest(left), wanted.max_budget),
        ("rpm_limit", _tightest([x.rpm for x in limits]), wanted.rpm_limit),
        ("tpm_limit", _tightest([x.tpm for x in limits]), wanted.tpm_limit),
        ("max_parallel_requests", _tightest([x.parallel for x in limits]), wanted.max_parallel_requests),
    ]
    found.extend(name for name, ceiling, value in pairs if _exceeds(ceiling, value))
    rpm_ceiling, tpm_ceiling = pairs[1][1], pairs[2][1]
    if rpm_ceiling is not None and any(v > rpm_ceiling for v in wanted.model_rpm_limit.values()):
        found.append("model_rpm_limit")
    if tpm_ceiling is not None and any(v > tpm_ceiling for v in wanted.model_tpm_limit.values()):
        found.append("model_tpm_limit")
    if principal.expires_at is not None and (
        wanted.expires is None or wanted.expires.timestamp() > principal.expires_at
    ):
        found.append("expires")
    return found
