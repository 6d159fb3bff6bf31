"""Where alerts go: the one door for anything that wants a person told (governance's budgets, the
router's cooldowns, the gateway's own error-rate and latency watch)."""

from __future__ import annotations

from typing import Protocol

from switchboard.domain.alerts import Alert


class Alerts(Protocol):
    """Receives alerts. ``notify`` returns at once and never raises: delivery (Slack...) happens
    off the caller's path, repeated alerts (same ``key``) are de-duplicated, and alert types the
    operator did not enable are dropped. With no alerting configured, alerts still update the
    metrics (a cooldown sets the deployment's cooldown gauge)."""

    def notify(self, alert: Alert) -> None:
        """Hand over one alert; never blocks, never raises."""
        ...
