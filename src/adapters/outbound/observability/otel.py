"""OpenTelemetry traces: one CLIENT span per call, following the GenAI semantic conventions, sent
over OTLP/HTTP by the SDK's batch processor.

This module imports the OpenTelemetry SDK; bootstrap imports it only when the ``otel`` callback
is configured, so the facade's import time does not pay for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.trace import SpanKind, Status, StatusCode

from switchboard.domain.call_events import CallEvent

# Our provider names -> the GenAI registry's ``gen_ai.provider.name`` values.
_PROVIDERS = {
    "gemini": "gcp.gemini",
    "vertex_ai": "gcp.vertex_ai",
    "bedrock": "aws.bedrock",
    "azure": "azure.ai.openai",
    "azure_ai": "azure.ai.inference",
    "mistral": "mistral_ai",
    "xai": "x_ai",
    "watsonx": "ibm.watsonx.ai",
}
_OPERATIONS = {"chat": "chat", "completions": "text_completion", "embeddings": "embeddings"}
_REQUEST_PARAMS = {
    "temperature": "gen_ai.request.temperature",
    "top_p": "gen_ai.request.top_p",
    "frequency_penalty": "gen_ai.request.frequency_penalty",
    "presence_penalty": "gen_ai.request.presence_penalty",
    "seed": "gen_ai.request.seed",
    "n": "gen_ai.request.choice.count",
}


def span_name(event: CallEvent) -> str:
    return f"{operation_name(event)} {request_model(event)}"


def operation_name(event: CallEvent) -> str:
    return _OPERATIONS.get(event.kind, event.kind)


def request_model(event: CallEvent) -> str:
    return event.model or event.model_group


def span_attributes(event: CallEvent, *, message_logging: bool = True) -> dict[str, Any]:
    """The span's attributes: ``gen_ai.*`` where the conventions name one, ``switchboard.*`` else."""
    attrs: dict[str, Any] = {
        "gen_ai.operation.name": operation_name(event),
        "gen_ai.request.model": request_model(event),
        "switchboard.request_id": event.request_id,
        "switchboard.model_group": event.model_group,
        "switchboard.status": event.status,
        "switchboard.stream": event.stream,
        "switchboard.cache_hit": event.cache_hit,
        "gen_ai.usage.input_tokens": event.prompt_tokens,
        "gen_ai.usage.output_tokens": event.completion_tokens,
    }
    if event.provider:
        provider = _PROVIDERS.get(event.provider, event.provider)
        attrs["gen_ai.provider.name"] = provider
        attrs["gen_ai.system"] = provider  # the name before semantic conventions 1.37
    _put(attrs, "gen_ai.response.model", event.response_model)
    _put(attrs, "gen_ai.response.id", event.response_id)
    if event.finish_reasons:
        attrs["gen_ai.response.finish_reasons"] = list(event.finish_reasons)
    if event.cached_tokens:
        attrs["gen_ai.usage.cache_read.input_tokens"] = event.cached_tokens
    if event.reasoning_tokens:
        attrs["gen_ai.usage.reasoning.output_tokens"] = event.reasoning_tokens
    _request_params(attrs, event.params)
    _put(attrs, "error.type", event.error_class)
    _put(attrs, "switchboard.error_code", event.error_code)
    _put(attrs, "switchboard.deployment_id", event.deployment_id)
    _put(attrs, "switchboard.cost_usd", event.cost)
    _put(attrs, "switchboard.time_to_first_token", event.time_to_first_token)
    _put(attrs, "switchboard.key_alias", event.key_alias)
    _put(attrs, "switchboard.team_id", event.team_id)
    _put(attrs, "switchboard.org_id", event.org_id)
    _put(attrs, "user.id", event.user_id)
    _put(attrs, "switchboard.end_user", event.end_user)
    if event.attempted:
        attrs["switchboard.attempted_deployments"] = list(event.attempted)
    if event.tags:
        attrs["switchboard.tags"] = list(event.tags)
    if message_logging and event.input is not None:
        attrs["gen_ai.input.messages"] = orjson.dumps(event.input, default=str).decode()
    if message_logging and event.output is not None:
        attrs["gen_ai.output.messages"] = orjson.dumps(event.output, default=str).decode()
    return attrs


def _put(attrs: dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        attrs[name] = value


def _request_params(attrs: dict[str, Any], params: Mapping[str, Any]) -> None:
    for name, attribute in _REQUEST_PARAMS.items():
        value = params.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            attrs[attribute] = value
    max_tokens = params.get("max_completion_tokens") or params.get("max_tokens")
    if isinstance(max_tokens, int):
        attrs["gen_ai.request.max_tokens"] = max_tokens
    stop = params.get("stop")
    if isinstance(stop, str):
        attrs["gen_ai.request.stop_sequences"] = [stop]
    elif isinstance(stop, list):
        attrs["gen_ai.request.stop_sequences"] = [str(s) for s in stop]


class OtelExporter:
    """Creates one span per call event with the call's own start and end times.

    ``span_processor`` defaults to a ``BatchSpanProcessor`` over an OTLP/HTTP exporter to
    ``endpoint`` (else the SDK's ``OTEL_EXPORTER_OTLP_*`` environment) with ``headers``. The
    tracer provider is private: the process's global provider is left alone.
    """

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        headers: Mapping[str, str] | None = None,
        service_name: str = "switchboard",
        span_processor: SpanProcessor | None = None,
        message_logging: bool = True,
    ) -> None:
        self._provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        if span_processor is None:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # lazy: OTLP exporter
            from opentelemetry.sdk.trace.export import BatchSpanProcessor  # lazy: with the exporter

            span_processor = BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint, headers=dict(headers or {})))
        self._provider.add_span_processor(span_processor)
        self._tracer = self._provider.get_tracer("switchboard")
        self._message_logging = message_logging

    async def export(self, items: Sequence[CallEvent]) -> None:
        for event in items:
            self._span(event)

    def _span(self, event: CallEvent) -> None:
        span = self._tracer.start_span(
            span_name(event),
            kind=SpanKind.CLIENT,
            attributes=span_attributes(event, message_logging=self._message_logging),
            start_time=int(event.start_time * 1e9),
        )
        if event.failed:  # success stays UNSET, as the conventions ask of instrumentations
            span.set_status(Status(StatusCode.ERROR, event.error_class or event.status))
        span.end(end_time=int(event.end_time * 1e9))

    async def close(self) -> None:
        await asyncio.to_thread(self._provider.shutdown)
