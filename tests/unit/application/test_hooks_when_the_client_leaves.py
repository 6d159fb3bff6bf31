"""A client that leaves while hooks admit or settle its call: nothing admitted is left unsettled."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pytest

from switchboard.application.hooks import HookPipeline
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.context import CallContext
from switchboard.domain.errors import CLIENT_LEFT, ClientAborted
from switchboard.domain.ports.hooks import CallHook
from tests.fakes.hooks import RecordingHook, RecordingSink

INFO: CallInfo[Any] = CallInfo(kind="chat", request=None, ctx=CallContext(request_id="r"), model_group="m")


@dataclass
class WaitingHook(CallHook):
    """A hook whose pre_call or post_call waits (a state store's round trip) until the test goes on."""

    wait_in: str
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    settled: int = 0

    async def pre_call(self, info: CallInfo[Any]) -> Any:
        if self.wait_in == "pre_call":
            self.reached.set()
            await asyncio.Event().wait()
        return "ticket"

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: Any) -> None:
        if self.wait_in == "post_call":
            self.reached.set()
            await asyncio.Event().wait()
        self.settled += 1


async def test_a_client_leaving_while_the_call_settles_still_settles_the_other_hooks_and_the_sinks() -> None:
    first, sink = RecordingHook("first"), RecordingSink()
    waiting = WaitingHook("post_call")
    admission = await HookPipeline([first, waiting], [sink]).admit(INFO)
    outcome: CallOutcome[Any, Any] = CallOutcome(INFO)
    settling = asyncio.create_task(admission.settle(outcome))
    await waiting.reached.wait()
    settling.cancel(CLIENT_LEFT)
    with pytest.raises(asyncio.CancelledError):
        await settling
    assert [o for o, _ in first.settled] == [outcome]  # settled after the one that was cut short
    assert sink.outcomes == [outcome]


async def test_a_client_leaving_while_a_hook_admits_settles_the_hooks_before_it_as_client_aborted() -> None:
    first, sink = RecordingHook("first"), RecordingSink()
    waiting = WaitingHook("pre_call")
    admitting = asyncio.create_task(HookPipeline([first, waiting], [sink]).admit(INFO))
    await waiting.reached.wait()
    admitting.cancel(CLIENT_LEFT)
    with pytest.raises(asyncio.CancelledError):
        await admitting
    [(outcome, ticket)] = first.settled
    assert isinstance(outcome.error, ClientAborted) and ticket == "ticket-first-1"
    assert sink.outcomes == [outcome]
