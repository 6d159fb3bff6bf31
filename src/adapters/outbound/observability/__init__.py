"""Observability: call events to sinks (logs, Prometheus, OpenTelemetry, Langfuse, Datadog, a
webhook, user classes) and alerts to Slack, all off the request's path.

Only the dispatching machinery is exported here; each sink's module is imported by bootstrap
when that sink is configured, so an unused sink's library is never loaded.
"""

from switchboard.adapters.outbound.observability.dispatcher import EventDispatcher
from switchboard.adapters.outbound.observability.queue import ExportQueue, QueueSettings, QueueStats, ThrottledCount

__all__ = ["EventDispatcher", "ExportQueue", "QueueSettings", "QueueStats", "ThrottledCount"]
