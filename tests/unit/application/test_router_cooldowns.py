"""Cooldowns: a failing deployment is taken out of rotation for a while, never leaving its group
with nothing when nothing can take over; priority tiers; health checks cool deployments too."""

from __future__ import annotations

import pytest

from switchboard.application.router import RouterPolicy
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    BadRequest,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
)
from switchboard.domain.health import EndpointHealth
from switchboard.domain.routing import CooldownPolicy, Fallbacks, RetryPolicy
from tests.fakes.routing import Answer, ScriptedAttempts
from tests.support.routing import Rig, call_info, deployment, rig

A_FAILS = {"a": [ProviderUnavailable("down")]}
A_RATE_LIMITED = {"a": [RateLimited("slow down")]}


def cooling(allowed_fails: int = 1, cooldown_time: float = 30.0, *, fallbacks: Fallbacks | None = None) -> RouterPolicy:
    policy = CooldownPolicy(allowed_fails=allowed_fails, cooldown_time=cooldown_time)
    if fallbacks is None:
        return RouterPolicy(cooldowns=policy)
    return RouterPolicy(cooldowns=policy, fallbacks=fallbacks)


async def serving(r: Rig, attempts: ScriptedAttempts) -> str:
    """The deployment that serves one call, or the name of the error the call ends with."""
    try:
        return (await r.router.run(call_info(), attempts)).deployment.id
    except AllDeploymentsFailed as err:
        return type(err.last).__name__
    except SwitchboardError as err:
        return type(err).__name__


async def test_a_deployment_cools_down_after_more_failures_than_allowed() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(allowed_fails=1))
    attempts = ScriptedAttempts(A_FAILS)
    served = [await serving(r, attempts) for _ in range(3)]
    assert served == ["ProviderUnavailable", "ProviderUnavailable", "b"]
    assert attempts.calls == ["a", "a", "b"]  # the second failure was one too many


async def test_a_cooled_down_deployment_is_skipped_until_its_cooldown_time_has_passed() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(allowed_fails=0, cooldown_time=30.0))
    attempts = ScriptedAttempts({"a": [ProviderUnavailable("down"), Answer("a")]})
    await serving(r, attempts)
    r.clock.advance(29.0)
    assert await serving(r, attempts) == "b"
    r.clock.advance(1.0)
    assert await serving(r, attempts) == "a"


async def test_a_rate_limit_cools_a_deployment_down_at_once() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(allowed_fails=3))
    attempts = ScriptedAttempts(A_RATE_LIMITED)
    assert [await serving(r, attempts) for _ in range(2)] == ["RateLimited", "b"]


async def test_a_rate_limit_with_a_longer_retry_after_cools_for_that_long() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(cooldown_time=5.0))
    await serving(r, ScriptedAttempts({"a": [RateLimited("slow down", retry_after=90.0)]}))
    assert (await r.stats("a")).cooldown_until == r.clock.now() + 90.0


async def test_a_request_fault_never_cools_a_deployment_down() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(allowed_fails=0))
    attempts = ScriptedAttempts({"a": [BadRequest("bad")]})
    assert [await serving(r, attempts) for _ in range(3)] == ["BadRequest"] * 3


async def test_the_last_healthy_deployment_of_a_group_without_fallback_is_never_cooled() -> None:
    r = rig([deployment("a")], cooling(allowed_fails=0))
    attempts = ScriptedAttempts(A_RATE_LIMITED)
    assert [await serving(r, attempts) for _ in range(2)] == ["RateLimited", "RateLimited"]
    assert attempts.calls == ["a", "a"]
    assert (await r.stats("a")).cooldown_until is None


async def test_the_last_healthy_deployment_is_cooled_when_its_group_has_a_fallback() -> None:
    policy = cooling(cooldown_time=30.0, fallbacks=Fallbacks(general={"m": ("n",)}))
    r = rig([deployment("a"), deployment("b", group="n")], policy)
    attempts = ScriptedAttempts(A_RATE_LIMITED)
    assert [await serving(r, attempts) for _ in range(2)] == ["b", "b"]
    assert attempts.calls == ["a", "b", "b"]  # the second call found its group cooling and fell back
    assert (await r.stats("a")).cooldown_until == r.clock.now() + 30.0


async def test_with_cooldowns_disabled_nothing_cools_down() -> None:
    r = rig([deployment("a"), deployment("b")], RouterPolicy(cooldowns=CooldownPolicy(disabled=True)))
    attempts = ScriptedAttempts(A_RATE_LIMITED)
    assert [await serving(r, attempts) for _ in range(3)] == ["RateLimited"] * 3
    assert (await r.stats("a")).cooldown_until is None


async def test_a_cooldown_is_alerted() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(cooldown_time=30.0))
    await serving(r, ScriptedAttempts(A_RATE_LIMITED))
    [alert] = r.alerts.alerts
    assert alert.type == "cooldown_deployment"
    assert (alert.deployment, alert.model_group, alert.until) == ("a", "m", r.clock.now() + 30.0)


async def test_when_every_deployment_is_cooling_the_group_answers_no_deployments_available() -> None:
    # two groups falling back to each other, so neither spares its last deployment
    policy = cooling(cooldown_time=30.0, fallbacks=Fallbacks(general={"m": ("n",), "n": ("m",)}))
    r = rig([deployment("a"), deployment("b", group="n")], policy)
    attempts = ScriptedAttempts({"a": [RateLimited("slow down")], "b": [RateLimited("slow down")]})
    await serving(r, attempts)
    r.clock.advance(10.0)
    with pytest.raises(RateLimited) as raised:
        await r.router.run(call_info(), attempts)
    assert raised.value.code == "no_deployments_available"
    assert raised.value.retry_after == 20.0
    assert attempts.calls == ["a", "b"]


# --- priority tiers --------------------------------------------------------------------------------


async def test_the_first_priority_tier_serves_while_it_is_healthy() -> None:
    r = rig([deployment("second", order=2), deployment("first", order=1)])
    assert [await serving(r, ScriptedAttempts()) for _ in range(3)] == ["first"] * 3


async def test_the_second_priority_tier_serves_once_the_first_cools_down() -> None:
    r = rig([deployment("second", order=2), deployment("first", order=1)], cooling(cooldown_time=30.0))
    attempts = ScriptedAttempts({"first": [RateLimited("slow down"), Answer("first")]})
    assert [await serving(r, attempts) for _ in range(2)] == ["RateLimited", "second"]
    r.clock.advance(30.0)
    assert await serving(r, attempts) == "first"


async def test_a_retry_moves_to_the_second_tier_once_the_first_has_cooled_down() -> None:
    policy = RouterPolicy(retries=RetryPolicy(num_retries=1), cooldowns=CooldownPolicy())
    r = rig([deployment("second", order=2), deployment("first", order=1)], policy)
    routed = await r.router.run(call_info(), ScriptedAttempts({"first": [RateLimited("slow down")]}))
    assert routed.deployment.id == "second"
    assert routed.attempted == ("first",)
    assert r.sleep.delays == []


async def test_a_retry_stays_in_the_first_priority_tier_after_a_backoff_while_it_is_not_cooling() -> None:
    policy = RouterPolicy(retries=RetryPolicy(num_retries=1, base_delay=1.0), cooldowns=CooldownPolicy(allowed_fails=3))
    r = rig([deployment("second", order=2), deployment("first", order=1)], policy, random=[0.5])
    attempts = ScriptedAttempts({"first": [ProviderUnavailable("down"), Answer("first")]})
    routed = await r.router.run(call_info(), attempts)
    assert routed.deployment.id == "first"
    assert attempts.calls == ["first", "first"]
    assert r.sleep.delays == [0.5]


# --- health checks ---------------------------------------------------------------------------------


def health(deployment_id: str, *, healthy: bool, group: str = "m") -> EndpointHealth:
    return EndpointHealth(deployment_id, group, f"openai/up-{deployment_id}", None, healthy, error="down")


async def test_an_unhealthy_health_result_cools_that_deployment_down() -> None:
    r = rig([deployment("a"), deployment("b")], cooling(cooldown_time=30.0))
    await r.router.health_result(health("a", healthy=False))
    assert (await r.stats("a")).cooldown_until == r.clock.now() + 30.0
    assert await serving(r, ScriptedAttempts()) == "b"


async def test_a_healthy_health_result_cools_nothing() -> None:
    r = rig([deployment("a"), deployment("b")])
    await r.router.health_result(health("a", healthy=True))
    assert await serving(r, ScriptedAttempts()) == "a"


async def test_an_unhealthy_health_result_spares_the_last_deployment_of_a_group_without_fallback() -> None:
    r = rig([deployment("a"), deployment("b")])
    await r.router.health_result(health("a", healthy=False))
    await r.router.health_result(health("b", healthy=False))
    assert (await r.stats("b")).cooldown_until is None
    assert await serving(r, ScriptedAttempts()) == "b"


async def test_an_unhealthy_health_result_cools_the_last_deployment_when_its_group_has_a_fallback() -> None:
    r = rig([deployment("a"), deployment("b", group="n")], cooling(fallbacks=Fallbacks(general={"m": ("n",)})))
    await r.router.health_result(health("a", healthy=False))
    assert await serving(r, ScriptedAttempts()) == "b"


# --- retries beside a cooling sibling --------------------------------------------------------------


async def test_a_retry_on_the_same_deployment_waits_for_retry_after_while_its_sibling_is_cooling() -> None:
    policy = RouterPolicy(retries=RetryPolicy(num_retries=1), cooldowns=CooldownPolicy(cooldown_time=30.0))
    r = rig([deployment("a"), deployment("b")], policy)
    await r.router.health_result(health("b", healthy=False))
    attempts = ScriptedAttempts({"a": [RateLimited("slow down", retry_after=3.0), Answer("a")]})
    routed = await r.router.run(call_info(), attempts)
    assert attempts.calls == ["a", "a"]  # b is cooling, so the retry goes to a again...
    assert routed.attempted == ("a",)
    assert len(r.sleep.delays) == 1 and r.sleep.delays[0] >= 3.0  # ...once its Retry-After has passed
