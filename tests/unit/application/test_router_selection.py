"""Which deployment takes an attempt: rpm/tpm limits, least-busy and latency-based strategies, tag
filtering and the context-window pre-check."""

from __future__ import annotations

import asyncio

import pytest

from switchboard.application.router import RouterPolicy
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest, ContextWindowExceeded, ProviderUnavailable, RateLimited
from switchboard.domain.routing import Fallbacks, RetryPolicy, Strategy
from switchboard.domain.usage import Usage
from tests.fakes import FakeClock
from tests.fakes.routing import Answer, ScriptedAttempts, answer_usage
from tests.support.routing import SECONDS_LEFT_IN_MINUTE, Rig, call_info, deployment, rig


async def serve(
    r: Rig, attempts: ScriptedAttempts, *, tags: list[str] | None = None, prompt_tokens: int = 0, stream: bool = False
) -> str:
    """The id of the deployment that serves one call (a stream is read to its end at once)."""
    info = call_info(tags=tags, prompt_tokens=prompt_tokens, stream=stream)
    routed = await r.router.run(info, attempts, answer_usage)
    await routed.finish()
    return routed.deployment.id


# --- rpm / tpm -------------------------------------------------------------------------------------


async def test_a_deployment_serves_its_rpm_then_its_group_answers_no_deployments_available() -> None:
    r = rig([deployment("a", rpm=2)])
    attempts = ScriptedAttempts()
    assert [await serve(r, attempts) for _ in range(2)] == ["a", "a"]
    with pytest.raises(RateLimited) as raised:
        await serve(r, attempts)
    assert raised.value.code == "no_deployments_available"
    assert raised.value.retry_after == SECONDS_LEFT_IN_MINUTE
    assert attempts.calls == ["a", "a"]


async def test_a_deployment_at_its_rpm_serves_again_the_next_minute() -> None:
    r = rig([deployment("a", rpm=2)])
    attempts = ScriptedAttempts()
    for _ in range(2):
        await serve(r, attempts)
    r.clock.advance(SECONDS_LEFT_IN_MINUTE)
    assert await serve(r, attempts) == "a"


async def test_traffic_spills_to_a_sibling_once_a_deployment_reaches_its_rpm() -> None:
    r = rig([deployment("a", rpm=2), deployment("b", rpm=100)])  # a first draw of 0.0 picks a
    assert [await serve(r, ScriptedAttempts()) for _ in range(4)] == ["a", "a", "b", "b"]


async def test_the_usage_an_answer_reports_counts_toward_tpm() -> None:
    r = rig([deployment("a", tpm=1000)])
    await serve(r, ScriptedAttempts({"a": [Answer("a", Usage.of(40, 20))]}))
    assert (await r.stats("a")).tpm_used == 60


async def test_a_failed_attempt_gives_back_the_tokens_it_reserved() -> None:
    r = rig([deployment("a", tpm=1000), deployment("b")], RouterPolicy(retries=RetryPolicy(num_retries=1)))  # a first
    down = ProviderUnavailable("down", provider="openai", deployment="a")
    attempts = ScriptedAttempts({"a": [down]})
    assert await serve(r, attempts, prompt_tokens=300) == "b"
    assert attempts.calls == ["a", "b"]
    assert (await r.stats("a")).tpm_used == 0


async def test_a_deployment_whose_tpm_cannot_take_the_prompt_lets_a_sibling_serve() -> None:
    r = rig([deployment("a", tpm=100), deployment("b", tpm=1000)])
    await serve(r, ScriptedAttempts({"a": [Answer("a", Usage.of(40, 20))]}))
    assert await serve(r, ScriptedAttempts(), prompt_tokens=50) == "b"  # 60 + 50 > 100


async def test_a_deployment_whose_tpm_is_used_up_leaves_its_group_with_no_deployments_available() -> None:
    r = rig([deployment("a", tpm=100)])
    await serve(r, ScriptedAttempts({"a": [Answer("a", Usage.of(80, 20))]}))
    with pytest.raises(RateLimited) as raised:
        await serve(r, ScriptedAttempts(), prompt_tokens=1)
    assert raised.value.code == "no_deployments_available"


# --- least busy ------------------------------------------------------------------------------------


async def test_least_busy_prefers_the_deployment_with_fewer_calls_in_flight() -> None:
    r = rig([deployment("a"), deployment("b")], RouterPolicy(strategy=Strategy.LEAST_BUSY))
    started, answer = asyncio.Event(), asyncio.Event()

    async def held_open(d: Deployment) -> Answer:
        started.set()
        await answer.wait()
        return Answer(d.id)

    first = asyncio.create_task(r.router.run(call_info(), held_open))
    await started.wait()
    assert await serve(r, ScriptedAttempts()) == "b"  # a still has a call in flight
    answer.set()
    assert (await first).deployment.id == "a"
    assert (await r.stats("a")).in_flight == 0


# --- latency ---------------------------------------------------------------------------------------


def taking(clock: FakeClock, seconds: dict[str, float]) -> ScriptedAttempts:
    """Attempts that take ``seconds[deployment id]`` on the clock before they answer."""

    class Timed(ScriptedAttempts):
        async def __call__(self, deployment: Deployment) -> object:
            clock.advance(seconds[deployment.id])
            return await super().__call__(deployment)

    return Timed()


async def test_latency_based_routing_prefers_the_faster_deployment_once_both_have_samples() -> None:
    r = rig([deployment("slow"), deployment("fast")], RouterPolicy(strategy=Strategy.LATENCY))
    attempts = taking(r.clock, {"slow": 2.0, "fast": 0.5})
    served = [await serve(r, attempts) for _ in range(4)]
    assert served == ["slow", "fast", "fast", "fast"]  # each unsampled one gets a call first


async def test_streams_are_routed_by_time_to_first_token_not_by_latency() -> None:
    r = rig([deployment("a"), deployment("b")], RouterPolicy(strategy=Strategy.LATENCY))
    whole_answers = taking(r.clock, {"a": 1.0, "b": 3.0})  # a answers faster...
    first_tokens = taking(r.clock, {"a": 2.0, "b": 0.5})  # ...but b starts streaming sooner
    assert [await serve(r, whole_answers) for _ in range(3)] == ["a", "b", "a"]
    assert [await serve(r, first_tokens, stream=True) for _ in range(3)] == ["a", "b", "b"]
    assert (await r.stats("b")).ttft == 0.5


# --- tags ------------------------------------------------------------------------------------------

TAGGED = [deployment("eu", tags=("eu",)), deployment("us", tags=("us",)), deployment("any", tags=("default",))]
TAG_FILTERING = RouterPolicy(tag_filtering=True)


async def test_request_tags_pick_the_deployments_tagged_with_them() -> None:
    r = rig(TAGGED, TAG_FILTERING)
    assert await serve(r, ScriptedAttempts(), tags=["us"]) == "us"


async def test_a_deployment_tagged_default_serves_requests_whose_tags_match_no_deployment() -> None:
    r = rig(TAGGED, TAG_FILTERING)
    assert await serve(r, ScriptedAttempts(), tags=["apac"]) == "any"


async def test_request_tags_matching_no_deployment_and_no_default_are_a_bad_request() -> None:
    r = rig([deployment("eu", tags=("eu",)), deployment("plain")], TAG_FILTERING)
    attempts = ScriptedAttempts()
    with pytest.raises(BadRequest) as raised:
        await serve(r, attempts, tags=["apac"])
    assert raised.value.code == "no_matching_tags"
    assert attempts.calls == []


async def test_request_tags_are_ignored_without_tag_filtering() -> None:
    r = rig(TAGGED)
    assert await serve(r, ScriptedAttempts(), tags=["us"]) == "eu"


# --- context window --------------------------------------------------------------------------------

CONTEXT_WINDOW_CHECK = RouterPolicy(context_window_check=True)
SMALL = deployment("small", model_info={"max_input_tokens": 100})
LARGE = deployment("large", model_info={"max_input_tokens": 1000})


async def test_a_deployment_too_small_for_the_prompt_is_skipped() -> None:
    r = rig([SMALL, LARGE], CONTEXT_WINDOW_CHECK)
    assert await serve(r, ScriptedAttempts(), prompt_tokens=500) == "large"


async def test_a_prompt_that_fits_no_deployment_raises_context_window_exceeded() -> None:
    r = rig([SMALL], CONTEXT_WINDOW_CHECK)
    attempts = ScriptedAttempts()
    with pytest.raises(ContextWindowExceeded):
        await serve(r, attempts, prompt_tokens=500)
    assert attempts.calls == []


async def test_a_prompt_that_fits_no_deployment_goes_to_the_context_window_fallback() -> None:
    policy = RouterPolicy(context_window_check=True, fallbacks=Fallbacks(context_window={"m": ("big",)}))
    r = rig([SMALL, deployment("huge", group="big", model_info={"max_input_tokens": 100_000})], policy)
    assert await serve(r, ScriptedAttempts(), prompt_tokens=500) == "huge"


async def test_without_the_context_window_check_a_small_deployment_is_tried() -> None:
    r = rig([SMALL, LARGE], RouterPolicy(context_window_check=False))
    assert await serve(r, ScriptedAttempts(), prompt_tokens=500) == "small"


async def test_a_routed_stream_stays_in_flight_until_finished_and_finishing_twice_counts_once() -> None:
    r = rig([deployment("a")], RouterPolicy(strategy=Strategy.LEAST_BUSY))
    routed = await r.router.run(call_info(stream=True), ScriptedAttempts())
    assert (await r.stats("a")).in_flight == 1
    await routed.finish()
    await routed.finish()
    assert (await r.stats("a")).in_flight == 0
