"""A ``Router`` over fakes, for the router's specifications: deployments, calls, and the rig that
holds the router with its clock, routing state, recorded sleeps and alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from switchboard.adapters.outbound.routing.memory import MemoryRoutingState
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.router import Router, RouterPolicy
from switchboard.domain.call_options import options_of
from switchboard.domain.calls import CallInfo
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.routing import DeploymentStats
from tests.fakes import FakeClock, FakeRandom
from tests.fakes.observability import RecordingAlerts
from tests.fakes.routing import RecordingSleep

# FakeClock's start, 1_700_000_000, is 20 seconds into its minute.
SECONDS_LEFT_IN_MINUTE = 40.0


def deployment(id: str, group: str = "m", **fields: Any) -> Deployment:
    """A deployment ``id`` of model group ``group``; ``fields`` set rpm, tpm, weight, order, tags..."""
    return Deployment(id=id, model_name=group, provider="openai", model=f"up-{id}", **fields)


def call_info(
    group: str = "m", *, tags: list[str] | None = None, prompt_tokens: int = 0, stream: bool = False
) -> CallInfo[ChatRequest]:
    """A chat call for ``group``; ``tags`` go in the request's ``metadata.tags``."""
    request = ChatRequest.model_validate(
        {
            "model": group,
            "messages": [{"role": "user", "content": "hi"}],
            "metadata": {"tags": tags} if tags is not None else None,
        }
    )
    return CallInfo(
        kind="chat",
        request=request,
        ctx=CallContext(request_id="r1"),
        model_group=group,
        options=options_of(request),
        prompt_tokens=prompt_tokens,
        stream=stream,
    )


@dataclass
class Rig:
    """A router with everything it was built from, for tests to drive and inspect."""

    router: Router
    clock: FakeClock
    state: MemoryRoutingState | None
    sleep: RecordingSleep
    alerts: RecordingAlerts = field(default_factory=RecordingAlerts)

    async def stats(self, deployment_id: str) -> DeploymentStats:
        """The routing state's live figures for one deployment, now."""
        assert self.state is not None
        return (await self.state.stats([deployment_id], self.clock.now()))[deployment_id]


def rig(
    deployments: Sequence[Deployment],
    policy: RouterPolicy | None = None,
    *,
    stateful: bool = True,
    random: Sequence[float] = (0.0,),
) -> Rig:
    """A router over ``deployments`` with a ``MemoryRoutingState`` (unless not ``stateful``), a
    ``FakeClock``, a ``FakeRandom`` returning ``random`` in a loop, a recording sleep and alerts."""
    clock, sleep, alerts = FakeClock(), RecordingSleep(), RecordingAlerts()
    state = MemoryRoutingState() if stateful else None
    router = Router(
        DeploymentDirectory(deployments),
        FakeRandom(random),
        clock,
        policy=policy,
        state=state,
        alerts=alerts,
        sleep=sleep,
    )
    return Rig(router, clock, state, sleep, alerts)
