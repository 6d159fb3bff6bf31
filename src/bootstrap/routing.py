"""The router's wiring: ``router_settings`` (and LiteLLM's ``litellm_settings`` duplicates) become
a ``RouterPolicy``; the routing state lives in Redis when the gateway has one, else in memory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from switchboard.adapters.outbound.routing import FailoverRoutingState, MemoryRoutingState
from switchboard.application.router import RouterPolicy
from switchboard.bootstrap.config import Config
from switchboard.domain.catalog import ModelInfo, with_overrides
from switchboard.domain.deployments import Deployment
from switchboard.domain.ports.catalog import ModelCatalog
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.routing_state import RoutingState
from switchboard.domain.routing.policies import CooldownPolicy, Fallbacks, RetryPolicy
from switchboard.domain.routing.strategies import strategy_named

log = logging.getLogger(__name__)

# Each routing problem ``config check`` can report, with the setting it comes from.
PolicyProblem = tuple[str, str]


def router_policy(config: Config) -> RouterPolicy:
    """The router's policy; raises ``ValueError`` naming the setting at fault."""
    policy, problems = checked_policy(config)
    if problems:
        raise ValueError("; ".join(f"{path}: {message}" for path, message in problems))
    assert policy is not None
    return policy


def checked_policy(config: Config) -> tuple[RouterPolicy | None, list[PolicyProblem]]:
    """The router's policy and every problem in the settings that make it (path, message)."""
    router, litellm = config.router_settings, config.litellm_settings
    problems: list[PolicyProblem] = []

    def attempt(path: str, build: Callable[[], Any]) -> Any:
        try:
            return build()
        except ValueError as exc:
            problems.append((path, str(exc)))
            return None

    strategy = attempt("router_settings.routing_strategy", lambda: strategy_named(router.routing_strategy))
    num_retries = _first(router.num_retries, litellm.num_retries, 0)
    retries = attempt(
        "router_settings.retry_policy",
        lambda: RetryPolicy.from_litellm(
            num_retries,
            router.retry_policy,
            **({"base_delay": router.retry_after} if router.retry_after else {}),
        ),
    )
    cooldowns = attempt(
        "router_settings.allowed_fails_policy",
        lambda: CooldownPolicy.from_litellm(
            _first(router.allowed_fails, litellm.allowed_fails, None),
            _first(router.cooldown_time, litellm.cooldown_time, None),
            router.allowed_fails_policy,
            router.disable_cooldowns,
        ),
    )
    source = router if _any_fallbacks(router) else litellm
    section = "router_settings" if source is router else "litellm_settings"
    fallbacks = attempt(
        f"{section}.fallbacks",
        lambda: Fallbacks.from_litellm(
            source.fallbacks,
            source.default_fallbacks,
            source.context_window_fallbacks,
            source.content_policy_fallbacks,
            router.max_fallbacks,
        ),
    )
    if fallbacks is not None:
        problems.extend(_unknown_groups(config, fallbacks, section))
    if problems:
        return None, problems
    return (
        RouterPolicy(
            strategy=strategy,
            retries=retries,
            cooldowns=cooldowns,
            fallbacks=fallbacks,
            latency_buffer=router.routing_strategy_args.lowest_latency_buffer,
            context_window_check=router.enable_pre_call_checks,
            tag_filtering=router.enable_tag_filtering,
        ),
        [],
    )


def _first(*values: Any) -> Any:
    for value in values[:-1]:
        if value is not None:
            return value
    return values[-1]


def _any_fallbacks(settings: Any) -> bool:
    return any(
        getattr(settings, name) is not None
        for name in ("fallbacks", "default_fallbacks", "context_window_fallbacks", "content_policy_fallbacks")
    )


def _unknown_groups(config: Config, fallbacks: Fallbacks, section: str) -> list[PolicyProblem]:
    groups = {entry.model_name for entry in config.model_list}
    wildcard = any(name.endswith("*") for name in groups)
    tables = {
        "fallbacks": fallbacks.general,
        "context_window_fallbacks": fallbacks.context_window,
        "content_policy_fallbacks": fallbacks.content_policy,
    }
    named = [
        (name, target)
        for name, table in tables.items()
        for group, targets in table.items()
        for target in (group, *targets)
    ]
    named += [("default_fallbacks", target) for target in fallbacks.default]
    return [
        (f"{section}.{name}", f"`{target}` is not a model_name in model_list")
        for name, target in named
        if target not in groups and not wildcard
    ]


def catalog_lookups(
    catalog: ModelCatalog | None,
) -> tuple[Callable[[Deployment], float | None], Callable[[Deployment], int | None]]:
    """Cost-based routing's price of a deployment (input plus output USD per token) and the
    pre-call check's context window: the deployment's ``model_info`` over the model catalog's
    entry. Looked up once per deployment."""
    known: dict[str, ModelInfo | None] = {}

    def info(deployment: Deployment) -> ModelInfo | None:
        if deployment.id not in known:
            base = catalog.info(deployment) if catalog is not None else None
            if deployment.model_info:
                base = with_overrides(base or ModelInfo(name=deployment.model), deployment.model_info)
            known[deployment.id] = base
        return known[deployment.id]

    def price(deployment: Deployment) -> float | None:
        found = info(deployment)
        if found is None or found.prices.input is None or found.prices.output is None:
            return None
        return found.prices.input + found.prices.output

    def context_window(deployment: Deployment) -> int | None:
        found = info(deployment)
        return found.max_input_tokens if found is not None else None

    return price, context_window


async def open_routing_state(config: Config, redis: Any, clock: Clock) -> AsyncIterator[RoutingState]:
    """Redis (shared by every instance, falling back to memory while Redis is down) when the gateway
    has a Redis and ``router_settings.routing_state`` is not ``memory``; memory otherwise."""
    mode = config.router_settings.routing_state
    if mode == "redis" and redis is None:
        raise ValueError("router_settings.routing_state is redis but no Redis is configured")
    if redis is None or mode == "memory":
        yield MemoryRoutingState()
        return
    from switchboard.adapters.outbound.routing.redis import RedisRoutingState

    yield FailoverRoutingState(RedisRoutingState(redis), MemoryRoutingState(), clock_monotonic=clock.monotonic)
