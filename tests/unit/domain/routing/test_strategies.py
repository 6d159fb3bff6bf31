"""Routing strategies: which eligible deployment takes the next attempt."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from switchboard.domain.deployments import Deployment
from switchboard.domain.routing import DeploymentStats, Strategy, choose, needs_latency, needs_usage, strategy_named
from tests.fakes.system import FakeRandom


def dep(id: str, **fields: Any) -> Deployment:
    return Deployment(id=id, model_name="gpt-4o", provider="openai", model="gpt-4o", **fields)


def picks(
    strategy: Strategy, candidates: list[Deployment], stats: dict[str, DeploymentStats], n: int = 300, **kw: Any
) -> Counter[str]:
    """Which deployments ``n`` seeded picks land on, and how often."""
    rng = random.Random(1234)
    return Counter(choose(strategy, candidates, stats, rng, **kw).id for _ in range(n))


# --- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_canonical_name_names_its_strategy(strategy: Strategy) -> None:
    assert strategy_named(strategy.value) is strategy


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("usage-based-routing-v2", Strategy.USAGE),
        ("lowest-latency", Strategy.LATENCY),
        ("latency-based", Strategy.LATENCY),
        ("lowest-cost", Strategy.COST),
        ("shuffle", Strategy.SIMPLE_SHUFFLE),
        ("Least_Busy", Strategy.LEAST_BUSY),
        ("USAGE_BASED_ROUTING_V2", Strategy.USAGE),
    ],
)
def test_litellm_aliases_are_accepted_in_any_case_and_with_underscores(name: str, expected: Strategy) -> None:
    assert strategy_named(name) is expected


def test_an_unknown_strategy_name_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="fastest") as raised:
        strategy_named("fastest")
    assert "simple-shuffle" in str(raised.value)
    assert "latency-based-routing" in str(raised.value)


def test_least_busy_and_usage_need_usage_counters_and_latency_needs_samples() -> None:
    assert {s for s in Strategy if needs_usage(s)} == {Strategy.LEAST_BUSY, Strategy.USAGE}
    assert {s for s in Strategy if needs_latency(s)} == {Strategy.LATENCY}


# --- common ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_strategy_refuses_an_empty_candidate_list(strategy: Strategy) -> None:
    with pytest.raises(ValueError, match="at least one"):
        choose(strategy, [], {}, FakeRandom())


@pytest.mark.parametrize("strategy", list(Strategy))
def test_every_strategy_copes_without_stats(strategy: Strategy) -> None:
    candidates = [dep("a"), dep("b")]
    assert choose(strategy, candidates, {}, random.Random(0)) in candidates


# --- simple shuffle --------------------------------------------------------------------------------


def test_simple_shuffle_spreads_picks_in_proportion_to_weights() -> None:
    candidates = [dep("a", weight=1), dep("b", weight=3), dep("c", weight=6)]
    counts = picks(Strategy.SIMPLE_SHUFFLE, candidates, {}, n=10_000)
    assert counts["a"] / 10_000 == pytest.approx(0.1, abs=0.02)
    assert counts["b"] / 10_000 == pytest.approx(0.3, abs=0.02)
    assert counts["c"] / 10_000 == pytest.approx(0.6, abs=0.02)


def test_simple_shuffle_uses_rpm_as_the_weight_when_no_weight_is_set() -> None:
    candidates = [dep("a", rpm=100), dep("b", rpm=300)]
    counts = picks(Strategy.SIMPLE_SHUFFLE, candidates, {}, n=10_000)
    assert counts["b"] / 10_000 == pytest.approx(0.75, abs=0.02)


# --- least busy ------------------------------------------------------------------------------------


def test_least_busy_picks_the_deployment_with_fewest_requests_in_flight() -> None:
    candidates = [dep("a"), dep("b"), dep("c")]
    stats = {"a": DeploymentStats(in_flight=4), "b": DeploymentStats(in_flight=1), "c": DeploymentStats(in_flight=2)}
    assert set(picks(Strategy.LEAST_BUSY, candidates, stats)) == {"b"}


def test_least_busy_breaks_ties_at_random() -> None:
    candidates = [dep("a"), dep("b"), dep("c")]
    stats = {"a": DeploymentStats(in_flight=1), "b": DeploymentStats(in_flight=1), "c": DeploymentStats(in_flight=5)}
    counts = picks(Strategy.LEAST_BUSY, candidates, stats)
    assert set(counts) == {"a", "b"}
    assert counts["a"] == pytest.approx(150, abs=40)


# --- latency ---------------------------------------------------------------------------------------


def test_latency_picks_the_fastest_deployment() -> None:
    candidates = [dep("a"), dep("b")]
    stats = {"a": DeploymentStats(latency=0.05), "b": DeploymentStats(latency=0.02)}
    assert set(picks(Strategy.LATENCY, candidates, stats)) == {"b"}


def test_latency_tries_deployments_without_a_sample_first() -> None:
    candidates = [dep("fast"), dep("new1"), dep("new2")]
    stats = {"fast": DeploymentStats(latency=0.01)}
    assert set(picks(Strategy.LATENCY, candidates, stats)) == {"new1", "new2"}


def test_latency_spreads_over_deployments_within_the_buffer_of_the_fastest() -> None:
    candidates = [dep("a"), dep("b"), dep("c")]
    stats = {"a": DeploymentStats(latency=1.0), "b": DeploymentStats(latency=1.08), "c": DeploymentStats(latency=1.5)}
    assert set(picks(Strategy.LATENCY, candidates, stats, latency_buffer=0.1)) == {"a", "b"}
    assert set(picks(Strategy.LATENCY, candidates, stats, latency_buffer=0.0)) == {"a"}


def test_latency_ranks_streams_by_time_to_first_token() -> None:
    candidates = [dep("a"), dep("b")]
    stats = {"a": DeploymentStats(latency=0.01, ttft=2.0), "b": DeploymentStats(latency=0.09, ttft=0.3)}
    assert set(picks(Strategy.LATENCY, candidates, stats, stream=True)) == {"b"}
    assert set(picks(Strategy.LATENCY, candidates, stats, stream=False)) == {"a"}


def test_latency_treats_a_deployment_without_a_stream_sample_as_unsampled_for_streams() -> None:
    candidates = [dep("a"), dep("b")]
    stats = {"a": DeploymentStats(latency=0.01, ttft=0.2), "b": DeploymentStats(latency=0.01)}
    assert set(picks(Strategy.LATENCY, candidates, stats, stream=True)) == {"b"}


# --- cost ------------------------------------------------------------------------------------------


PRICES = {"cheap": 1e-6, "dear": 3e-5, "also-cheap": 1e-6}


def test_cost_picks_the_cheapest_deployment() -> None:
    candidates = [dep("dear"), dep("cheap")]
    assert set(picks(Strategy.COST, candidates, {}, price=lambda d: PRICES.get(d.id))) == {"cheap"}


def test_cost_breaks_ties_at_random() -> None:
    candidates = [dep("dear"), dep("cheap"), dep("also-cheap")]
    assert set(picks(Strategy.COST, candidates, {}, price=lambda d: PRICES.get(d.id))) == {"cheap", "also-cheap"}


def test_cost_puts_deployments_with_an_unknown_price_after_priced_ones() -> None:
    candidates = [dep("unknown"), dep("dear")]
    assert set(picks(Strategy.COST, candidates, {}, price=lambda d: PRICES.get(d.id))) == {"dear"}


def test_cost_picks_at_random_when_no_price_is_known() -> None:
    candidates = [dep("x"), dep("y")]
    assert set(picks(Strategy.COST, candidates, {})) == {"x", "y"}


# --- usage -----------------------------------------------------------------------------------------


def test_usage_picks_the_lowest_share_of_tpm_used() -> None:
    candidates = [dep("big", tpm=100_000), dep("small", tpm=10_000)]
    stats = {"big": DeploymentStats(tpm_used=20_000), "small": DeploymentStats(tpm_used=5_000)}
    assert set(picks(Strategy.USAGE, candidates, stats)) == {"big"}


def test_usage_falls_back_to_the_share_of_rpm_used() -> None:
    candidates = [dep("a", rpm=10), dep("b", rpm=100)]
    stats = {"a": DeploymentStats(rpm_used=5, tpm_used=1), "b": DeploymentStats(rpm_used=20, tpm_used=9_000)}
    assert set(picks(Strategy.USAGE, candidates, stats)) == {"b"}


def test_usage_without_limits_compares_tokens_used() -> None:
    candidates = [dep("a"), dep("b")]
    stats = {"a": DeploymentStats(tpm_used=900), "b": DeploymentStats(tpm_used=300)}
    assert set(picks(Strategy.USAGE, candidates, stats)) == {"b"}


def test_usage_breaks_ties_at_random() -> None:
    candidates = [dep("a", tpm=1000), dep("b", tpm=2000)]
    stats = {"a": DeploymentStats(tpm_used=100), "b": DeploymentStats(tpm_used=200)}
    assert set(picks(Strategy.USAGE, candidates, stats)) == {"a", "b"}
