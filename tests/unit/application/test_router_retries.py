"""The router's attempts: which deployment is tried first, retries with backoff, fallbacks between
model groups, and what a cancelled attempt leaves behind."""

from __future__ import annotations

import asyncio

import pytest

from switchboard.application.router import RouterPolicy
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    Attempt,
    AuthenticationError,
    BadRequest,
    ContentPolicyViolation,
    ContextWindowExceeded,
    ModelNotFound,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
    Timeout,
)
from switchboard.domain.routing import Fallbacks, RetryPolicy, Strategy
from tests.fakes.routing import Answer, ScriptedAttempts
from tests.support.routing import call_info, deployment, rig


def retrying(num_retries: int, base_delay: float = 0.1) -> RouterPolicy:
    return RouterPolicy(retries=RetryPolicy(num_retries=num_retries, base_delay=base_delay))


def falling_back(fallbacks: Fallbacks) -> RouterPolicy:
    return RouterPolicy(fallbacks=fallbacks)


# --- the first attempt -----------------------------------------------------------------------------


@pytest.mark.parametrize(("draw", "expected"), [(0.1, "light"), (0.5, "heavy")])
async def test_the_default_router_without_state_picks_a_deployment_by_weight(draw: float, expected: str) -> None:
    # weights 1 and 3: a draw below a quarter lands on the light one, above on the heavy one
    r = rig([deployment("light", weight=1), deployment("heavy", weight=3)], stateful=False, random=[draw])
    routed = await r.router.run(call_info(), ScriptedAttempts())
    assert routed.deployment.id == expected
    assert routed.value == Answer(expected)
    assert routed.attempted == ()


async def test_the_default_router_makes_a_single_attempt() -> None:
    r = rig([deployment("a"), deployment("b")], stateful=False)
    attempts = ScriptedAttempts({"a": [ProviderUnavailable("down")], "b": [ProviderUnavailable("down")]})
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(call_info(), attempts)
    assert isinstance(raised.value.last, ProviderUnavailable)
    assert attempts.calls == ["a"]
    assert r.sleep.delays == []


# --- retries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [ProviderUnavailable("down"), RateLimited("slow down"), Timeout("too slow")])
async def test_a_retryable_failure_is_retried_on_another_deployment_of_the_group(error: SwitchboardError) -> None:
    r = rig([deployment("a"), deployment("b")], retrying(1))
    attempts = ScriptedAttempts({"a": [error]})
    routed = await r.router.run(call_info(), attempts)
    assert routed.deployment.id == "b"
    assert attempts.calls == ["a", "b"]
    assert r.sleep.delays == []  # another deployment needs no backoff


async def test_routed_attempted_lists_the_failed_deployments_in_order() -> None:
    r = rig([deployment("a"), deployment("b"), deployment("c")], retrying(2))
    attempts = ScriptedAttempts({"a": [ProviderUnavailable("down")], "b": [Timeout("slow")]})
    routed = await r.router.run(call_info(), attempts)
    assert routed.deployment.id == "c"
    assert routed.attempted == ("a", "b")


async def test_with_one_deployment_the_retry_goes_to_it_again_after_the_backoff_delay() -> None:
    r = rig([deployment("a")], retrying(1, base_delay=1.0), random=[0.5])
    attempts = ScriptedAttempts({"a": [ProviderUnavailable("down"), Answer("a")]})
    routed = await r.router.run(call_info(), attempts)
    assert attempts.calls == ["a", "a"]
    assert routed.attempted == ("a",)
    assert r.sleep.delays == [0.5]  # full jitter: half of base_delay


async def test_the_backoff_doubles_with_each_retry() -> None:
    r = rig([deployment("a")], retrying(2, base_delay=1.0), random=[0.5])
    attempts = ScriptedAttempts({"a": [ProviderUnavailable("down"), ProviderUnavailable("down"), Answer("a")]})
    await r.router.run(call_info(), attempts)
    assert r.sleep.delays == [0.5, 1.0]


async def test_retry_after_is_honoured_before_retrying_the_same_deployment() -> None:
    r = rig([deployment("a")], retrying(1))
    attempts = ScriptedAttempts({"a": [RateLimited("slow down", retry_after=3.0), Answer("a")]})
    await r.router.run(call_info(), attempts)
    assert len(r.sleep.delays) == 1
    assert r.sleep.delays[0] >= 3.0


async def test_no_retry_is_made_beyond_num_retries() -> None:
    r = rig([deployment("a")], retrying(2))
    attempts = ScriptedAttempts({"a": [ProviderUnavailable("down")]})
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(call_info(), attempts)
    assert attempts.calls == ["a", "a", "a"]
    assert raised.value.attempted == ("a", "a", "a")


async def test_when_every_attempt_fails_the_failure_lists_each_attempt_and_ends_with_the_last_error() -> None:
    r = rig([deployment("a"), deployment("b")], retrying(1))
    first, last = ProviderUnavailable("a down"), Timeout("b too slow")
    attempts = ScriptedAttempts({"a": [first], "b": [last]})
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(call_info(), attempts)
    failed = raised.value
    assert failed.last is last and failed.attempted == ("a", "b")
    assert failed.attempts == (Attempt("a", "openai", first), Attempt("b", "openai", last))
    assert (failed.status, failed.message) == (last.status, last.message)


async def test_when_no_deployment_was_tried_the_error_is_raised_as_it_is() -> None:
    r = rig([deployment("a", rpm=1)])
    await r.router.run(call_info(), ScriptedAttempts())
    with pytest.raises(RateLimited) as raised:
        await r.router.run(call_info(), ScriptedAttempts())
    assert raised.value.code == "no_deployments_available"


@pytest.mark.parametrize(
    "error", [BadRequest("bad"), ContentPolicyViolation("refused"), AuthenticationError("wrong key")]
)
async def test_a_request_fault_or_a_wrong_credential_is_not_retried_by_default(error: SwitchboardError) -> None:
    r = rig([deployment("a"), deployment("b")], retrying(3))
    attempts = ScriptedAttempts({"a": [error]})
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(call_info(), attempts)
    assert raised.value.last is error
    assert attempts.calls == ["a"]


async def test_a_per_class_retry_policy_retries_what_is_not_retried_by_default() -> None:
    policy = RouterPolicy(retries=RetryPolicy(per_class={"authentication": 1}))
    r = rig([deployment("a"), deployment("b")], policy)
    attempts = ScriptedAttempts({"a": [AuthenticationError("wrong key")]})
    routed = await r.router.run(call_info(), attempts)
    assert routed.deployment.id == "b"
    assert attempts.calls == ["a", "b"]


async def test_a_per_class_retry_policy_stops_retries_num_retries_would_allow() -> None:
    policy = RouterPolicy(retries=RetryPolicy(num_retries=3, per_class={"timeout": 0}))
    r = rig([deployment("a"), deployment("b")], policy)
    attempts = ScriptedAttempts({"a": [Timeout("slow")]})
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(call_info(), attempts)
    assert isinstance(raised.value.last, Timeout)
    assert attempts.calls == ["a"]


# --- fallbacks -------------------------------------------------------------------------------------

MAIN = deployment("main", group="gpt")
SPARE = deployment("spare", group="spare-gpt")
BIG = deployment("big", group="big-gpt")
LENIENT = deployment("lenient", group="lenient-gpt")
EVERY_GROUP: list[Deployment] = [MAIN, SPARE, BIG, LENIENT]
SPECIFIC = Fallbacks(
    general={"gpt": ("spare-gpt",)}, context_window={"gpt": ("big-gpt",)}, content_policy={"gpt": ("lenient-gpt",)}
)


async def test_the_general_fallback_serves_after_the_group_fails() -> None:
    r = rig(EVERY_GROUP, falling_back(SPECIFIC))
    routed = await r.router.run(call_info("gpt"), ScriptedAttempts({"main": [ProviderUnavailable("down")]}))
    assert routed.deployment.id == "spare"
    assert routed.attempted == ("main",)


async def test_a_context_window_error_goes_to_the_context_window_fallback() -> None:
    r = rig(EVERY_GROUP, falling_back(SPECIFIC))
    routed = await r.router.run(call_info("gpt"), ScriptedAttempts({"main": [ContextWindowExceeded("too long")]}))
    assert routed.deployment.id == "big"


async def test_a_content_policy_violation_goes_to_the_content_policy_fallback() -> None:
    r = rig(EVERY_GROUP, falling_back(SPECIFIC))
    routed = await r.router.run(call_info("gpt"), ScriptedAttempts({"main": [ContentPolicyViolation("refused")]}))
    assert routed.deployment.id == "lenient"


async def test_default_fallbacks_serve_a_group_without_fallbacks_of_its_own() -> None:
    r = rig(EVERY_GROUP, falling_back(Fallbacks(default=("spare-gpt",))))
    routed = await r.router.run(call_info("gpt"), ScriptedAttempts({"main": [ProviderUnavailable("down")]}))
    assert routed.deployment.id == "spare"


async def test_an_unknown_requested_model_is_raised_at_once_without_falling_back() -> None:
    r = rig(EVERY_GROUP, falling_back(Fallbacks(default=("spare-gpt",))))
    attempts = ScriptedAttempts()
    with pytest.raises(ModelNotFound):
        await r.router.run(call_info("no-such-model"), attempts)
    assert attempts.calls == []


async def test_a_fallback_group_that_does_not_exist_is_skipped() -> None:
    r = rig(EVERY_GROUP, falling_back(Fallbacks(general={"gpt": ("ghost-gpt", "spare-gpt")})))
    routed = await r.router.run(call_info("gpt"), ScriptedAttempts({"main": [ProviderUnavailable("down")]}))
    assert routed.deployment.id == "spare"


async def test_when_the_fallbacks_fail_too_the_failure_lists_every_deployment_tried() -> None:
    r = rig(EVERY_GROUP, falling_back(Fallbacks(general={"gpt": ("spare-gpt", "big-gpt")})))
    attempts = ScriptedAttempts(
        {"main": [ProviderUnavailable("down")], "spare": [Timeout("slow")], "big": [ProviderUnavailable("down")]}
    )
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(call_info("gpt"), attempts)
    assert raised.value.attempted == ("main", "spare", "big")
    assert isinstance(raised.value.last, ProviderUnavailable)


# --- cancellation ----------------------------------------------------------------------------------


async def test_a_cancelled_attempt_releases_its_reservation_and_the_cancellation_propagates() -> None:
    r = rig([deployment("a")], RouterPolicy(strategy=Strategy.LEAST_BUSY))
    started = asyncio.Event()

    async def hangs(d: Deployment) -> Answer:
        started.set()
        await asyncio.Event().wait()  # never answers
        return Answer(d.id)

    task = asyncio.create_task(r.router.run(call_info(), hangs))
    await started.wait()
    assert (await r.stats("a")).in_flight == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await r.stats("a")).in_flight == 0
