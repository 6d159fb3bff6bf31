"""Checks: which deployments of a group may take the next attempt at all."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from switchboard.domain.deployments import Deployment
from switchboard.domain.routing import DeploymentStats, by_tags, context_window_of, eligible, lowest_order

NOW = 1_700_000_000.0


def dep(id: str, **fields: Any) -> Deployment:
    return Deployment(id=id, model_name="gpt-4o", provider="openai", model="gpt-4o", **fields)


def ids(deployments: Iterable[Deployment]) -> list[str]:
    return [d.id for d in deployments]


# --- tags ------------------------------------------------------------------------------------------


GROUP = [dep("eu", tags=("eu", "prod")), dep("us", tags=("us",)), dep("fallback", tags=("default",)), dep("plain")]


def test_a_request_without_tags_goes_to_the_default_deployments() -> None:
    assert ids(by_tags(GROUP, None)) == ["fallback"]
    assert ids(by_tags(GROUP, [])) == ["fallback"]


def test_a_request_without_tags_may_use_every_deployment_when_none_is_default() -> None:
    group = [dep("eu", tags=("eu",)), dep("plain")]
    assert ids(by_tags(group, None)) == ["eu", "plain"]


def test_a_tagged_request_uses_the_deployments_sharing_a_tag() -> None:
    assert ids(by_tags(GROUP, ["prod", "us"])) == ["eu", "us"]


def test_a_tagged_request_without_a_match_uses_the_default_deployments() -> None:
    assert ids(by_tags(GROUP, ["apac"])) == ["fallback"]


def test_a_tagged_request_without_a_match_or_a_default_gets_nothing() -> None:
    assert by_tags([dep("eu", tags=("eu",)), dep("plain")], ["apac"]) == []


# --- order -----------------------------------------------------------------------------------------


def test_only_the_lowest_order_tier_is_used() -> None:
    group = [dep("a", order=2), dep("b", order=1), dep("c", order=1), dep("d", order=3)]
    assert ids(lowest_order(group)) == ["b", "c"]


def test_deployments_without_an_order_come_after_numbered_ones() -> None:
    assert ids(lowest_order([dep("none"), dep("five", order=5)])) == ["five"]


def test_deployments_without_any_order_form_one_tier() -> None:
    assert ids(lowest_order([dep("a"), dep("b")])) == ["a", "b"]


def test_the_next_tier_takes_over_when_the_first_is_cooling() -> None:
    group = [dep("primary", order=1), dep("backup", order=2), dep("spare")]
    stats = {"primary": DeploymentStats(cooldown_until=NOW + 5)}
    assert ids(eligible(group, stats, NOW).deployments) == ["backup"]


# --- cooldown --------------------------------------------------------------------------------------


def test_a_cooled_down_deployment_is_skipped() -> None:
    stats = {"a": DeploymentStats(cooldown_until=NOW + 10)}
    result = eligible([dep("a"), dep("b")], stats, NOW)
    assert ids(result.deployments) == ["b"]
    assert result.cooling == ("a",)


def test_a_deployment_whose_cooldown_has_ended_is_used_again() -> None:
    stats = {"a": DeploymentStats(cooldown_until=NOW)}
    result = eligible([dep("a")], stats, NOW)
    assert ids(result.deployments) == ["a"]
    assert result.retry_after is None


def test_retry_after_is_the_time_until_the_earliest_cooldown_ends() -> None:
    stats = {"a": DeploymentStats(cooldown_until=NOW + 30), "b": DeploymentStats(cooldown_until=NOW + 4)}
    result = eligible([dep("a"), dep("b")], stats, NOW)
    assert result.deployments == ()
    assert result.retry_after == pytest.approx(4.0)


# --- context window --------------------------------------------------------------------------------


def test_a_deployment_whose_context_window_cannot_hold_the_prompt_is_skipped() -> None:
    small = dep("small", model_info={"max_input_tokens": 8_000})
    large = dep("large", model_info={"max_input_tokens": 128_000})
    unknown = dep("unknown")
    result = eligible([small, large, unknown], {}, NOW, prompt_tokens=10_000, context_window=context_window_of)
    assert ids(result.deployments) == ["large", "unknown"]
    assert result.too_small == ("small",)


def test_the_context_window_is_not_checked_without_a_prompt_size() -> None:
    small = dep("small", model_info={"max_input_tokens": 10})
    assert ids(eligible([small], {}, NOW, context_window=context_window_of).deployments) == ["small"]


@pytest.mark.parametrize(
    ("model_info", "expected"),
    [
        ({"max_input_tokens": 200_000, "max_tokens": 8_192}, 200_000),
        ({"max_tokens": 8_192}, 8_192),
        ({"max_input_tokens": None, "max_tokens": 4_096}, 4_096),
        ({"max_input_tokens": "32000"}, 32_000),
        ({"max_input_tokens": 16384.0}, 16_384),
        ({}, None),
        ({"max_input_tokens": "lots"}, None),
        ({"max_input_tokens": 0}, None),
        ({"max_input_tokens": True}, None),
    ],
)
def test_the_context_window_comes_from_model_info(model_info: dict[str, Any], expected: int | None) -> None:
    assert context_window_of(dep("d", model_info=model_info)) == expected


# --- rpm / tpm limits ------------------------------------------------------------------------------


def test_a_deployment_at_its_rpm_is_skipped() -> None:
    stats = {"a": DeploymentStats(rpm_used=60), "b": DeploymentStats(rpm_used=59)}
    result = eligible([dep("a", rpm=60), dep("b", rpm=60)], stats, NOW)
    assert ids(result.deployments) == ["b"]
    assert result.at_limit == ("a",)


def test_a_deployment_whose_tpm_cannot_take_the_prompt_is_skipped() -> None:
    stats = {"a": DeploymentStats(tpm_used=9_500), "b": DeploymentStats(tpm_used=9_000)}
    result = eligible([dep("a", tpm=10_000), dep("b", tpm=10_000)], stats, NOW, prompt_tokens=1_000)
    assert ids(result.deployments) == ["b"]
    assert result.at_limit == ("a",)


def test_limits_are_not_checked_when_the_caller_says_so() -> None:
    stats = {"a": DeploymentStats(rpm_used=60)}
    assert ids(eligible([dep("a", rpm=60)], stats, NOW, check_limits=False).deployments) == ["a"]


def test_a_deployment_without_limits_is_never_at_its_limit() -> None:
    stats = {"a": DeploymentStats(rpm_used=10_000, tpm_used=10_000_000)}
    assert ids(eligible([dep("a")], stats, NOW, prompt_tokens=5_000).deployments) == ["a"]


def test_each_dropped_deployment_is_reported_under_the_first_check_it_fails() -> None:
    both = dep("both", rpm=1, model_info={"max_tokens": 10})
    stats = {"both": DeploymentStats(rpm_used=1, cooldown_until=NOW + 1)}
    result = eligible([both], stats, NOW, prompt_tokens=100, context_window=context_window_of)
    assert (result.cooling, result.too_small, result.at_limit) == (("both",), (), ())
