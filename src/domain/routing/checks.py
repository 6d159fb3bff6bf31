"""Checks: which deployments of a model group may take the next attempt at all.

The router narrows a group in this order: ``by_tags`` (the request's tags), then ``eligible``
(cooldowns, context window, rpm/tpm limits, then the priority tier). A strategy then picks one
of what is left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from switchboard.domain.deployments import Deployment
from switchboard.domain.routing.stats import NO_STATS, DeploymentStats

DEFAULT_TAG = "default"


def by_tags(candidates: Sequence[Deployment], tags: Sequence[str] | None) -> list[Deployment]:
    """The deployments that serve the request's tags.

    Without request tags, those tagged ``default`` when there are any, else every candidate.
    Otherwise those sharing at least one tag with the request; if none does, those tagged
    ``default``; else none.
    """
    if not tags:
        defaults = [d for d in candidates if DEFAULT_TAG in d.tags]
        return defaults or list(candidates)
    wanted = set(tags)
    matching = [d for d in candidates if wanted.intersection(d.tags)]
    if matching:
        return matching
    return [d for d in candidates if DEFAULT_TAG in d.tags]


def lowest_order(candidates: Sequence[Deployment]) -> list[Deployment]:
    """The priority tier: the deployments with the smallest ``order``.

    A deployment without an ``order`` comes after every numbered one: it is used only when no
    numbered deployment is left. When no deployment has an order, all of them form one tier.
    """
    orders = [d.order for d in candidates if d.order is not None]
    if not orders:
        return list(candidates)
    first = min(orders)
    return [d for d in candidates if d.order == first]


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The outcome of ``eligible``: who may take the attempt, and why the others may not.

    ``deployments`` may take it (the best priority tier of those that pass). ``cooling``,
    ``too_small`` and ``at_limit`` hold the ids of those dropped (each under the first check it
    failed, in that order). ``retry_after`` is the seconds until the earliest cooldown ends, when
    anything is cooling; ``None`` otherwise.
    """

    deployments: tuple[Deployment, ...]
    cooling: tuple[str, ...] = ()
    too_small: tuple[str, ...] = ()
    at_limit: tuple[str, ...] = ()
    retry_after: float | None = None


def eligible(
    candidates: Sequence[Deployment],
    stats: Mapping[str, DeploymentStats],
    now: float,
    *,
    prompt_tokens: int | None = None,
    context_window: Callable[[Deployment], int | None] = lambda d: None,
    check_limits: bool = True,
) -> Eligibility:
    """The candidates that may take an attempt at ``now`` (epoch seconds).

    Drops those cooling down, those whose known context window cannot hold ``prompt_tokens``
    (when given), and, with ``check_limits``, those whose rpm is used up or whose tpm cannot take
    ``prompt_tokens`` more. Of the rest, only the lowest ``order`` tier stays.
    """
    passed: list[Deployment] = []
    cooling: list[str] = []
    too_small: list[str] = []
    at_limit: list[str] = []
    cooldown_ends: list[float] = []
    for d in candidates:
        s = stats.get(d.id, NO_STATS)
        if s.cooling(now):
            cooling.append(d.id)
            if s.cooldown_until is not None:
                cooldown_ends.append(s.cooldown_until)
        elif _too_small(d, prompt_tokens, context_window):
            too_small.append(d.id)
        elif check_limits and at_its_limit(d, s, prompt_tokens or 0):
            at_limit.append(d.id)
        else:
            passed.append(d)
    return Eligibility(
        deployments=tuple(lowest_order(passed)),
        cooling=tuple(cooling),
        too_small=tuple(too_small),
        at_limit=tuple(at_limit),
        retry_after=min(cooldown_ends) - now if cooldown_ends else None,
    )


def at_its_limit(deployment: Deployment, stats: DeploymentStats, prompt_tokens: int = 0) -> bool:
    """Whether the deployment's rpm is used up, or its tpm cannot take ``prompt_tokens`` more this minute."""
    if deployment.rpm is not None and stats.rpm_used >= deployment.rpm:
        return True
    return deployment.tpm is not None and stats.tpm_used + prompt_tokens > deployment.tpm


def context_window_of(d: Deployment) -> int | None:
    """The deployment's input context window in tokens, from ``model_info``.

    ``max_input_tokens``, else ``max_tokens``; ``None`` when neither is a positive whole number.
    """
    for key in ("max_input_tokens", "max_tokens"):
        window = _positive_int(d.model_info.get(key))
        if window is not None:
            return window
    return None


def _too_small(d: Deployment, prompt_tokens: int | None, context_window: Callable[[Deployment], int | None]) -> bool:
    if prompt_tokens is None:
        return False
    window = context_window(d)
    return window is not None and prompt_tokens > window


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value > 0:
        return value
    return None
