"""A slow, stuck or failing sink never changes a call's result or holds it up: calls go through
the real pipeline (ChatService, HookPipeline, EventDispatcher, a user sink behind its queue).

These assert on order and completion (the call finished while the sink was still stuck), not on
timings."""

from __future__ import annotations

import asyncio
import threading

from switchboard.adapters.outbound.observability import EventDispatcher, ExportQueue, QueueSettings
from switchboard.adapters.outbound.observability.custom import CustomExporter
from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.hooks import HookPipeline
from switchboard.application.router import Router
from switchboard.domain.call_events import CallEvent
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.providers import FakeChatProvider, FakeProviderDirectory

REQUEST = ChatRequest.model_validate({"model": "gpt", "messages": [{"role": "user", "content": "hi"}]})


def service(*sinks: object) -> tuple[ChatService, EventDispatcher]:
    queues = [ExportQueue(f"s{i}", CustomExporter(s), QueueSettings(max_retries=0)) for i, s in enumerate(sinks)]
    events = EventDispatcher(queues, FakeClock())
    directory = DeploymentDirectory([Deployment(id="gpt-1", model_name="gpt", provider="fake", model="up-gpt")])
    path = CallPath(Router(directory, FakeRandom(), FakeClock()), FakeClock(), HookPipeline(sinks=[events]))
    chat = ChatService(path, FakeProviderDirectory(FakeChatProvider()), FakeTokenCounter())
    return chat, events


class AsyncStuckSink:
    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.seen: list[CallEvent] = []

    async def emit(self, event: CallEvent) -> None:
        await self.release.wait()
        self.seen.append(event)


class SleepingSink:
    """A sync sink that blocks its thread, as ``time.sleep`` would, until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.seen: list[CallEvent] = []

    def log(self, event: CallEvent) -> None:
        self.entered.set()
        self.release.wait(timeout=30)
        self.seen.append(event)


class RaisingSink:
    def emit(self, event: CallEvent) -> None:
        raise RuntimeError("the sink is broken")


async def test_a_call_completes_while_an_async_sink_is_stuck() -> None:
    sink = AsyncStuckSink()
    chat, events = service(sink)
    response = await chat.complete(REQUEST, CallContext(request_id="r1"))
    assert response.text == "hello world"
    assert sink.seen == []  # the call finished first
    sink.release.set()
    await events.flush()
    assert [e.request_id for e in sink.seen] == ["r1"]


async def test_a_sync_sink_that_blocks_its_thread_does_not_block_the_loop() -> None:
    sink = SleepingSink()
    chat, events = service(sink)
    await chat.complete(REQUEST, CallContext(request_id="r1"))
    assert await asyncio.to_thread(sink.entered.wait, 10)  # the sink is now blocked in its worker thread...
    second = await chat.complete(REQUEST, CallContext(request_id="r2"))  # ...and calls still run
    assert second.text == "hello world"
    assert sink.seen == []
    sink.release.set()
    await events.flush()
    assert [e.request_id for e in sink.seen] == ["r1", "r2"]


async def test_a_raising_sink_leaves_results_unchanged_and_is_counted() -> None:
    plain, _ = service()
    broken, events = service(RaisingSink())
    expected = await plain.complete(REQUEST, CallContext(request_id="r"))
    got = await broken.complete(REQUEST, CallContext(request_id="r"))
    assert got.model_dump() == expected.model_dump()
    await events.flush()
    assert events.stats()[1].failed == 1


async def test_a_stream_ends_normally_while_a_sink_is_stuck() -> None:
    sink = AsyncStuckSink()
    chat, events = service(sink)
    async with chat.stream(REQUEST.model_copy(update={"stream": True}), CallContext(request_id="s1")) as stream:
        texts = [c.choices[0].delta.content async for c in stream if c.choices]
    assert "".join(t or "" for t in texts) == "hello world"
    assert sink.seen == []
    sink.release.set()
    await events.flush()
    assert sink.seen[0].output == [{"role": "assistant", "content": "hello world"}]


async def test_a_finished_streams_event_carries_its_usage_and_text() -> None:
    sink = AsyncStuckSink()
    sink.release.set()
    chat, events = service(sink)
    async with chat.stream(REQUEST.model_copy(update={"stream": True}), CallContext(request_id="s2")) as stream:
        async for _ in stream:
            pass
    await events.flush()
    (event,) = sink.seen
    assert (event.status, event.stream, event.completion_tokens) == ("success", True, 2)
    assert event.time_to_first_token is not None
