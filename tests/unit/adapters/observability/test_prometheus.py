"""Prometheus metrics, read back through prometheus_client's own text parser."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from switchboard.adapters.outbound.observability import QueueStats
from switchboard.adapters.outbound.observability.prometheus import InFlightHook, PrometheusExporter, PrometheusMetrics
from switchboard.domain.alerts import cooldown_alert
from switchboard.domain.call_events import CallEvent
from switchboard.domain.calls import CallInfo, CallOutcome
from switchboard.domain.context import CallContext
from tests.fakes import FakeClock
from tests.fakes.observability import chat_request, event


def samples(metrics: PrometheusMetrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    body, content_type = metrics.render()
    assert content_type.startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


def value(metrics: PrometheusMetrics, name: str, **labels: str) -> float | None:
    found = [v for (n, ls), v in samples(metrics).items() if n == name and set(labels.items()) <= ls]
    return sum(found) if found else None


async def record(metrics: PrometheusMetrics, *events: CallEvent) -> None:
    await PrometheusExporter(metrics).export(events)


async def test_a_call_counts_a_request_tokens_spend_and_latency() -> None:
    metrics = PrometheusMetrics(FakeClock())
    await record(metrics, event(latency=0.3, cost=0.25))
    call = {"model_group": "gpt", "deployment": "dep-1"}
    assert value(metrics, "switchboard_requests_total", status="success", provider="openai", **call) == 1
    assert value(metrics, "switchboard_prompt_tokens_total", **call) == 12
    assert value(metrics, "switchboard_completion_tokens_total", **call) == 1
    assert value(metrics, "switchboard_spend_usd_total", **call) == 0.25
    assert value(metrics, "switchboard_request_latency_seconds_count", model_group="gpt") == 1
    assert value(metrics, "switchboard_request_latency_seconds_bucket", model_group="gpt", le="0.5") == 1
    assert value(metrics, "switchboard_request_latency_seconds_bucket", model_group="gpt", le="0.25") == 0


async def test_errors_are_counted_by_class() -> None:
    metrics = PrometheusMetrics(FakeClock())
    await record(metrics, event(status="error", error_class="Timeout"), event(status="error", error_class="Timeout"))
    assert value(metrics, "switchboard_errors_total", error_class="Timeout") == 2
    assert value(metrics, "switchboard_requests_total", status="error") == 2


async def test_time_to_first_token_is_observed_for_streams_only() -> None:
    metrics = PrometheusMetrics(FakeClock())
    await record(metrics, event(), event(stream=True, time_to_first_token=0.08))
    assert value(metrics, "switchboard_time_to_first_token_seconds_count") == 1
    assert value(metrics, "switchboard_time_to_first_token_seconds_bucket", le="0.1") == 1


async def test_cache_hits_and_fallback_attempts_are_counted() -> None:
    metrics = PrometheusMetrics(FakeClock())
    await record(metrics, event(cache_hit=True), event(attempted=("dep-2", "dep-3")))
    assert value(metrics, "switchboard_cache_hits_total", model_group="gpt") == 1
    assert value(metrics, "switchboard_fallback_attempts_total", model_group="gpt") == 2


async def test_successful_calls_without_a_known_cost_are_counted_as_unpriced() -> None:
    metrics = PrometheusMetrics(FakeClock())
    await record(metrics, event(cost=None), event(cost=0.0), event(cost=None, status="error", error_class="Timeout"))
    assert value(metrics, "switchboard_unpriced_calls_total", model_group="gpt") == 1


async def test_label_values_past_the_limit_become_other() -> None:
    metrics = PrometheusMetrics(FakeClock(), max_label_values=2, key_labels=True)
    await record(metrics, *(event(key_alias=f"key-{i}") for i in range(5)))
    aliases = {dict(ls)["key_alias"] for (n, ls) in samples(metrics) if n == "switchboard_requests_total"}
    assert aliases == {"key-0", "key-1", "other"}
    assert value(metrics, "switchboard_requests_total", key_alias="other") == 3


async def test_labels_that_name_callers_are_off_by_default() -> None:
    # issue 11, item 13: /metrics enumerated tenants through key aliases and teams
    metrics = PrometheusMetrics(FakeClock())
    await record(metrics, event(team_id="team-1", status="error", error_class="Timeout"))
    names = {name for (_, labels) in samples(metrics) for name in dict(labels)}
    assert {"model_group", "deployment", "provider", "status"} <= names
    assert not names & {"key_alias", "team"}


async def test_labels_that_name_callers_can_be_turned_on() -> None:
    metrics = PrometheusMetrics(FakeClock(), key_labels=True)
    await record(metrics, event(team_id="team-1", status="error", error_class="Timeout"))
    assert value(metrics, "switchboard_requests_total", key_alias="ci-key", team="team-1") == 1
    assert value(metrics, "switchboard_errors_total", key_alias="ci-key", team="team-1") == 1


def test_a_cooldown_alert_sets_the_deployments_gauge_until_it_ends() -> None:
    clock = FakeClock()
    metrics = PrometheusMetrics(clock)
    metrics.observe_alert(cooldown_alert("dep-1", "gpt", until=clock.now() + 30, now=clock.now()))
    assert value(metrics, "switchboard_deployment_cooled_down", deployment="dep-1", model_group="gpt") == 1
    assert value(metrics, "switchboard_deployment_cooldowns_total", deployment="dep-1") == 1
    clock.advance(31)
    assert value(metrics, "switchboard_deployment_cooled_down", deployment="dep-1") == 0


async def test_in_flight_calls_are_counted_between_admission_and_settlement() -> None:
    metrics = PrometheusMetrics(FakeClock())
    hook = InFlightHook(metrics)
    info = CallInfo(kind="chat", request=chat_request(), ctx=CallContext(request_id="r"), model_group="gpt")
    tickets = [await hook.pre_call(info) for _ in range(3)]
    assert value(metrics, "switchboard_in_flight_requests", model_group="gpt") == 3
    await hook.post_call(CallOutcome(info=info), tickets[0])
    assert value(metrics, "switchboard_in_flight_requests", model_group="gpt") == 2


def test_sink_queue_counters_are_exposed() -> None:
    stats = [QueueStats("dispatcher", 0, 0, 0, 0), QueueStats("langfuse", 7, 42, 3, 100)]
    metrics = PrometheusMetrics(FakeClock(), queue_stats=lambda: stats)
    assert value(metrics, "switchboard_events_dropped_total", sink="langfuse") == 42
    assert value(metrics, "switchboard_events_failed_total", sink="langfuse") == 3
    assert value(metrics, "switchboard_event_queue_depth", sink="langfuse") == 7
