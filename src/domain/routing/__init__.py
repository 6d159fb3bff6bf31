"""Routing: which deployment of a model group takes the next attempt, and what happens when it fails.

Everything here is a pure function of the candidates, their live stats (``DeploymentStats``), the
time and an injected random source; the application's ``Router`` does the I/O.

- ``checks``: which deployments may take an attempt (tags, cooldowns, context window, limits, order);
- ``strategies``: which of those takes it (shuffle, least busy, latency, cost, usage);
- ``policies``: retries, cooldowns and fallbacks when an attempt fails, by class of error.
"""

from switchboard.domain.routing.checks import Eligibility, by_tags, context_window_of, eligible, lowest_order
from switchboard.domain.routing.policies import (
    CooldownPolicy,
    ErrorClass,
    Fallbacks,
    RetryPolicy,
    error_class,
    spare_last,
)
from switchboard.domain.routing.shuffle import deployment_weight, weighted_pick
from switchboard.domain.routing.stats import DeploymentStats
from switchboard.domain.routing.strategies import Strategy, choose, needs_latency, needs_usage, strategy_named

__all__ = [
    "CooldownPolicy",
    "DeploymentStats",
    "Eligibility",
    "ErrorClass",
    "Fallbacks",
    "RetryPolicy",
    "Strategy",
    "by_tags",
    "choose",
    "context_window_of",
    "deployment_weight",
    "eligible",
    "error_class",
    "lowest_order",
    "needs_latency",
    "needs_usage",
    "spare_last",
    "strategy_named",
    "weighted_pick",
]
