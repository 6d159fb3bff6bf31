"""Failure policies: error classes, retries, cooldowns and spare_last."""

from __future__ import annotations

import pytest

from switchboard.domain.errors import (
    AllDeploymentsFailed,
    Attempt,
    AuthenticationError,
    BadRequest,
    BudgetExceeded,
    ContentPolicyViolation,
    ContextWindowExceeded,
    InternalError,
    ModelNotFound,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    ServiceUnavailable,
    SwitchboardError,
    Timeout,
    UnsupportedParameter,
    UpstreamProtocolError,
)
from switchboard.domain.routing import CooldownPolicy, ErrorClass, RetryPolicy, error_class, spare_last
from tests.fakes.system import FakeRandom

# --- error classes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("err", "expected"),
    [
        (ContextWindowExceeded("too long"), "context_window"),
        (ContentPolicyViolation("refused"), "content_policy"),
        (BadRequest("bad"), "bad_request"),
        (UnsupportedParameter("no logprobs"), "bad_request"),
        (PayloadTooLarge("huge"), "bad_request"),
        (BudgetExceeded("spent"), "bad_request"),
        (AuthenticationError("who"), "authentication"),
        (PermissionDenied("no"), "authentication"),
        (NotFound("gone"), "not_found"),
        (ModelNotFound("gone"), "not_found"),
        (RateLimited("slow down"), "rate_limit"),
        (Timeout("late"), "timeout"),
        (ProviderUnavailable("503"), "server"),
        (UpstreamProtocolError("garbled"), "server"),
        (InternalError("bug"), "server"),
        (ServiceUnavailable("db down"), "server"),
        (SwitchboardError("other"), "server"),
    ],
)
def test_each_error_has_its_class(err: SwitchboardError, expected: ErrorClass) -> None:
    assert error_class(err) == expected


def test_all_deployments_failed_has_the_class_of_its_last_attempt() -> None:
    err = AllDeploymentsFailed([Attempt("a", "p", Timeout("late")), Attempt("b", "p", RateLimited("slow down"))])
    assert error_class(err) == "rate_limit"


# --- retries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "err",
    [BadRequest("x"), ContextWindowExceeded("x"), ContentPolicyViolation("x"), AuthenticationError("x"), NotFound("x")],
)
def test_errors_a_retry_cannot_fix_are_not_retried(err: SwitchboardError) -> None:
    assert RetryPolicy(num_retries=3).retries_for(err) == 0


@pytest.mark.parametrize("err", [RateLimited("x"), Timeout("x"), ProviderUnavailable("x"), InternalError("x")])
def test_transient_errors_get_num_retries(err: SwitchboardError) -> None:
    assert RetryPolicy(num_retries=3).retries_for(err) == 3


def test_per_class_retry_counts_win_over_the_defaults() -> None:
    policy = RetryPolicy(num_retries=3, per_class={"timeout": 1, "bad_request": 2})
    assert policy.retries_for(Timeout("x")) == 1
    assert policy.retries_for(BadRequest("x")) == 2
    assert policy.retries_for(RateLimited("x")) == 3


def test_retry_delays_grow_exponentially() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=100.0)
    almost_one = FakeRandom([0.999999])
    delays = [policy.delay(n, Timeout("x"), almost_one) for n in (1, 2, 3, 4)]
    assert delays == pytest.approx([0.5, 1.0, 2.0, 4.0], rel=1e-5)


def test_retry_delays_are_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    assert policy.delay(10, Timeout("x"), FakeRandom([0.999999])) == pytest.approx(8.0, rel=1e-5)


def test_retry_delays_are_fully_jittered() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    assert policy.delay(3, Timeout("x"), FakeRandom([0.25])) == pytest.approx(1.0)
    assert policy.delay(3, Timeout("x"), FakeRandom([0.0])) == 0.0


def test_a_retry_waits_at_least_the_errors_retry_after() -> None:
    policy = RetryPolicy(base_delay=0.1, max_delay=8.0, honour_retry_after_up_to=30.0)
    assert policy.delay(1, RateLimited("x", retry_after=12.0), FakeRandom([0.5])) == 12.0


def test_a_retry_after_beyond_the_honoured_limit_is_ignored() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, honour_retry_after_up_to=30.0)
    assert policy.delay(1, RateLimited("x", retry_after=120.0), FakeRandom([0.5])) == pytest.approx(0.5)


def test_retry_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        RetryPolicy().delay(0, Timeout("x"), FakeRandom())


def test_litellm_retry_policy_keys_map_to_error_classes() -> None:
    policy = RetryPolicy.from_litellm(
        2,
        {
            "BadRequestErrorRetries": 1,
            "AuthenticationErrorRetries": 0,
            "TimeoutErrorRetries": 4,
            "RateLimitErrorRetries": 5,
            "ContentPolicyViolationErrorRetries": 6,
            "InternalServerErrorRetries": 7,
            "ContextWindowExceededErrorRetries": 8,
            "NotFoundErrorRetries": 9,
        },
        max_delay=2.0,
    )
    assert policy.num_retries == 2
    assert policy.max_delay == 2.0
    assert dict(policy.per_class) == {
        "bad_request": 1,
        "authentication": 0,
        "timeout": 4,
        "rate_limit": 5,
        "content_policy": 6,
        "server": 7,
        "context_window": 8,
        "not_found": 9,
    }


def test_litellm_retry_policy_entries_left_unset_keep_the_defaults() -> None:
    policy = RetryPolicy.from_litellm(3, {"TimeoutErrorRetries": None})
    assert policy.retries_for(Timeout("x")) == 3
    assert RetryPolicy.from_litellm(3, None).per_class == {}


def test_an_unknown_litellm_retry_policy_key_is_named() -> None:
    with pytest.raises(ValueError, match="TimeoutRetries"):
        RetryPolicy.from_litellm(1, {"TimeoutRetries": 2})


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_a_retry_count_must_be_a_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        RetryPolicy.from_litellm(1, {"TimeoutErrorRetries": bad})


# --- cooldowns -------------------------------------------------------------------------------------


@pytest.mark.parametrize("err", [BadRequest("x"), ContextWindowExceeded("x"), ContentPolicyViolation("x")])
def test_the_requests_own_faults_never_cool_a_deployment(err: SwitchboardError) -> None:
    assert CooldownPolicy(per_class={"bad_request": 0, "content_policy": 0}).reaction(err) == "ignore"


@pytest.mark.parametrize("err", [RateLimited("x"), AuthenticationError("x"), NotFound("x")])
def test_rate_limits_and_bad_credentials_cool_a_deployment_at_once(err: SwitchboardError) -> None:
    assert CooldownPolicy().reaction(err) == "immediate"


def test_an_allowance_for_rate_limits_makes_them_counted() -> None:
    policy = CooldownPolicy(per_class={"rate_limit": 2})
    assert policy.reaction(RateLimited("x")) == "count"
    assert policy.allowed_for(RateLimited("x")) == 2


@pytest.mark.parametrize("err", [Timeout("x"), ProviderUnavailable("x"), InternalError("x")])
def test_timeouts_and_server_errors_are_counted(err: SwitchboardError) -> None:
    assert CooldownPolicy().reaction(err) == "count"


def test_disabled_cooldowns_ignore_every_error() -> None:
    policy = CooldownPolicy(disabled=True)
    assert {policy.reaction(e) for e in (RateLimited("x"), Timeout("x"), AuthenticationError("x"))} == {"ignore"}


def test_allowed_fails_come_from_the_class_else_the_default() -> None:
    policy = CooldownPolicy(allowed_fails=3, per_class={"timeout": 10})
    assert policy.allowed_for(Timeout("x")) == 10
    assert policy.allowed_for(ProviderUnavailable("x")) == 3


def test_a_cooldown_lasts_cooldown_time_or_the_longer_retry_after() -> None:
    policy = CooldownPolicy(cooldown_time=5.0)
    assert policy.cooldown_seconds(ProviderUnavailable("x")) == 5.0
    assert policy.cooldown_seconds(RateLimited("x", retry_after=2.0)) == 5.0
    assert policy.cooldown_seconds(RateLimited("x", retry_after=20.0)) == 20.0


def test_litellm_cooldown_settings_map_to_the_policy() -> None:
    policy = CooldownPolicy.from_litellm(
        1,
        30,
        {
            "BadRequestErrorAllowedFails": 1,
            "AuthenticationErrorAllowedFails": 2,
            "TimeoutErrorAllowedFails": 3,
            "RateLimitErrorAllowedFails": 4,
            "ContentPolicyViolationErrorAllowedFails": 5,
            "InternalServerErrorAllowedFails": 6,
        },
    )
    assert (policy.allowed_fails, policy.cooldown_time, policy.disabled) == (1, 30.0, False)
    assert dict(policy.per_class) == {
        "bad_request": 1,
        "authentication": 2,
        "timeout": 3,
        "rate_limit": 4,
        "content_policy": 5,
        "server": 6,
    }


def test_unset_litellm_cooldown_settings_keep_the_defaults() -> None:
    assert CooldownPolicy.from_litellm(None, None, None) == CooldownPolicy()
    assert CooldownPolicy.from_litellm(None, None, None, disable_cooldowns=True).disabled


def test_an_unknown_litellm_allowed_fails_key_is_named() -> None:
    with pytest.raises(ValueError, match="NotFoundErrorAllowedFails"):
        CooldownPolicy.from_litellm(None, None, {"NotFoundErrorAllowedFails": 1})


def test_a_negative_cooldown_time_is_refused() -> None:
    with pytest.raises(ValueError, match="cooldown_time"):
        CooldownPolicy.from_litellm(None, -1, None)


# --- spare_last ------------------------------------------------------------------------------------


def test_the_last_healthy_deployment_of_a_group_without_fallback_is_spared() -> None:
    assert spare_last(healthy_others=0, has_fallback=False)


def test_a_deployment_with_healthy_siblings_may_cool_down() -> None:
    assert not spare_last(healthy_others=1, has_fallback=False)


def test_the_last_healthy_deployment_may_cool_down_when_a_fallback_can_take_over() -> None:
    assert not spare_last(healthy_others=0, has_fallback=True)
