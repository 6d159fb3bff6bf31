"""The gateway's cache policy and, per call, the plan it makes with the request's controls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from switchboard.domain.caching.controls import CacheControls
from switchboard.domain.calls import CallKind
from switchboard.domain.principal import Principal

NamespaceBy = Literal["none", "key", "team"]
DEFAULT_TTL = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """How the gateway caches (from ``litellm_settings.cache_params``).

    ``kinds``: the call kinds that use the cache. ``ttl``: how long an answer stays, unless the
    request says otherwise (``None``: until evicted). ``namespace``: a prefix for every key.
    ``namespace_by``: keep callers apart by virtual key or by team (a caller without a team is
    kept apart by its key). ``default_off``: only requests with ``cache: {"use-cache": true}``
    use the cache.
    """

    kinds: frozenset[CallKind] = frozenset({"chat", "embeddings"})
    ttl: float | None = DEFAULT_TTL
    namespace: str | None = None
    namespace_by: NamespaceBy = "none"
    default_off: bool = False


@dataclass(frozen=True, slots=True)
class CachePlan:
    """What one call does with the cache.

    ``prefix`` starts every key of the call (namespace and tenant). ``read``: a cached answer may
    serve it, if younger than ``max_age`` seconds (``None``: any age). ``write``: its fresh
    answer is stored for ``ttl`` seconds.
    """

    prefix: str
    read: bool
    write: bool
    ttl: float | None
    max_age: float | None = None


def plan_call(policy: CachePolicy, kind: CallKind, controls: CacheControls, principal: Principal) -> CachePlan | None:
    """The plan for one call, or ``None`` when it neither reads nor writes the cache."""
    if kind not in policy.kinds or controls.disabled or (policy.default_off and not controls.use_cache):
        return None
    read, write = not controls.no_cache, not controls.no_store
    if not (read or write):
        return None
    return CachePlan(
        prefix=key_prefix(policy, controls.namespace, principal),
        read=read,
        write=write,
        ttl=controls.ttl if controls.ttl is not None else policy.ttl,
        max_age=controls.max_age,
    )


def key_prefix(policy: CachePolicy, namespace: str | None, principal: Principal) -> str:
    """``[namespace:][tenant:]``: the configured namespace, the request's, then the caller's."""
    parts = [part for part in (policy.namespace, namespace) if part]
    if policy.namespace_by != "none":
        parts.append(_tenant(policy.namespace_by, principal))
    return "".join(f"{part}:" for part in parts)


def _tenant(by: NamespaceBy, principal: Principal) -> str:
    # ``team_id`` arrives with virtual keys; read it loosely so the policy works before and after.
    team = getattr(principal, "team_id", None)
    if by == "team" and team:
        return f"team={team}"
    if principal.key_hash:
        return f"key={principal.key_hash[:32]}"
    return f"caller={principal.kind.value}"
