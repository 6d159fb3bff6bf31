"""Alerts: the hub every alert passes through, and the watch that raises alerts from call events.

router / governance / CallWatch --notify--> AlertHub --observers (metrics: every alert)
                                                     \\-deliveries (Slack: enabled types, once per key per window)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from switchboard.domain.alerts import Alert, AlertGate, AlertThresholds, CallWindow, window_alerts
from switchboard.domain.call_events import CallEvent
from switchboard.domain.ports.alerts import Alerts
from switchboard.domain.ports.clock import Clock

log = logging.getLogger("switchboard.alerts")

AlertHandler = Callable[[Alert], None]


class AlertHub:
    """The ``Alerts`` port: observers see every alert; deliveries see the enabled types, each
    alert key at most once per de-duplication window, and every delivered alert is logged.

    Observers and deliveries must return at once (a metrics update, a queue's ``offer``).
    """

    def __init__(
        self,
        clock: Clock,
        gate: AlertGate,
        *,
        enabled: frozenset[str] | None = None,
        observers: Sequence[AlertHandler] = (),
        deliveries: Sequence[AlertHandler] = (),
    ) -> None:
        self._clock = clock
        self._gate = gate
        self._enabled = enabled
        self._observers = tuple(observers)
        self._deliveries = tuple(deliveries)

    def notify(self, alert: Alert) -> None:
        try:
            for observe in self._observers:
                observe(alert)
            if self._enabled is not None and alert.type not in self._enabled:
                return
            if not self._gate.admit(alert, self._clock.now()):
                return
            log.warning("alert: %s: %s", alert.title, alert.message, extra={"alert_type": alert.type})
            for deliver in self._deliveries:
                deliver(alert)
        except Exception:  # an alert must never fail the caller that raised it
            log.exception("alert handling failed", extra={"alert_type": alert.type})


class CallWatch:
    """An exporter of call events that raises ``llm_exceptions`` (error rate) and ``llm_too_slow``
    (latency) alerts per deployment, over a sliding window of the events' own end times.

    Failures the caller caused (a bad request, a rate limit, a budget) and callers going away do
    not count. A stream's latency is its time to first token. At most ``max_subjects``
    deployments are watched; the one seen least recently is forgotten first.
    """

    def __init__(self, alerts: Alerts, thresholds: AlertThresholds, max_subjects: int = 1000) -> None:
        self._alerts = alerts
        self._limits = thresholds
        self._max_subjects = max_subjects
        self._windows: dict[str, CallWindow] = {}

    async def export(self, items: Sequence[CallEvent]) -> None:
        for event in items:
            self.observe(event)

    async def close(self) -> None:
        self._windows.clear()

    def observe(self, event: CallEvent) -> None:
        if event.status in ("cancelled", "incomplete", "client_aborted"):
            return
        subject = event.deployment_id or event.model_group
        window = self._windows.pop(subject, None) or CallWindow(self._limits.window)
        self._windows[subject] = window  # re-inserted: the dict's order is least recently seen first
        if len(self._windows) > self._max_subjects:
            self._windows.pop(next(iter(self._windows)))
        failed = event.failed and event.error_origin in ("upstream", "gateway")
        latency = event.time_to_first_token if event.stream and event.time_to_first_token is not None else event.latency
        figures = window.record(event.end_time, failed, latency)
        for alert in window_alerts(subject, event.model_group, figures, self._limits):
            self._alerts.notify(alert)
