"""The router on the real system clock, with time frozen and moved by freezegun: cooldowns
expire and rpm windows roll over with the wall clock, as in production."""

from __future__ import annotations

import random

import pytest
from freezegun import freeze_time

from switchboard.adapters.outbound.routing.memory import MemoryRoutingState
from switchboard.adapters.outbound.system import SystemClock
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.router import Router, RouterPolicy
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ProviderUnavailable, RateLimited
from switchboard.domain.routing.policies import CooldownPolicy, Fallbacks
from tests.support.routing import call_info, deployment


def router(deployments: list[Deployment], cooldowns: CooldownPolicy | None = None) -> Router:
    fallbacks = Fallbacks(general={"m": ("spare",)}, context_window={}, content_policy={})
    return Router(
        DeploymentDirectory(deployments),
        random.Random(7),
        SystemClock(),
        policy=RouterPolicy(fallbacks=fallbacks, cooldowns=cooldowns or CooldownPolicy()),
        state=MemoryRoutingState(),
    )


async def ok(d: Deployment) -> str:
    return d.id


async def a_down(d: Deployment) -> str:
    if d.id == "a":
        raise ProviderUnavailable("down", provider=d.provider, deployment=d.id)
    return d.id


async def test_a_cooldown_expires_when_the_wall_clock_passes_it() -> None:
    subject = router(
        [deployment("a"), deployment("spare", group="spare")],
        cooldowns=CooldownPolicy(allowed_fails=0, cooldown_time=30),
    )
    with freeze_time("2026-11-27 12:00:00", real_asyncio=True) as frozen:
        routed = await subject.run(call_info(), a_down)  # a fails, cools down, the fallback answers
        assert routed.attempted == ("a",)
        assert (await subject.run(call_info(), ok)).deployment.id == "spare"  # still cooling: fallback
        frozen.tick(29)
        assert (await subject.run(call_info(), ok)).deployment.id == "spare"
        frozen.tick(2)
        assert (await subject.run(call_info(), ok)).deployment.id == "a"  # 31 s later: back


async def test_an_rpm_window_rolls_over_at_the_next_wall_clock_minute() -> None:
    subject = router([deployment("a", rpm=2)])
    with freeze_time("2026-11-27 12:00:50", real_asyncio=True) as frozen:
        await subject.run(call_info(), ok)
        await subject.run(call_info(), ok)
        with pytest.raises(RateLimited) as refused:
            await subject.run(call_info(), ok)
        assert refused.value.retry_after == pytest.approx(10.0)
        frozen.tick(10)
        assert (await subject.run(call_info(), ok)).deployment.id == "a"
