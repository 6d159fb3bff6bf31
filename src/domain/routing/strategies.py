"""Routing strategies: which one of the eligible deployments takes the next attempt.

``choose`` is a pure function of the candidates (already filtered by ``checks.eligible``), their
live stats and an injected random source. Every strategy breaks ties at random, so equal
deployments share the load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.randomness import RandomSource
from switchboard.domain.routing.shuffle import weighted_pick
from switchboard.domain.routing.stats import NO_STATS, DeploymentStats

T = TypeVar("T")


class Strategy(StrEnum):
    """The routing strategies, named as LiteLLM's ``routing_strategy`` setting names them."""

    SIMPLE_SHUFFLE = "simple-shuffle"
    LEAST_BUSY = "least-busy"
    LATENCY = "latency-based-routing"
    COST = "cost-based-routing"
    USAGE = "usage-based-routing"


_ALIASES: Mapping[str, Strategy] = {
    **{strategy.value: strategy for strategy in Strategy},
    "usage-based-routing-v2": Strategy.USAGE,
    "lowest-latency": Strategy.LATENCY,
    "latency-based": Strategy.LATENCY,
    "lowest-cost": Strategy.COST,
    "shuffle": Strategy.SIMPLE_SHUFFLE,
}


def strategy_named(name: str) -> Strategy:
    """The strategy a setting names: canonical names and LiteLLM's aliases, any case, ``_`` as ``-``."""
    key = name.strip().lower().replace("_", "-")
    try:
        return _ALIASES[key]
    except KeyError:
        valid = ", ".join(sorted(_ALIASES))
        raise ValueError(f"unknown routing strategy {name!r}; valid names: {valid}") from None


def needs_usage(strategy: Strategy) -> bool:
    """Whether the strategy reads in-flight / rpm / tpm counters (so the router must keep them)."""
    return strategy in (Strategy.LEAST_BUSY, Strategy.USAGE)


def needs_latency(strategy: Strategy) -> bool:
    """Whether the strategy reads latency / time-to-first-token samples."""
    return strategy is Strategy.LATENCY


def choose(
    strategy: Strategy,
    candidates: Sequence[Deployment],
    stats: Mapping[str, DeploymentStats],
    rng: RandomSource,
    *,
    stream: bool = False,
    price: Callable[[Deployment], float | None] = lambda d: None,
    latency_buffer: float = 0.0,
) -> Deployment:
    """The deployment the strategy picks among ``candidates``; stats missing for a deployment are zero.

    - simple-shuffle: at random, in proportion to weight (else rpm, else tpm, else equal shares);
    - least-busy: the fewest requests in flight;
    - latency-based-routing: a deployment without a sample yet (time to first token for streams,
      seconds per output token otherwise) if any; else any within ``latency_buffer`` (a fraction)
      of the fastest;
    - cost-based-routing: the lowest ``price`` (per token); unknown prices come after known ones;
    - usage-based-routing: the lowest share of tpm used (else of rpm, else absolute tokens used).
    """
    if not candidates:
        raise ValueError("choose needs at least one candidate")
    if len(candidates) == 1:
        return candidates[0]

    def stats_of(d: Deployment) -> DeploymentStats:
        return stats.get(d.id, NO_STATS)

    match strategy:
        case Strategy.SIMPLE_SHUFFLE:
            return weighted_pick(candidates, rng)
        case Strategy.LEAST_BUSY:
            return _lowest(candidates, lambda d: stats_of(d).in_flight, rng)
        case Strategy.LATENCY:
            return _fastest(candidates, stats_of, rng, stream=stream, buffer=latency_buffer)
        case Strategy.COST:
            priced = [(d, p) for d in candidates if (p := price(d)) is not None]
            if not priced:
                return _random_one(candidates, rng)
            return _lowest(priced, lambda pair: pair[1], rng)[0]
        case Strategy.USAGE:
            return _lowest(candidates, lambda d: utilisation(d, stats_of(d)), rng)


def utilisation(deployment: Deployment, stats: DeploymentStats) -> float:
    """How used a deployment is this minute: share of tpm, else of rpm, else absolute tokens used."""
    if deployment.tpm:
        return stats.tpm_used / deployment.tpm
    if deployment.rpm:
        return stats.rpm_used / deployment.rpm
    return float(stats.tpm_used)


def _fastest(
    candidates: Sequence[Deployment],
    stats_of: Callable[[Deployment], DeploymentStats],
    rng: RandomSource,
    *,
    stream: bool,
    buffer: float,
) -> Deployment:
    timed: list[tuple[Deployment, float]] = []
    unsampled: list[Deployment] = []
    for d in candidates:
        s = stats_of(d)
        value = s.ttft if stream else s.latency
        if value is None:
            unsampled.append(d)
        else:
            timed.append((d, value))
    if unsampled:
        return _random_one(unsampled, rng)
    limit = min(value for _, value in timed) * (1.0 + max(buffer, 0.0))
    return _random_one([d for d, value in timed if value <= limit], rng)


def _lowest(candidates: Sequence[T], key: Callable[[T], float], rng: RandomSource) -> T:
    """One of the candidates with the lowest key, at random among ties."""
    keyed = [(c, key(c)) for c in candidates]
    best = min(value for _, value in keyed)
    return _random_one([c for c, value in keyed if value == best], rng)


def _random_one(candidates: Sequence[T], rng: RandomSource) -> T:
    """One candidate, uniformly at random."""
    index = int(rng.random() * len(candidates))
    return candidates[min(index, len(candidates) - 1)]
