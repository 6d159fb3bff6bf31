from __future__ import annotations

from types import MappingProxyType

from switchboard.domain.governance.claims import UNLIMITED, Demand, claims_for, settlements_for
from switchboard.domain.governance.counters import ClaimKind, SettleAction, to_units
from switchboard.domain.governance.limits import Limits, Scope, ScopeKind

DEMAND = Demand("gpt", tokens=120, cost_units=to_units(0.02))


def test_scopes_without_limits_make_no_claims() -> None:
    assert claims_for([Scope(ScopeKind.KEY, "k", Limits())], DEMAND, 0, 900) == []


def test_each_limit_makes_its_claim_with_the_calls_weight() -> None:
    limits = Limits(rpm=10, tpm=1000, parallel=2, max_budget=5.0, model_rpm=MappingProxyType({"gpt": 3}))
    claims = claims_for([Scope(ScopeKind.TEAM, "t", limits)], DEMAND, 0, 900)
    assert [(c.kind, c.limit, c.weight) for c in claims] == [
        (ClaimKind.REQUESTS, 10, 1),
        (ClaimKind.TOKENS, 1000, 120),
        (ClaimKind.REQUESTS, 3, 1),
        (ClaimKind.PARALLEL, 2, 1),
        (ClaimKind.BUDGET, to_units(5.0), to_units(0.02)),
    ]
    assert {c.scope for c in claims} == {"team"}


def test_model_limits_apply_only_to_their_model() -> None:
    limits = Limits(model_rpm=MappingProxyType({"other": 3}))
    assert claims_for([Scope(ScopeKind.KEY, "k", limits)], DEMAND, 0, 900) == []


def test_a_budget_counter_is_named_by_its_period_and_starts_from_that_periods_spend() -> None:
    scope = Scope(ScopeKind.KEY, "k", Limits(max_budget=5.0, budget_period=100), spend=2.0, reset_at=1000.0)
    this_period = claims_for([scope], DEMAND, now=950, lease=900)[0]
    next_period = claims_for([scope], DEMAND, now=1010, lease=900)[0]
    assert this_period.key.endswith(":1000")
    assert this_period.spent == to_units(2.0)
    assert next_period.key.endswith(":1100")
    assert next_period.spent == 0


def test_a_budget_without_a_duration_never_resets() -> None:
    scope = Scope(ScopeKind.USER, "u", Limits(max_budget=5.0), spend=1.5)
    claim = claims_for([scope], DEMAND, now=10**9, lease=900)[0]
    assert claim.key.endswith(":all")
    assert claim.spent == to_units(1.5)


def test_a_soft_budget_alone_is_counted_but_never_refuses() -> None:
    claim = claims_for([Scope(ScopeKind.KEY, "k", Limits(soft_budget=1.0))], DEMAND, 0, 900)[0]
    assert claim.limit == UNLIMITED


def test_settlements_release_resize_and_spend() -> None:
    limits = Limits(rpm=1, tpm=1000, parallel=1, max_budget=5.0)
    claims = claims_for([Scope(ScopeKind.KEY, "k", limits)], DEMAND, 0, 900)
    settled = settlements_for(claims, tokens=42, cost_units=7)
    assert [(s.action, s.weight) for s in settled] == [
        (SettleAction.RESIZE, 42),
        (SettleAction.RELEASE, 0),
        (SettleAction.SPEND, 7),
    ]
