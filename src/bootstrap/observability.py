"""Builds the observability side from ``ObservabilitySettings``: the event dispatcher and one
queue per sink, the Prometheus registry and its in-flight hook, the alert hub with Slack behind
it. OpenTelemetry, prometheus-client and structlog are imported only when configured; the other
sinks are small modules over the shared transport.

With no sink and no alerting configured, the call pipeline gets no sink and no hook at all, and
alerts raised through ``Observability.alerts`` are only logged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from switchboard.adapters.outbound.observability import EventDispatcher, ExportQueue, QueueSettings
from switchboard.adapters.outbound.observability.custom import CustomExporter
from switchboard.adapters.outbound.observability.datadog import DatadogExporter
from switchboard.adapters.outbound.observability.langfuse import LangfuseExporter
from switchboard.adapters.outbound.observability.slack import SlackExporter
from switchboard.adapters.outbound.observability.webhook import WebhookExporter
from switchboard.adapters.outbound.transport import Transport
from switchboard.application.alerting import AlertHub, CallWatch
from switchboard.bootstrap.config.callbacks import BATCHING, ObservabilitySettings, SinkSpec
from switchboard.bootstrap.config.observability import QueueOptions
from switchboard.domain.alerts import Alert, AlertGate
from switchboard.domain.call_events import CallEvent
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.events import EventSink
from switchboard.domain.ports.exporters import Exporter
from switchboard.domain.ports.hooks import CallHook

MetricsRenderer = Callable[[], tuple[bytes, str]]


@dataclass
class Observability:
    """What the rest of the gateway uses: ``sinks`` and ``hooks`` for the call pipeline,
    ``alerts`` for whoever raises alerts (router, governance), ``metrics`` for ``GET /metrics``."""

    alerts: Alerts
    sinks: tuple[EventSink, ...] = ()
    hooks: tuple[CallHook, ...] = ()
    metrics: MetricsRenderer | None = None
    dispatcher: EventDispatcher | None = None
    alert_queues: tuple[ExportQueue[Alert], ...] = ()

    async def aclose(self, timeout: float) -> None:
        """Flush the call events, then the alerts they raised, within ``timeout`` seconds each."""
        if self.dispatcher is not None:
            await self.dispatcher.aclose(timeout)
        for queue in self.alert_queues:
            await queue.aclose(timeout)


def queue_settings(kind: str, options: QueueOptions) -> QueueSettings:
    batch, linger = BATCHING.get(kind, (100, 0.0))
    return QueueSettings(
        capacity=options.queue_size,
        batch_size=options.batch_size or batch,
        linger=options.flush_interval if options.flush_interval is not None else linger,
        max_retries=options.max_retries,
        export_timeout=options.timeout,
    )


def _accepts(spec: SinkSpec) -> Callable[[CallEvent], bool] | None:
    if spec.receives == "success":
        return lambda event: not event.failed
    if spec.receives == "failure":
        return lambda event: event.failed
    return None


def build_exporter(spec: SinkSpec, transport: Transport, metrics: Any) -> Exporter[CallEvent]:
    """The exporter for one sink; each module is imported only here."""
    target = spec.target
    timeout = spec.queue.timeout
    if spec.kind == "prometheus":
        from switchboard.adapters.outbound.observability.prometheus import PrometheusExporter  # lazy: prometheus_client

        return PrometheusExporter(metrics)
    if spec.kind == "structlog":
        from switchboard.adapters.outbound.observability.structlog_sink import StructlogExporter  # lazy: structlog

        return StructlogExporter(path=target.path)
    if spec.kind == "otel":
        from switchboard.adapters.outbound.observability.otel import OtelExporter  # lazy: OpenTelemetry (~150 ms)

        return OtelExporter(
            endpoint=target.endpoint,
            headers=target.headers,
            service_name=target.service_name,
            message_logging=target.message_logging,
        )
    if spec.kind == "langfuse":
        return LangfuseExporter(
            transport, host=target.host, public_key=target.public_key, secret_key=target.secret_key, timeout=timeout
        )
    if spec.kind == "datadog":
        return DatadogExporter(
            transport, api_key=target.api_key, url=target.url, service=target.service, tags=target.tags, timeout=timeout
        )
    if spec.kind == "webhook":
        return WebhookExporter(transport, url=target.url, headers=target.headers, timeout=timeout)
    if isinstance(target, type):
        try:
            target = target()
        except Exception as exc:
            raise RuntimeError(f"could not create the sink {spec.name}: {type(exc).__name__}: {exc}") from exc
    return CustomExporter(target)


def build_observability(settings: ObservabilitySettings, transport: Transport, clock: Clock) -> Observability:
    observers: list[Callable[[Alert], None]] = []
    deliveries: list[Callable[[Alert], None]] = []
    alert_queues: list[ExportQueue[Alert]] = []
    warn = settings.dispatcher.warn_interval
    if settings.slack is not None:
        slack = settings.slack
        slack_queue: ExportQueue[Alert] = ExportQueue(
            "slack",
            SlackExporter(transport, webhook_url=slack.webhook_url, timeout=slack.queue.timeout),
            queue_settings("slack", slack.queue),
            warn_interval=warn,
        )
        alert_queues.append(slack_queue)
        deliveries.append(slack_queue.offer)
    metrics = None
    hooks: list[CallHook] = []
    prometheus = settings.prometheus
    if prometheus is not None:
        from switchboard.adapters.outbound.observability.prometheus import (  # lazy: prometheus_client
            InFlightHook,
            PrometheusMetrics,
        )

        metrics = PrometheusMetrics(
            clock, max_label_values=prometheus.max_label_values, key_labels=prometheus.key_labels
        )
        observers.append(metrics.observe_alert)
        hooks.append(InFlightHook(metrics))
    gate = AlertGate(settings.alert_dedup, {"budget_alerts": settings.budget_alert_dedup})
    hub = AlertHub(clock, gate, enabled=settings.alert_types, observers=observers, deliveries=deliveries)
    queues: list[ExportQueue[CallEvent]] = [
        ExportQueue(
            spec.name,
            build_exporter(spec, transport, metrics),
            queue_settings(spec.kind, spec.queue),
            accepts=_accepts(spec),
            warn_interval=warn,
        )
        for spec in settings.sinks
    ]
    if settings.alerting:
        watch_settings = queue_settings("watch", QueueOptions())
        queues.append(
            ExportQueue("alert_watch", CallWatch(hub, settings.thresholds), watch_settings, warn_interval=warn)
        )
    dispatcher = None
    if queues:
        dispatcher = EventDispatcher(
            queues, clock, settings.policy, capacity=settings.dispatcher.queue_size, warn_interval=warn
        )
        if metrics is not None:
            metrics.queue_stats = _stats(dispatcher, alert_queues)
    return Observability(
        alerts=hub,
        sinks=(dispatcher,) if dispatcher is not None else (),
        hooks=tuple(hooks),
        metrics=metrics.render if metrics is not None else None,
        dispatcher=dispatcher,
        alert_queues=tuple(alert_queues),
    )


def _stats(dispatcher: EventDispatcher, alert_queues: Sequence[ExportQueue[Alert]]) -> Callable[[], list[Any]]:
    return lambda: [*dispatcher.stats(), *(q.stats() for q in alert_queues)]


async def open_observability(
    settings: ObservabilitySettings, transport: Transport, clock: Clock
) -> AsyncIterator[Observability]:
    """The container's resource: built at start-up, flushed (within the configured shutdown
    timeout) and closed at shutdown, before the transport it posts through."""
    observability = build_observability(settings, transport, clock)
    if observability.dispatcher is not None:
        observability.dispatcher.start()
    try:
        yield observability
    finally:
        await observability.aclose(settings.dispatcher.shutdown_timeout)
