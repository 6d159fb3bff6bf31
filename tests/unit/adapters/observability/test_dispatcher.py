"""EventDispatcher: emit hands over and returns; one event per outcome reaches every sink queue."""

from __future__ import annotations

import asyncio
from typing import Any

from switchboard.adapters.outbound.observability import EventDispatcher, ExportQueue, QueueSettings
from switchboard.domain.call_events import CallEvent, LoggingPolicy
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.context import CallContext
from switchboard.domain.errors import ProviderUnavailable
from tests.fakes import FakeClock
from tests.fakes.observability import FakeExporter, outcome


def dispatcher(
    *exporters: FakeExporter[CallEvent], capacity: int = 100, policy: LoggingPolicy | None = None
) -> EventDispatcher:
    queues = [ExportQueue(f"sink{i}", e, QueueSettings()) for i, e in enumerate(exporters)]
    return EventDispatcher(queues, FakeClock(), policy, capacity=capacity)


class Unreadable:
    """A request no event can be made of: reading anything of it fails."""

    def __getattribute__(self, name: str) -> Any:
        raise RuntimeError(f"cannot read {name}")


async def test_every_sink_receives_the_same_event_for_each_outcome() -> None:
    first, second = FakeExporter[CallEvent](), FakeExporter[CallEvent]()
    events = dispatcher(first, second)
    events.emit(outcome(request_id="a"))
    events.emit(outcome(request_id="b", error=ProviderUnavailable("down")))
    await events.flush()
    assert [e.request_id for e in first.items] == ["a", "b"]
    assert first.items == second.items
    assert first.items[0] is second.items[0]  # built once, shared


async def test_the_event_is_stamped_with_the_clock_at_emit() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink)
    events.emit(outcome(latency=2.0))
    await events.flush()
    assert (sink.items[0].end_time, sink.items[0].start_time) == (1_700_000_000.0, 1_699_999_998.0)


async def test_the_logging_policy_applies_to_every_sink() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink, policy=LoggingPolicy(log_messages=False))
    events.emit(outcome())
    await events.flush()
    assert sink.items[0].input is None


async def test_emit_returns_before_any_sink_runs() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink)
    events.emit(outcome())
    assert sink.items == []
    await events.flush()
    assert len(sink.items) == 1


async def test_a_full_dispatcher_drops_and_counts() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink, capacity=2)
    for _ in range(5):
        events.emit(outcome())
    assert events.stats()[0].dropped == 3
    await events.flush()
    assert len(sink.items) == 2


async def test_an_outcome_that_cannot_become_an_event_is_counted_and_skipped() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink)
    info = CallInfo(kind="chat", request=Unreadable(), ctx=CallContext(request_id="broken"), model_group="gpt")
    broken = CallOutcome[Unreadable, None](info)
    events.emit(broken)
    events.emit(outcome(request_id="fine"))
    await events.flush()
    assert [e.request_id for e in sink.items] == ["fine"]
    assert events.stats()[0].failed == 1


async def test_closing_delivers_everything_emitted_and_closes_the_sinks() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink)
    for i in range(50):
        events.emit(outcome(request_id=str(i)))
    await events.aclose(timeout=5)
    assert len(sink.items) == 50
    assert sink.closed


async def test_closing_is_bounded_by_its_timeout_when_a_sink_hangs() -> None:
    stuck = FakeExporter[CallEvent](gate=asyncio.Event())
    events = dispatcher(stuck)
    events.emit(outcome())
    await asyncio.wait_for(events.aclose(timeout=0.05), timeout=5)
    assert events.stats()[1].dropped == 1


async def test_outcomes_emitted_after_closing_are_dropped() -> None:
    sink = FakeExporter[CallEvent]()
    events = dispatcher(sink)
    await events.aclose(timeout=1)
    events.emit(outcome())
    assert events.stats()[0].dropped == 1
