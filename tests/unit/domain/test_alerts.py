"""Alert values, the de-duplication gate and the sliding window of call figures."""

from __future__ import annotations

from switchboard.domain.alerts import (
    AlertGate,
    AlertThresholds,
    CallWindow,
    WindowFigures,
    budget_alert,
    cooldown_alert,
    window_alerts,
)


def test_a_soft_budget_alert_names_the_scope_and_figures() -> None:
    alert = budget_alert("soft_budget_crossed", "team", "team-7", 80.0, soft_budget=75.0, max_budget=100.0)
    assert (alert.type, alert.key, alert.level) == ("budget_alerts", "budget:soft_budget_crossed:team:team-7", "medium")
    assert ("soft_budget", "75.0000") in alert.facts


def test_an_exceeded_budget_is_a_high_level_alert_with_its_own_key() -> None:
    alert = budget_alert("budget_exceeded", "key", "hash-1", 10.0, max_budget=10.0)
    assert (alert.key, alert.level) == ("budget:budget_exceeded:key:hash-1", "high")


def test_a_cooldown_alert_carries_deployment_group_and_end() -> None:
    alert = cooldown_alert("dep-1", "gpt", until=1060.0, now=1000.0, reason="3 failures")
    assert (alert.type, alert.deployment, alert.model_group, alert.until) == (
        "cooldown_deployment",
        "dep-1",
        "gpt",
        1060.0,
    )
    assert "60s" in alert.message and "3 failures" in alert.message


def test_the_gate_passes_a_key_once_per_window() -> None:
    gate = AlertGate(default=600)
    alert = cooldown_alert("dep-1", "gpt", until=1060.0, now=1000.0)
    assert [gate.admit(alert, t) for t in (1000.0, 1300.0, 1599.0, 1600.0)] == [True, False, False, True]


def test_the_gate_keeps_different_keys_apart() -> None:
    gate = AlertGate(default=600)
    assert gate.admit(cooldown_alert("a", "g", 2.0, 1.0), 1.0)
    assert gate.admit(cooldown_alert("b", "g", 2.0, 1.0), 1.0)


def test_the_gate_uses_a_types_own_window() -> None:
    gate = AlertGate(default=600, windows={"budget_alerts": 86_400})
    alert = budget_alert("budget_exceeded", "key", "h", 1.0, max_budget=1.0)
    assert gate.admit(alert, 0.0)
    assert not gate.admit(alert, 3600.0)


def test_the_gate_forgets_old_keys_when_full() -> None:
    gate = AlertGate(default=10, max_keys=2)
    for i, now in enumerate((0.0, 1.0, 100.0)):
        assert gate.admit(cooldown_alert(f"d{i}", "g", now + 1, now), now)
    assert len(gate._last) <= 2


def test_the_window_counts_calls_and_failures_within_its_span() -> None:
    window = CallWindow(60)
    window.record(0.0, True, 1.0)
    window.record(30.0, False, 3.0)
    assert window.figures(30.0) == WindowFigures(calls=2, failures=1, mean_latency=2.0)
    assert window.figures(61.0) == WindowFigures(calls=1, failures=0, mean_latency=3.0)


def test_the_window_keeps_at_most_its_sample_limit() -> None:
    window = CallWindow(60, max_samples=3)
    for t in range(5):
        window.record(float(t), True, 1.0)
    assert window.figures(5.0).calls == 3


def test_enough_failures_at_a_high_rate_raise_an_error_alert() -> None:
    limits = AlertThresholds(min_failures=3, error_rate=0.5)
    alerts = window_alerts("dep-1", "gpt", WindowFigures(calls=5, failures=3, mean_latency=0.1), limits)
    assert [a.type for a in alerts] == ["llm_exceptions"]
    assert alerts[0].key == "errors:dep-1"


def test_failures_below_the_rate_raise_nothing() -> None:
    limits = AlertThresholds(min_failures=3, error_rate=0.5)
    assert window_alerts("d", "g", WindowFigures(calls=100, failures=10, mean_latency=0.1), limits) == []


def test_a_mean_latency_above_the_threshold_raises_a_slow_alert() -> None:
    limits = AlertThresholds(slow_seconds=5)
    alerts = window_alerts("d", "g", WindowFigures(calls=2, failures=0, mean_latency=7.5), limits)
    assert [a.type for a in alerts] == ["llm_too_slow"]
