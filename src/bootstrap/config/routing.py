"""The router's policy from ``router_settings`` and ``litellm_settings``: strategy, retries,
cooldowns, fallbacks; every problem with the setting it comes from. Pure: values only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from switchboard.application.router import RouterPolicy
from switchboard.bootstrap.config.schema import Config
from switchboard.domain.routing.policies import CooldownPolicy, Fallbacks, RetryPolicy
from switchboard.domain.routing.strategies import strategy_named

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
            max_request_retries=router.max_request_retries,
            max_request_fallbacks=router.max_request_fallbacks,
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
