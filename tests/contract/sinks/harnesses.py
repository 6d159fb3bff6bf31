"""One harness per sink: builds the exporter against a destination and reads back what reached
it. HTTP sinks post through the production transport to a fake destination on 127.0.0.1
(``tests/support/loopback.py``, answering as the real API does).

``capabilities`` name what a sink exports, so the kit asks only what applies:
``messages`` (prompts and answers leave the gateway), ``remote`` (a destination that can fail).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, ClassVar

import httpx
import orjson
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from switchboard.adapters.outbound.observability.custom import CustomExporter
from switchboard.adapters.outbound.observability.datadog import DatadogExporter
from switchboard.adapters.outbound.observability.langfuse import LangfuseExporter
from switchboard.adapters.outbound.observability.otel import OtelExporter
from switchboard.adapters.outbound.observability.prometheus import PrometheusExporter, PrometheusMetrics
from switchboard.adapters.outbound.observability.structlog_sink import StructlogExporter
from switchboard.adapters.outbound.observability.webhook import WebhookExporter
from switchboard.adapters.outbound.transport.http1 import Http1Transport
from switchboard.domain.call_events import CallEvent
from switchboard.domain.ports.exporters import Exporter
from tests.fakes import FakeClock
from tests.support.loopback import LoopbackUpstream


class SinkHarness:
    name: ClassVar[str]
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def build(self) -> Exporter[CallEvent]:
        raise NotImplementedError

    def exported(self) -> int:
        """Calls the destination has received."""
        raise NotImplementedError

    def text(self) -> str:
        """Everything the destination received, as text (for "never leaves the gateway" checks)."""
        raise NotImplementedError

    def fail_with(self, status: int) -> None:
        """Make the destination answer ``status`` from now on (``remote`` sinks only)."""
        raise NotImplementedError


class StructlogHarness(SinkHarness):
    name = "structlog"
    capabilities = frozenset({"messages"})

    def build(self) -> Exporter[CallEvent]:
        self._out = io.BytesIO()
        return StructlogExporter(self._out)

    def exported(self) -> int:
        return len([line for line in self._out.getvalue().splitlines() if orjson.loads(line)["event"] == "llm_call"])

    def text(self) -> str:
        return self._out.getvalue().decode()


class PrometheusHarness(SinkHarness):
    name = "prometheus"

    def build(self) -> Exporter[CallEvent]:
        self._metrics = PrometheusMetrics(FakeClock())
        return PrometheusExporter(self._metrics)

    def exported(self) -> int:
        families = text_string_to_metric_families(self.text())
        return int(sum(s.value for f in families for s in f.samples if s.name == "switchboard_requests_total"))

    def text(self) -> str:
        return self._metrics.render()[0].decode()


class OtelHarness(SinkHarness):
    name = "otel"
    capabilities = frozenset({"messages"})

    def build(self) -> Exporter[CallEvent]:
        self._memory = InMemorySpanExporter()
        return OtelExporter(span_processor=SimpleSpanProcessor(self._memory))

    def exported(self) -> int:
        return len(self._memory.get_finished_spans())

    def span_attributes(self) -> list[dict[str, Any]]:
        """Each finished span's attributes."""
        return [dict(s.attributes or {}) for s in self._memory.get_finished_spans()]

    def text(self) -> str:
        return " ".join(str(dict(s.attributes or {})) for s in self._memory.get_finished_spans())


class HttpHarness(SinkHarness):
    """A destination on 127.0.0.1 that answers ``ok_status`` until told to fail."""

    ok_status: ClassVar[int] = 200
    capabilities = frozenset({"messages", "remote"})

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self._status = self.ok_status

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self._status, content=self._reply())

    def _reply(self) -> bytes:
        return b"ok"

    def transport(self) -> Http1Transport:
        return LoopbackUpstream(self._handle).transport()

    def fail_with(self, status: int) -> None:
        self._status = status

    def bodies(self) -> list[Any]:
        return [orjson.loads(r.content) for r in self.requests if 200 <= self._status_of(r) < 300]

    def _status_of(self, request: httpx.Request) -> int:
        return self.ok_status

    def text(self) -> str:
        return " ".join(r.content.decode() for r in self.requests)


class LangfuseHarness(HttpHarness):
    name = "langfuse"
    ok_status = 207

    def _reply(self) -> bytes:
        return b'{"successes": [], "errors": []}'

    def build(self) -> Exporter[CallEvent]:
        return LangfuseExporter(self.transport(), host="http://langfuse.test", public_key="pk-lf", secret_key="sk-lf")

    def exported(self) -> int:
        return sum(1 for b in self.bodies() for e in b["batch"] if e["type"] == "generation-create")


class DatadogHarness(HttpHarness):
    name = "datadog"
    ok_status = 202

    def build(self) -> Exporter[CallEvent]:
        return DatadogExporter(self.transport(), api_key="dd-key", url="http://datadog.test/api/v2/logs")

    def exported(self) -> int:
        return sum(len(b) for b in self.bodies())


class WebhookHarness(HttpHarness):
    name = "webhook"

    def build(self) -> Exporter[CallEvent]:
        return WebhookExporter(self.transport(), url="http://hook.test/events", headers={"x-token": "t"})

    def exported(self) -> int:
        return sum(len(b) for b in self.bodies())


class SyncUserSink:
    def __init__(self) -> None:
        self.events: list[CallEvent] = []

    def log(self, event: CallEvent) -> None:
        self.events.append(event)


class AsyncUserSink:
    def __init__(self) -> None:
        self.events: list[CallEvent] = []

    async def export(self, events: Sequence[CallEvent]) -> None:
        self.events.extend(events)


class LiteLLMStyleSink:
    """A duck-typed LiteLLM CustomLogger."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def async_log_success_event(self, kwargs: dict[str, Any], response: Any, start: Any, end: Any) -> None:
        self.calls.append(("success", kwargs))

    async def async_log_failure_event(self, kwargs: dict[str, Any], response: Any, start: Any, end: Any) -> None:
        self.calls.append(("failure", kwargs))


class UserSinkHarness(SinkHarness):
    capabilities = frozenset({"messages"})
    target_class: ClassVar[type]

    def build(self) -> Exporter[CallEvent]:
        self.target = self.target_class()
        return CustomExporter(self.target)

    def exported(self) -> int:
        return len(getattr(self.target, "events", None) or getattr(self.target, "calls", []))

    def text(self) -> str:
        return str(getattr(self.target, "events", None) or getattr(self.target, "calls", []))


class SyncUserHarness(UserSinkHarness):
    name = "user-sync-log"
    target_class = SyncUserSink


class AsyncUserHarness(UserSinkHarness):
    name = "user-async-export"
    target_class = AsyncUserSink


class LiteLLMStyleHarness(UserSinkHarness):
    name = "user-litellm-style"
    target_class = LiteLLMStyleSink


HARNESSES: list[type[SinkHarness]] = [
    StructlogHarness,
    PrometheusHarness,
    OtelHarness,
    LangfuseHarness,
    DatadogHarness,
    WebhookHarness,
    SyncUserHarness,
    AsyncUserHarness,
    LiteLLMStyleHarness,
]
