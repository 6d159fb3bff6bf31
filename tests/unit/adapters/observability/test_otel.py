"""OpenTelemetry spans, captured with the SDK's InMemorySpanExporter."""

from __future__ import annotations

import json
from collections.abc import Mapping

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from opentelemetry.util.types import AnyValue

from switchboard.adapters.outbound.observability.otel import OtelExporter
from switchboard.domain.call_events import CallEvent
from tests.fakes.observability import event


async def spans(*events: CallEvent, message_logging: bool = True) -> list[ReadableSpan]:
    memory = InMemorySpanExporter()
    exporter = OtelExporter(span_processor=SimpleSpanProcessor(memory), message_logging=message_logging)
    await exporter.export(events)
    await exporter.close()
    return list(memory.get_finished_spans())


def attributes(span: ReadableSpan) -> Mapping[str, AnyValue]:
    assert span.attributes is not None
    return span.attributes


async def test_a_call_is_one_client_span_named_operation_and_model() -> None:
    (span,) = await spans(event())
    assert span.name == "chat gpt-4o-mini"
    assert span.kind is SpanKind.CLIENT


async def test_the_span_carries_the_genai_attributes() -> None:
    (span,) = await spans(event(params={"temperature": 0.2, "max_tokens": 50, "top_p": 0.9, "stop": "END"}))
    attrs = attributes(span)
    assert attrs["gen_ai.operation.name"] == "chat"
    assert attrs["gen_ai.request.model"] == "gpt-4o-mini"
    assert attrs["gen_ai.provider.name"] == attrs["gen_ai.system"] == "openai"
    assert (attrs["gen_ai.usage.input_tokens"], attrs["gen_ai.usage.output_tokens"]) == (12, 1)
    assert (attrs["gen_ai.request.temperature"], attrs["gen_ai.request.max_tokens"]) == (0.2, 50)
    assert attrs["gen_ai.request.top_p"] == 0.9
    assert attrs["gen_ai.request.stop_sequences"] == ("END",)
    assert attrs["switchboard.model_group"] == "gpt"
    assert attrs["switchboard.cost_usd"] == 0.0012


async def test_the_response_model_and_finish_reasons_are_recorded() -> None:
    (span,) = await spans(event(response_model="gpt-4o-mini-2024-07-18", finish_reasons=("stop",)))
    assert attributes(span)["gen_ai.response.model"] == "gpt-4o-mini-2024-07-18"
    assert attributes(span)["gen_ai.response.finish_reasons"] == ("stop",)


async def test_provider_names_follow_the_genai_registry() -> None:
    (span,) = await spans(event(provider="bedrock"))
    assert attributes(span)["gen_ai.provider.name"] == "aws.bedrock"


async def test_the_span_spans_the_calls_own_times() -> None:
    (span,) = await spans(event(start_time=1_700_000_000.0, end_time=1_700_000_002.5))
    assert (span.start_time, span.end_time) == (1_700_000_000 * 10**9, 1_700_000_002_500_000_000)


async def test_a_failed_call_has_error_status_and_error_type() -> None:
    (span,) = await spans(event(status="error", error_class="ProviderUnavailable"))
    assert span.status.status_code is StatusCode.ERROR
    assert attributes(span)["error.type"] == "ProviderUnavailable"


async def test_a_successful_call_leaves_the_status_unset() -> None:
    (span,) = await spans(event())
    assert span.status.status_code is StatusCode.UNSET


async def test_messages_are_attributes_unless_withheld() -> None:
    (logged,) = await spans(event())
    messages = attributes(logged)["gen_ai.input.messages"]
    assert isinstance(messages, str)
    assert json.loads(messages) == [{"role": "user", "content": "What is 2+2?"}]
    (redacted,) = await spans(event(input=None, output=None, redacted=True))
    assert "gen_ai.input.messages" not in attributes(redacted)
    (off,) = await spans(event(), message_logging=False)
    assert "gen_ai.output.messages" not in attributes(off)
