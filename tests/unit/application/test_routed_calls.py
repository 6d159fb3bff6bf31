"""RoutedCalls settles every call it admits exactly once, streams included."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import pytest

from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.hooks import HookPipeline
from switchboard.application.routed_calls import RoutedCalls
from switchboard.application.router import Router
from switchboard.domain.calls import CallOutcome
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import ProviderUnavailable, RateLimited
from switchboard.domain.images import ImageRequest
from tests.fakes import FakeClock, FakeRandom
from tests.fakes.hooks import RecordingHook, RecordingSink

CTX = CallContext(request_id="r1")
REQUEST = ImageRequest(model="m", prompt="cat")


@dataclass
class Opened:
    exits: AsyncExitStack = field(default_factory=AsyncExitStack)
    closed: list[bool] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.exits.callback(self.closed.append, True)


def calls() -> tuple[RoutedCalls, RecordingHook, RecordingSink]:
    directory = DeploymentDirectory([Deployment(id="d1", model_name="m", provider="up", model="up-model")])
    hook, sink = RecordingHook(), RecordingSink()
    return (
        RoutedCalls(Router(directory, FakeRandom(), FakeClock()), FakeClock(), HookPipeline([hook], [sink])),
        hook,
        sink,
    )


async def test_a_stream_read_to_its_end_is_settled_once_completed_and_closed() -> None:
    routed_calls, hook, sink = calls()
    opened = Opened()
    info = routed_calls.info("speech", REQUEST, CTX, stream=True)
    outcome = CallOutcome(info=info, completed=False)

    async def attempt(deployment: Deployment) -> Opened:
        return opened

    async with routed_calls.streamed(info, attempt, outcome) as routed:
        assert routed.deployment.id == "d1"
        assert sink.outcomes == []
        outcome.completed = True
    assert sink.outcomes == [outcome] and len(hook.settled) == 1
    assert outcome.completed and outcome.error is None and outcome.deployment is not None
    assert opened.closed == [True]


async def test_an_error_inside_the_stream_settles_it_once_incomplete_with_the_error() -> None:
    routed_calls, _, sink = calls()
    opened = Opened()
    info = routed_calls.info("speech", REQUEST, CTX, stream=True)
    outcome = CallOutcome(info=info, completed=False)

    async def attempt(deployment: Deployment) -> Opened:
        return opened

    with pytest.raises(RateLimited):
        async with routed_calls.streamed(info, attempt, outcome):
            outcome.completed = True  # all read, and yet the block failed
            raise RateLimited("the caller gave up")
    assert sink.outcomes == [outcome]
    assert not outcome.completed and isinstance(outcome.error, RateLimited)
    assert opened.closed == [True]


async def test_a_stream_that_fails_to_open_is_settled_once_with_the_failure() -> None:
    routed_calls, _, sink = calls()
    info = routed_calls.info("speech", REQUEST, CTX, stream=True)
    outcome = CallOutcome(info=info, completed=False)

    async def attempt(deployment: Deployment) -> Opened:
        raise ProviderUnavailable("down", provider="up", deployment=deployment.id)

    with pytest.raises(ProviderUnavailable):
        async with routed_calls.streamed(info, attempt, outcome):
            pytest.fail("the block must not run")
    assert sink.outcomes == [outcome] and isinstance(outcome.error, ProviderUnavailable)
    assert not outcome.completed
