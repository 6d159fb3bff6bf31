"""AlertHub (the Alerts port) and CallWatch (alerts from call events)."""

from __future__ import annotations

import logging

import pytest

from switchboard.application.alerting import AlertHub, CallWatch
from switchboard.domain.alerts import Alert, AlertGate, AlertThresholds, budget_alert, cooldown_alert
from tests.fakes import FakeClock
from tests.fakes.observability import RecordingAlerts, event


def hub(enabled: frozenset[str] | None = None, observers: list[Alert] | None = None) -> tuple[AlertHub, list[Alert]]:
    delivered: list[Alert] = []
    seen = observers if observers is not None else []
    return (
        AlertHub(FakeClock(), AlertGate(600), enabled=enabled, observers=[seen.append], deliveries=[delivered.append]),
        delivered,
    )


def test_an_alert_is_delivered_once_within_the_dedup_window() -> None:
    alerts, delivered = hub()
    alert = cooldown_alert("dep-1", "gpt", until=2e9, now=1.7e9)
    alerts.notify(alert)
    alerts.notify(alert)
    assert delivered == [alert]


def test_observers_see_every_alert_even_repeated_or_disabled() -> None:
    seen: list[Alert] = []
    alerts, delivered = hub(enabled=frozenset({"budget_alerts"}), observers=seen)
    cooldown = cooldown_alert("dep-1", "gpt", until=2e9, now=1.7e9)
    alerts.notify(cooldown)
    alerts.notify(cooldown)
    assert seen == [cooldown, cooldown]
    assert delivered == []


def test_only_enabled_alert_types_are_delivered() -> None:
    alerts, delivered = hub(enabled=frozenset({"budget_alerts"}))
    budget = budget_alert("budget_exceeded", "key", "h", 5.0, max_budget=5.0)
    alerts.notify(cooldown_alert("dep-1", "gpt", until=2e9, now=1.7e9))
    alerts.notify(budget)
    assert delivered == [budget]


def test_a_delivered_alert_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    alerts, _ = hub()
    with caplog.at_level(logging.WARNING, "switchboard.alerts"):
        alerts.notify(budget_alert("soft_budget_crossed", "team", "t1", 8.0, soft_budget=5.0))
    assert "Soft budget reached: team t1" in caplog.text


def test_a_failing_observer_never_reaches_the_caller() -> None:
    def broken(alert: Alert) -> None:
        raise RuntimeError("metrics are broken")

    alerts = AlertHub(FakeClock(), AlertGate(600), observers=[broken])
    alerts.notify(cooldown_alert("dep-1", "gpt", until=2e9, now=1.7e9))


def watch(thresholds: AlertThresholds) -> tuple[CallWatch, RecordingAlerts]:
    recorded = RecordingAlerts()
    return CallWatch(recorded, thresholds), recorded


async def test_upstream_failures_above_the_rate_raise_an_error_alert_for_the_deployment() -> None:
    calls, recorded = watch(AlertThresholds(min_failures=2, error_rate=0.5))
    failure = event(status="error", error_class="ProviderUnavailable", error_origin="upstream")
    await calls.export([event(), failure, failure])
    assert [(a.type, a.key) for a in recorded.alerts] == [("llm_exceptions", "errors:dep-1")]


async def test_failures_the_caller_caused_do_not_count() -> None:
    calls, recorded = watch(AlertThresholds(min_failures=1, error_rate=0.1))
    await calls.export([event(status="error", error_class="RateLimited", error_origin="limit")] * 5)
    assert recorded.alerts == []


async def test_slow_calls_raise_a_slow_alert() -> None:
    calls, recorded = watch(AlertThresholds(slow_seconds=1.0))
    await calls.export([event(latency=3.0)])
    assert [a.type for a in recorded.alerts] == ["llm_too_slow"]


async def test_a_streams_speed_is_its_time_to_first_token() -> None:
    calls, recorded = watch(AlertThresholds(slow_seconds=1.0))
    await calls.export([event(stream=True, latency=30.0, time_to_first_token=0.2)])
    assert recorded.alerts == []


async def test_the_window_is_taken_over_the_events_own_times() -> None:
    calls, recorded = watch(AlertThresholds(min_failures=2, error_rate=0.5, window=60))
    failure = event(status="error", error_class="Timeout", error_origin="upstream")
    await calls.export([failure])
    await calls.export([event(status="error", error_class="Timeout", error_origin="upstream", end_time=1e10)])
    assert recorded.alerts == []


async def test_at_most_the_subject_limit_is_watched() -> None:
    recorded = RecordingAlerts()
    calls = CallWatch(recorded, AlertThresholds(), max_subjects=2)
    await calls.export([event(deployment_id=f"dep-{i}") for i in range(5)])
    assert list(calls._windows) == ["dep-3", "dep-4"]
