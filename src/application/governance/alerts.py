"""Budget alerts to the log, until an alerting sink (Slack, webhook) is wired in."""

from __future__ import annotations

import logging

from domain.ports.alerts import BudgetAlert

log = logging.getLogger("switchboard.alerts")


class LoggedAlerts:
    def alert(self, alert: BudgetAlert) -> None:
        log.warning(
            "budget alert: %s for %s %s: spent $%.6f (soft $%s, max $%s)",
            alert.kind,
            alert.scope,
            alert.scope_id[:12],
            alert.spend,
            alert.soft_budget,
            alert.max_budget,
        )
