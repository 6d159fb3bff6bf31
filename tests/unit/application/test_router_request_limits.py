"""What a request may ask of the router, within what the operator allows (issue 11, items 2 and
16): its own ``num_retries`` and ``fallbacks`` are capped and de-duplicated, the whole call keeps
one deadline, a deployment's own ``num_retries`` is honoured, fallbacks pass a gate, and a call
whose every deployment failed says when to come back."""

from __future__ import annotations

import pytest

from switchboard.application.router import RouterPolicy
from switchboard.domain.call_options import options_of
from switchboard.domain.calls import CallInfo
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import AllDeploymentsFailed, PermissionDenied, ProviderUnavailable
from switchboard.domain.routing import Fallbacks, RetryPolicy
from switchboard.domain.routing.policies import CooldownPolicy
from tests.fakes.routing import ScriptedAttempts
from tests.support.routing import deployment, rig


def down() -> ProviderUnavailable:
    return ProviderUnavailable("down", status=500)


def asking(group: str = "m", *, deadline: float | None = None, **extra: object) -> CallInfo[ChatRequest]:
    """A chat call for ``group`` whose body carries ``extra`` gateway parameters."""
    request = ChatRequest.model_validate({"model": group, "messages": [{"role": "user", "content": "hi"}], **extra})
    return CallInfo(
        kind="chat",
        request=request,
        ctx=CallContext(request_id="r1"),
        model_group=group,
        options=options_of(request),
        deadline=deadline,
    )


def failing(*ids: str) -> ScriptedAttempts:
    return ScriptedAttempts({i: [down()] for i in ids})


async def test_a_requests_num_retries_is_capped_at_the_configured_num_retries() -> None:
    r = rig([deployment("a")], RouterPolicy(retries=RetryPolicy(num_retries=2)))
    attempts = failing("a")
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(num_retries=30), attempts)
    assert len(attempts.calls) == 3  # one call and 2 retries, not 31


async def test_max_request_retries_sets_the_cap_for_requests() -> None:
    r = rig([deployment("a")], RouterPolicy(retries=RetryPolicy(num_retries=0), max_request_retries=4))
    attempts = failing("a")
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(num_retries=30), attempts)
    assert len(attempts.calls) == 5


async def test_repeated_request_fallbacks_are_tried_once_each() -> None:
    r = rig([deployment("a"), deployment("b", group="other")])
    attempts = failing("a", "b")
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(fallbacks=["other"] * 20), attempts)
    assert attempts.calls == ["a", "b"]


async def test_request_fallbacks_are_cut_to_max_request_fallbacks() -> None:
    groups = [f"g{i}" for i in range(8)]
    r = rig([deployment("a"), *(deployment(g, group=g) for g in groups)], RouterPolicy(max_request_fallbacks=3))
    attempts = failing("a", *groups)
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(fallbacks=groups), attempts)
    assert attempts.calls == ["a", "g0", "g1", "g2"]


async def test_no_retry_starts_after_the_deadline() -> None:
    r = rig([deployment("a")], RouterPolicy(retries=RetryPolicy(num_retries=5)))
    deadline = r.clock.monotonic() + 10

    class Slow(ScriptedAttempts):
        async def __call__(self, d: Deployment) -> object:
            r.clock.advance(6)  # each attempt takes 6 s of the 10 s
            return await super().__call__(d)

    attempts = Slow({"a": [down()]})
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(deadline=deadline), attempts)
    assert len(attempts.calls) == 2  # the third would start 12 s in


async def test_no_fallback_starts_after_the_deadline() -> None:
    fallbacks = Fallbacks(general={"m": ("other",)})
    r = rig([deployment("a"), deployment("b", group="other")], RouterPolicy(fallbacks=fallbacks))
    deadline = r.clock.monotonic() + 5

    class Slow(ScriptedAttempts):
        async def __call__(self, d: Deployment) -> object:
            r.clock.advance(6)
            return await super().__call__(d)

    attempts = Slow({"a": [down()]})
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(deadline=deadline), attempts)
    assert attempts.calls == ["a"]


async def test_a_backoff_that_would_outlast_the_deadline_ends_the_call_instead() -> None:
    r = rig([deployment("a")], RouterPolicy(retries=RetryPolicy(num_retries=3, base_delay=20.0)), random=[0.9])
    attempts = failing("a")
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(deadline=r.clock.monotonic() + 5), attempts)
    assert attempts.calls == ["a"]
    assert r.sleep.delays == []


async def test_a_deployments_own_num_retries_is_honoured() -> None:
    r = rig([deployment("a", num_retries=3)], RouterPolicy(retries=RetryPolicy(num_retries=1)))
    attempts = failing("a")
    with pytest.raises(AllDeploymentsFailed):
        await r.router.run(asking(), attempts)
    assert len(attempts.calls) == 4


async def test_a_fallback_the_gate_refuses_is_skipped_and_noted_on_the_answer() -> None:
    fallbacks = Fallbacks(general={"m": ("premium", "cheap")})
    r = rig(
        [deployment("a"), deployment("p", group="premium"), deployment("c", group="cheap")],
        RouterPolicy(fallbacks=fallbacks),
    )

    async def gate(group: str) -> None:
        if group == "premium":
            raise PermissionDenied("no", code="model_not_allowed")

    info = asking()
    routed = await r.router.run(info, failing("a"), gate=gate)
    assert routed.deployment.id == "c"
    assert info.ctx.response_headers["x-switchboard-skipped-fallbacks"] == "premium (model_not_allowed)"


async def test_when_every_deployment_failed_the_error_says_when_the_group_is_back() -> None:
    fallbacks = Fallbacks(general={"m": ("other",)})  # with a fallback, the last deployment cools down
    policy = RouterPolicy(fallbacks=fallbacks, cooldowns=CooldownPolicy(allowed_fails=0, cooldown_time=30))
    r = rig([deployment("a"), deployment("b", group="other")], policy)
    with pytest.raises(AllDeploymentsFailed) as raised:
        await r.router.run(asking(), failing("a", "b"))
    assert raised.value.last.retry_after == 30
    assert raised.value.last.status == 500  # the upstream's status is kept
