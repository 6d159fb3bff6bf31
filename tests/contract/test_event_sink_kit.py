"""The event sink contract: every sink, given the same call events, takes them without raising
and without holding up the caller, and exports what it claims to.

A new sink adds a harness to ``tests/contract/sinks/harnesses.py`` and gets this suite.
Differences are capabilities (``messages``, ``remote``), never branches here.
"""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.observability import EventDispatcher, ExportQueue, QueueSettings
from switchboard.domain.call_events import CallEvent, LoggingPolicy, call_event
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    Attempt,
    InternalError,
    ProviderUnavailable,
    RateLimited,
    Timeout,
)
from switchboard.domain.ports.exporters import ExportRejected
from tests.contract.sinks.harnesses import HARNESSES, SinkHarness
from tests.fakes import FakeClock
from tests.fakes.observability import chat_request, outcome

SECRET_PROMPT = "the launch code is 0000"
END = 1_700_000_000.0


def events() -> list[CallEvent]:
    """One of each kind of call a sink must take."""
    return [
        call_event(outcome(request_id="ok"), END),
        call_event(outcome(request_id="err", error=ProviderUnavailable("down", provider="openai")), END),
        call_event(outcome(request_id="limit", error=RateLimited("slow down", retry_after=2)), END),
        call_event(
            outcome(
                request_id="all",
                error=AllDeploymentsFailed(
                    [Attempt("d1", "openai", Timeout("t")), Attempt("d2", "openai", ProviderUnavailable("p"))]
                ),
                attempted=("d1", "d2"),
            ),
            END,
        ),
        call_event(outcome(request_id="gone", error=InternalError("gone", code="cancelled")), END),
        call_event(outcome(request_id="stream", stream=True, completed=False, completion_text="par"), END),
        call_event(
            outcome(request_id="uni", request=chat_request(messages=[{"role": "user", "content": "héllo 🌍\x00"}])), END
        ),
        call_event(outcome(request_id="tags", request=chat_request(metadata={"tags": ["a"], "session_id": "s"})), END),
    ]


@pytest.fixture(params=HARNESSES, ids=lambda h: h.name)
def harness(request: pytest.FixtureRequest) -> SinkHarness:
    make: type[SinkHarness] = request.param
    return make()


def having(capability: str) -> pytest.MarkDecorator:
    chosen = [h for h in HARNESSES if capability in h.capabilities]
    return pytest.mark.parametrize("harness", chosen, ids=lambda h: h.name, indirect=True)


async def test_every_kind_of_call_is_exported_without_raising(harness: SinkHarness) -> None:
    exporter = harness.build()
    batch = events()
    await exporter.export(batch)
    await exporter.close()
    assert harness.exported() == len(batch)


async def test_emitting_returns_before_the_sink_exports(harness: SinkHarness) -> None:
    dispatcher = EventDispatcher([ExportQueue(harness.name, harness.build(), QueueSettings())], FakeClock())
    for _ in range(3):
        dispatcher.emit(outcome())
    assert harness.exported() == 0
    await dispatcher.aclose(timeout=5)
    assert harness.exported() == 3


async def test_batches_larger_than_one_are_taken_whole(harness: SinkHarness) -> None:
    exporter = harness.build()
    await exporter.export([call_event(outcome(request_id=f"r{i}"), END) for i in range(50)])
    assert harness.exported() == 50


@having("messages")
async def test_the_prompt_is_exported_when_message_logging_is_on(harness: SinkHarness) -> None:
    exporter = harness.build()
    request = chat_request(messages=[{"role": "user", "content": SECRET_PROMPT}])
    await exporter.export([call_event(outcome(request=request), END)])
    assert SECRET_PROMPT in harness.text()


async def test_a_withheld_prompt_never_reaches_the_destination(harness: SinkHarness) -> None:
    exporter = harness.build()
    request = chat_request(messages=[{"role": "user", "content": SECRET_PROMPT}])
    redacted = [
        call_event(outcome(request=request), END, LoggingPolicy(log_messages=False)),
        call_event(outcome(request=chat_request(messages=request.messages, metadata={"no-log": True})), END),
    ]
    await exporter.export(redacted)
    assert harness.exported() == 2
    assert SECRET_PROMPT not in harness.text()


async def test_redacted_key_info_never_reaches_the_destination(harness: SinkHarness) -> None:
    exporter = harness.build()
    await exporter.export([call_event(outcome(), END, LoggingPolicy(log_key_info=False))])
    assert "ci-key" not in harness.text()
    assert "abc123" not in harness.text()


@having("remote")
async def test_a_destination_error_raises_so_the_queue_retries(harness: SinkHarness) -> None:
    exporter = harness.build()
    harness.fail_with(503)
    with pytest.raises(Exception) as caught:
        await exporter.export(events()[:1])
    assert not isinstance(caught.value, ExportRejected)


@having("remote")
async def test_a_refused_batch_is_rejected_for_good(harness: SinkHarness) -> None:
    exporter = harness.build()
    harness.fail_with(400)
    with pytest.raises(ExportRejected):
        await exporter.export(events()[:1])
