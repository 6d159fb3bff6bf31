"""Prometheus metrics for ``GET /metrics``: requests, errors, tokens, spend, latency, time to first
token, in-flight requests, deployment cooldowns, cache hits, and the sinks' own health.

Three feeds fill one registry:

- ``PrometheusExporter`` (a sink): one update per call event, off the request's path;
- ``InFlightHook`` (a call hook): a dict increment when a call starts and ends;
- ``observe_alert`` (an alert observer): a cooldown alert marks its deployment cooling until its end.

Label values are bounded: each label keeps at most ``max_label_values`` distinct values, and
later ones are reported as ``other``, so a flood of key aliases cannot grow the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from switchboard.adapters.outbound.observability.queue import QueueStats
from switchboard.domain.alerts import Alert
from switchboard.domain.call_events import CallEvent
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.ports.clock import Clock

OTHER = "other"
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, float("inf"))
TTFT_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, float("inf"))

_CALL = ("model_group", "deployment")
_CALLER = ("key_alias", "team")  # labels that name who called: only with key_labels
_MAX_CACHED_SERIES = 10_000


@dataclass(slots=True)
class _Series:
    requests: Any
    prompt_tokens: Any
    completion_tokens: Any
    spend: Any
    latency: Any
    ttft: Any
    cache_hits: Any
    fallbacks: Any


class LabelLimiter:
    """At most ``max_values`` distinct values per label name; later values become ``other``."""

    __slots__ = ("_max", "_seen")

    def __init__(self, max_values: int) -> None:
        self._max = max_values
        self._seen: dict[str, set[str]] = {}

    def __call__(self, name: str, value: str | None) -> str:
        value = value or ""
        seen = self._seen.setdefault(name, set())
        if value in seen:
            return value
        if len(seen) < self._max:
            seen.add(value)
            return value
        return OTHER


class PrometheusMetrics:
    """The registry and its instruments. ``render`` gives the text exposition format."""

    def __init__(
        self,
        clock: Clock,
        *,
        max_label_values: int = 100,
        key_labels: bool = False,
        queue_stats: Callable[[], Iterable[QueueStats]] | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self._clock = clock
        self.label = LabelLimiter(max_label_values)
        self._series: dict[tuple[str, str, str, str, str, str], _Series] = {}
        self._key_labels = key_labels
        self.queue_stats = queue_stats
        self.in_flight: dict[str, int] = {}
        self._cooling: dict[tuple[str, str], float] = {}
        self._cooldowns: dict[tuple[str, str], int] = {}
        reg = self.registry
        call_labels = (*_CALL, *_CALLER) if key_labels else _CALL
        self.requests = Counter(
            "switchboard_requests", "Calls settled, by outcome.", [*call_labels, "provider", "status"], registry=reg
        )
        self.errors = Counter(
            "switchboard_errors", "Failed calls, by error class.", [*call_labels, "error_class"], registry=reg
        )
        self.prompt_tokens = Counter("switchboard_prompt_tokens", "Prompt (input) tokens.", call_labels, registry=reg)
        self.completion_tokens = Counter(
            "switchboard_completion_tokens", "Completion (output) tokens.", call_labels, registry=reg
        )
        self.spend = Counter("switchboard_spend_usd", "Spend in US dollars.", call_labels, registry=reg)
        self.latency = Histogram(
            "switchboard_request_latency_seconds",
            "Time from admission to the answer (a stream: to its end).",
            ["model_group", "deployment"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.ttft = Histogram(
            "switchboard_time_to_first_token_seconds",
            "Time from admission to a stream's first chunk.",
            ["model_group", "deployment"],
            buckets=TTFT_BUCKETS,
            registry=reg,
        )
        self.cache_hits = Counter(
            "switchboard_cache_hits", "Calls answered from the cache.", ["model_group"], registry=reg
        )
        self.fallbacks = Counter(
            "switchboard_fallback_attempts", "Deployments tried and failed before the one that answered.",
            ["model_group"], registry=reg,
        )  # fmt: skip
        self.unpriced = Counter(
            "switchboard_unpriced_calls",
            "Successful calls whose cost is unknown (no price for the model): spend not counted.",
            ["model_group"], registry=reg,
        )  # fmt: skip
        reg.register(_LiveCollector(self))

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def record(self, event: CallEvent) -> None:
        label = self.label
        group = label("model_group", event.model_group)
        deployment = label("deployment", event.deployment_id)
        alias = label("key_alias", event.key_alias) if self._key_labels else ""
        team = label("team", event.team_id) if self._key_labels else ""
        key = (group, deployment, alias, team, label("provider", event.provider), event.status)
        series = self._series.get(key) or self._open_series(key)
        series.requests.inc()
        if event.failed and event.error_class is not None:  # a client that left is no failure: see its status
            call = (group, deployment, alias, team) if self._key_labels else (group, deployment)
            self.errors.labels(*call, label("error_class", event.error_class)).inc()
        if event.prompt_tokens:
            series.prompt_tokens.inc(event.prompt_tokens)
        if event.completion_tokens:
            series.completion_tokens.inc(event.completion_tokens)
        if event.cost:
            series.spend.inc(event.cost)
        elif event.cost is None and event.status == "success":
            self.unpriced.labels(group).inc()
        series.latency.observe(event.latency)
        if event.time_to_first_token is not None:
            series.ttft.observe(event.time_to_first_token)
        if event.cache_hit:
            series.cache_hits.inc()
        if event.attempted:
            series.fallbacks.inc(len(event.attempted))

    def _open_series(self, key: tuple[str, str, str, str, str, str]) -> _Series:
        """The children for one label combination, kept (up to a bound) so later calls skip the
        registry's label lookups."""
        group, deployment, alias, team, provider, status = key
        call = (group, deployment, alias, team) if self._key_labels else (group, deployment)
        series = _Series(
            requests=self.requests.labels(*call, provider, status),
            prompt_tokens=self.prompt_tokens.labels(*call),
            completion_tokens=self.completion_tokens.labels(*call),
            spend=self.spend.labels(*call),
            latency=self.latency.labels(group, deployment),
            ttft=self.ttft.labels(group, deployment),
            cache_hits=self.cache_hits.labels(group),
            fallbacks=self.fallbacks.labels(group),
        )
        if len(self._series) < _MAX_CACHED_SERIES:
            self._series[key] = series
        return series

    def observe_alert(self, alert: Alert) -> None:
        """A cooldown alert marks its deployment as cooling down until the alert's ``until``."""
        if alert.type != "cooldown_deployment" or alert.deployment is None or alert.until is None:
            return
        key = (self.label("model_group", alert.model_group), self.label("deployment", alert.deployment))
        self._cooling[key] = max(alert.until, self._cooling.get(key, 0.0))
        self._cooldowns[key] = self._cooldowns.get(key, 0) + 1

    def live_families(self) -> Iterator[Any]:
        """Gauges computed at scrape time: in-flight calls, cooldowns, and the sink queues."""
        in_flight = GaugeMetricFamily(
            "switchboard_in_flight_requests", "Calls admitted and not yet settled.", labels=["model_group"]
        )
        for group, count in self.in_flight.items():
            in_flight.add_metric([group], count)
        yield in_flight
        now = self._clock.now()
        cooling = GaugeMetricFamily(
            "switchboard_deployment_cooled_down",
            "1 while a deployment is cooling down, else 0.",
            labels=["model_group", "deployment"],
        )
        cooldowns = CounterMetricFamily(
            "switchboard_deployment_cooldowns",
            "Times a deployment was cooled down.",
            labels=["model_group", "deployment"],
        )
        for key, until in self._cooling.items():
            cooling.add_metric(list(key), 1.0 if until > now else 0.0)
            cooldowns.add_metric(list(key), self._cooldowns.get(key, 0))
        yield cooling
        yield cooldowns
        if self.queue_stats is None:
            return
        dropped = CounterMetricFamily(
            "switchboard_events_dropped", "Events dropped because a sink's queue was full.", labels=["sink"]
        )
        failed = CounterMetricFamily(
            "switchboard_events_failed", "Events a sink gave up on after retries.", labels=["sink"]
        )
        depth = GaugeMetricFamily("switchboard_event_queue_depth", "Events waiting in a sink's queue.", labels=["sink"])
        for stats in self.queue_stats():
            dropped.add_metric([stats.sink], stats.dropped)
            failed.add_metric([stats.sink], stats.failed)
            depth.add_metric([stats.sink], stats.depth)
        yield dropped
        yield failed
        yield depth


class _LiveCollector(Collector):
    def __init__(self, metrics: PrometheusMetrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterable[Any]:
        return self._metrics.live_families()


class PrometheusExporter:
    """The sink: each call event updates the counters and histograms."""

    def __init__(self, metrics: PrometheusMetrics) -> None:
        self.metrics = metrics

    async def export(self, items: Sequence[CallEvent]) -> None:
        record = self.metrics.record
        for event in items:
            record(event)

    async def close(self) -> None:
        return None


class InFlightHook:
    """A call hook counting calls between admission and settlement, per model group."""

    def __init__(self, metrics: PrometheusMetrics) -> None:
        self._counts = metrics.in_flight
        self._label = metrics.label

    async def pre_call(self, info: CallInfo[Any]) -> str:
        group = info.model_group
        counts = self._counts
        if group not in counts:
            group = self._label("model_group", group)
        counts[group] = counts.get(group, 0) + 1
        return group

    async def post_call(self, outcome: CallOutcome[Any, Any], ticket: str) -> None:
        self._counts[ticket] -= 1
