"""From the scopes a call is charged to, the counter claims it makes and how they settle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from switchboard.domain.governance.counters import (
    REHYDRATE,
    WINDOW_SECONDS,
    Claim,
    ClaimKind,
    SettleAction,
    Settlement,
    to_units,
)
from switchboard.domain.governance.limits import Scope

UNLIMITED = 2**52  # the limit of a counter kept only to notice a soft budget
# A budget counter outlives its period by this much, so a late settlement still finds it.
_BUDGET_KEEP_MARGIN = 86400.0


class Demand(NamedTuple):
    """What a call may take at worst: its tokens (for tpm) and its cost (for budgets)."""

    model_group: str
    tokens: int
    cost_units: int


def claims_for(
    scopes: Sequence[Scope], demand: Demand, now: float, lease: float, *, rehydrate: bool = False
) -> list[Claim]:
    """Every counter the call must fit in, in scope order (key first). With ``rehydrate``, a
    budget counter that does not exist is not made from the scope's spend as last read (it can
    be stale) but reported ``Missing``, for the caller to read the database."""
    claims: list[Claim] = []
    for scope in scopes:
        if not scope.limits.empty:
            claims += _scope_claims(scope, demand, now, lease, rehydrate)
    return claims


def _scope_claims(scope: Scope, demand: Demand, now: float, lease: float, rehydrate: bool) -> list[Claim]:
    claims: list[Claim] = []
    limits = scope.limits
    base = f"{scope.kind.value}:{scope.id}"

    def add(kind: ClaimKind, key: str, limit: int, weight: int, lifetime: float) -> None:
        claims.append(Claim(kind, key, limit, weight, lifetime, scope=scope.kind.value, scope_id=scope.id))

    if limits.rpm is not None:
        add(ClaimKind.REQUESTS, f"sb:rpm:{base}", limits.rpm, 1, WINDOW_SECONDS)
    if limits.tpm is not None:
        add(ClaimKind.TOKENS, f"sb:tpm:{base}", limits.tpm, demand.tokens, WINDOW_SECONDS)
    model_rpm = limits.model_rpm.get(demand.model_group)
    if model_rpm is not None:
        add(ClaimKind.REQUESTS, f"sb:rpm:{base}:m:{demand.model_group}", model_rpm, 1, WINDOW_SECONDS)
    model_tpm = limits.model_tpm.get(demand.model_group)
    if model_tpm is not None:
        key = f"sb:tpm:{base}:m:{demand.model_group}"
        add(ClaimKind.TOKENS, key, model_tpm, demand.tokens, WINDOW_SECONDS)
    if limits.parallel is not None:
        add(ClaimKind.PARALLEL, f"sb:par:{base}", limits.parallel, 1, lease)
    if limits.max_budget is not None or limits.soft_budget is not None:
        period = scope.period(now)
        keep = (period - now if period is not None else 0.0) + _BUDGET_KEEP_MARGIN
        claims.append(
            Claim(
                ClaimKind.BUDGET,
                f"sb:bud:{base}:{int(period) if period is not None else 'all'}",
                to_units(limits.max_budget) if limits.max_budget is not None else UNLIMITED,
                demand.cost_units,
                lease,
                spent=REHYDRATE if rehydrate else to_units(scope.spent_in(period)),
                keep=keep,
                scope=scope.kind.value,
                scope_id=scope.id,
            )
        )
    return claims


def settlements_for(claims: Sequence[Claim], tokens: int, cost_units: int) -> list[Settlement]:
    """How each claim settles once the call's actual tokens and cost are known."""
    out: list[Settlement] = []
    for claim in claims:
        match claim.kind:
            case ClaimKind.REQUESTS:
                continue
            case ClaimKind.TOKENS:
                out.append(Settlement(SettleAction.RESIZE, claim.key, tokens))
            case ClaimKind.PARALLEL:
                out.append(Settlement(SettleAction.RELEASE, claim.key))
            case ClaimKind.BUDGET:
                out.append(Settlement(SettleAction.SPEND, claim.key, cost_units, claim.spent, claim.keep))
    return out
