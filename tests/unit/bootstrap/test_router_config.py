"""``router_settings`` as ``config check`` and the router see them."""

from __future__ import annotations

from typing import Any

from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.config.routing import router_policy
from switchboard.domain.routing.strategies import Strategy

MODELS = [
    {"model_name": "a", "litellm_params": {"model": "mock/x"}},
    {"model_name": "b", "litellm_params": {"model": "mock/y"}},
]


def problems(**sections: Any) -> dict[str, str]:
    _, found = check_config({"model_list": MODELS, **sections})
    return {p.path: p.message for p in found if p.severity == "error"}


def test_litellms_strategy_names_and_settings_make_the_policy() -> None:
    loaded, _ = check_config(
        {
            "model_list": MODELS,
            "router_settings": {
                "routing_strategy": "usage-based-routing-v2",
                "num_retries": 3,
                "allowed_fails": 1,
                "cooldown_time": 12,
                "fallbacks": [{"a": ["b"]}],
                "context_window_fallbacks": [{"a": "b"}],
            },
        }
    )
    assert loaded is not None
    policy = router_policy(loaded.config)
    assert policy.strategy is Strategy.USAGE
    assert policy.retries.num_retries == 3
    assert (policy.cooldowns.allowed_fails, policy.cooldowns.cooldown_time) == (1, 12)
    assert policy.fallbacks.general == {"a": ("b",)}
    assert policy.fallbacks.context_window == {"a": ("b",)}


def test_fallbacks_and_retries_may_live_in_litellm_settings() -> None:
    loaded, _ = check_config(
        {"model_list": MODELS, "litellm_settings": {"num_retries": 2, "fallbacks": [{"a": ["b"]}]}}
    )
    assert loaded is not None
    policy = router_policy(loaded.config)
    assert policy.retries.num_retries == 2
    assert policy.fallbacks.general == {"a": ("b",)}


def test_an_unknown_strategy_is_reported_at_its_path() -> None:
    found = problems(router_settings={"routing_strategy": "fastest"})
    assert "simple-shuffle" in found["router_settings.routing_strategy"]


def test_a_fallback_to_a_group_that_does_not_exist_is_reported() -> None:
    found = problems(router_settings={"fallbacks": [{"a": ["nope"]}]})
    assert "`nope`" in found["router_settings.fallbacks"]


def test_an_unknown_retry_policy_key_is_reported() -> None:
    found = problems(router_settings={"retry_policy": {"SlowErrorRetries": 1}})
    assert "SlowErrorRetries" in found["router_settings.retry_policy"]
