"""Alerts for people (a budget crossed, a deployment cooled down, errors or latency above a
threshold) and the policies that decide when to raise and when to repeat one.

Alert types carry LiteLLM's names (``general_settings.alert_types``), so a LiteLLM config keeps
its meaning. Anyone may raise an alert through the ``Alerts`` port (``domain.ports.alerts``); the
constructors below build the ones the router and governance raise.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

AlertType = Literal[
    "llm_exceptions",
    "llm_too_slow",
    "llm_requests_hanging",
    "budget_alerts",
    "spend_reports",
    "failed_tracking_spend",
    "db_exceptions",
    "daily_reports",
    "cooldown_deployment",
    "new_model_added",
    "model_deprecation_warnings",
    "outage_alerts",
    "region_outage_alerts",
    "fallback_reports",
]

ALERT_TYPES: frozenset[str] = frozenset(get_args(AlertType))

# The types Switchboard raises today; the others are accepted in configs and never raised.
RAISED_TYPES: frozenset[str] = frozenset({"llm_exceptions", "llm_too_slow", "budget_alerts", "cooldown_deployment"})

AlertLevel = Literal["low", "medium", "high"]


@dataclass(frozen=True, slots=True)
class Alert:
    """One thing a person should know about.

    ``key`` identifies the condition: the same key is not sent twice within the de-duplication
    window. ``facts`` are shown as labelled fields and never hold a secret. ``deployment``,
    ``model_group`` and ``until`` (epoch seconds) describe a cooldown, for metrics.
    """

    type: AlertType
    key: str
    title: str
    message: str
    level: AlertLevel = "medium"
    facts: tuple[tuple[str, str], ...] = ()
    deployment: str | None = None
    model_group: str | None = None
    until: float | None = None


BudgetEvent = Literal["soft_budget_crossed", "budget_exceeded"]


def budget_alert(
    event: BudgetEvent,
    scope: str,
    scope_id: str,
    spend: float,
    soft_budget: float | None = None,
    max_budget: float | None = None,
    name: str | None = None,
) -> Alert:
    """A soft budget reached, or a budget used up, by one key / user / team / org / end user.

    ``scope_id`` is a key hash, user id...; ``name`` (an alias) is shown when known.
    """
    who = f"{scope} {name or scope_id}"
    if event == "soft_budget_crossed":
        title = f"Soft budget reached: {who}"
        detail = f"spend ${spend:.4f} reached the soft budget ${soft_budget or 0:.4f}"
        level: AlertLevel = "medium"
    else:
        title = f"Budget exceeded: {who}"
        detail = f"spend ${spend:.4f} reached the budget ${max_budget or 0:.4f}; further calls are refused"
        level = "high"
    facts = [("scope", scope), ("id", scope_id), ("spend", f"{spend:.4f}")]
    if soft_budget is not None:
        facts.append(("soft_budget", f"{soft_budget:.4f}"))
    if max_budget is not None:
        facts.append(("max_budget", f"{max_budget:.4f}"))
    return Alert("budget_alerts", f"budget:{event}:{scope}:{scope_id}", title, detail, level, tuple(facts))


def cooldown_alert(
    deployment: str,
    model_group: str,
    until: float,
    now: float,
    reason: str = "",
    provider: str | None = None,
) -> Alert:
    """A deployment taken out of rotation until ``until`` (epoch seconds) after failures."""
    seconds = max(0.0, until - now)
    message = f"deployment {deployment} of {model_group} is cooling down for {seconds:.0f}s"
    if reason:
        message += f": {reason}"
    facts = [("model_group", model_group), ("deployment", deployment), ("cooldown_seconds", f"{seconds:.0f}")]
    if provider:
        facts.append(("provider", provider))
    return Alert(
        "cooldown_deployment",
        f"cooldown:{deployment}",
        f"Deployment cooled down: {model_group}",
        message,
        "medium",
        tuple(facts),
        deployment=deployment,
        model_group=model_group,
        until=until,
    )


@dataclass(frozen=True, slots=True)
class AlertThresholds:
    """When call statistics over ``window`` seconds raise an alert.

    Errors: at least ``min_failures`` failures (of the provider's or the gateway's making, not the
    caller's) that are at least ``error_rate`` of the calls. Latency: the mean latency (time to
    first token for streams) above ``slow_seconds``.
    """

    window: float = 60.0
    min_failures: int = 5
    error_rate: float = 0.5
    slow_seconds: float = 300.0


@dataclass(frozen=True, slots=True)
class WindowFigures:
    calls: int
    failures: int
    mean_latency: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.calls if self.calls else 0.0


class CallWindow:
    """Calls of one subject (a deployment or model group) over a sliding window of time.

    Memory is bounded: at most ``max_samples`` calls are kept, the oldest dropped first.
    """

    __slots__ = ("_failures", "_latency_sum", "_max", "_samples", "_window")

    def __init__(self, window: float, max_samples: int = 10_000) -> None:
        self._window = window
        self._max = max_samples
        self._samples: deque[tuple[float, bool, float]] = deque()
        self._failures = 0
        self._latency_sum = 0.0

    def record(self, now: float, failed: bool, latency: float) -> WindowFigures:
        """Add one call at ``now``; the figures of the window ending at ``now``."""
        self._samples.append((now, failed, latency))
        self._failures += failed
        self._latency_sum += latency
        self._trim(now)
        return self.figures(now)

    def figures(self, now: float) -> WindowFigures:
        self._trim(now)
        calls = len(self._samples)
        return WindowFigures(calls, self._failures, self._latency_sum / calls if calls else 0.0)

    def _trim(self, now: float) -> None:
        horizon = now - self._window
        samples = self._samples
        while samples and (samples[0][0] <= horizon or len(samples) > self._max):
            _, failed, latency = samples.popleft()
            self._failures -= failed
            self._latency_sum -= latency


def window_alerts(subject: str, model_group: str, figures: WindowFigures, limits: AlertThresholds) -> list[Alert]:
    """The alerts that ``figures`` for ``subject`` call for (none, one or both)."""
    alerts: list[Alert] = []
    if figures.failures >= limits.min_failures and figures.error_rate >= limits.error_rate:
        alerts.append(
            Alert(
                "llm_exceptions",
                f"errors:{subject}",
                f"High error rate: {model_group}",
                f"{figures.failures} of {figures.calls} calls to {subject} failed in the last {limits.window:.0f}s",
                "high",
                (
                    ("model_group", model_group),
                    ("subject", subject),
                    ("error_rate", f"{figures.error_rate:.0%}"),
                ),
            )
        )
    if figures.calls and figures.mean_latency > limits.slow_seconds:
        alerts.append(
            Alert(
                "llm_too_slow",
                f"slow:{subject}",
                f"Slow responses: {model_group}",
                f"calls to {subject} took {figures.mean_latency:.1f}s on average over the last "
                f"{limits.window:.0f}s (threshold {limits.slow_seconds:g}s)",
                "medium",
                (("model_group", model_group), ("subject", subject), ("calls", str(figures.calls))),
            )
        )
    return alerts


class AlertGate:
    """De-duplication: an alert key passes at most once per window (per alert type, else the
    default). Memory is bounded: expired keys are forgotten when the table grows."""

    __slots__ = ("_default", "_last", "_max_keys", "_windows")

    def __init__(self, default: float, windows: Mapping[str, float] | None = None, max_keys: int = 10_000) -> None:
        self._default = default
        self._windows = dict(windows or {})
        self._last: dict[str, float] = {}
        self._max_keys = max_keys

    def admit(self, alert: Alert, now: float) -> bool:
        """True if ``alert`` should be sent at ``now``; remembers that it was."""
        window = self._windows.get(alert.type, self._default)
        last = self._last.get(alert.key)
        if last is not None and now - last < window:
            return False
        if len(self._last) >= self._max_keys:
            self._forget(now)
        self._last[alert.key] = now
        return True

    def _forget(self, now: float) -> None:
        longest = max((self._default, *self._windows.values()))
        self._last = {k: t for k, t in self._last.items() if now - t < longest}
        while len(self._last) >= self._max_keys:  # everything is recent: drop the oldest
            self._last.pop(next(iter(self._last)))
