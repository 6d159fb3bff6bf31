"""``router_settings`` as ``config check`` and the router see them."""

from __future__ import annotations

from typing import Any

from switchboard.bootstrap.config.check import check_config
from switchboard.bootstrap.config.routing import router_policy
from switchboard.bootstrap.settings import to_deployment
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


def test_the_caps_on_a_requests_retries_and_fallbacks_come_from_router_settings() -> None:
    # issue 11, item 2
    loaded, _ = check_config(
        {"model_list": MODELS, "router_settings": {"max_request_retries": 2, "max_request_fallbacks": 1}}
    )
    assert loaded is not None
    policy = router_policy(loaded.config)
    assert (policy.max_request_retries, policy.max_request_fallbacks) == (2, 1)


def test_a_deployments_num_retries_reaches_the_router() -> None:
    # issue 11, item 16: honoured, not silently dropped
    loaded, _ = check_config(
        {"model_list": [{"model_name": "a", "litellm_params": {"model": "mock/x", "num_retries": 4}}]}
    )
    assert loaded is not None
    deployment = to_deployment(loaded.config.model_list[0], 0, {"mock"})
    assert deployment.num_retries == 4 and "num_retries" not in deployment.params
