"""Alerts to a Slack incoming webhook: one message per batch of alerts, ``{"text": ...}`` in
Slack's mrkdwn. The webhook URL is a secret: it is never logged."""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from switchboard.adapters.outbound.observability.delivery import post
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.alerts import Alert

_LEVEL_MARK = {"low": ":information_source:", "medium": ":warning:", "high": ":rotating_light:"}
MAX_TEXT = 35_000  # Slack truncates message text past 40,000 characters


def alert_text(alert: Alert) -> str:
    """``:warning: *Title*`` then the message, then each fact as ``name: `value` ``."""
    lines = [f"{_LEVEL_MARK.get(alert.level, '')} *{_escape(alert.title)}*".strip(), _escape(alert.message)]
    lines.extend(f"{_escape(name)}: `{_escape(value)}`" for name, value in alert.facts)
    return "\n".join(lines)


def message_text(alerts: Sequence[Alert]) -> str:
    text = "\n\n".join(alert_text(a) for a in alerts)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _escape(text: str) -> str:
    # Slack's mrkdwn gives these three characters meaning; the docs ask that they be escaped.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackExporter:
    def __init__(self, transport: Transport, *, webhook_url: str, timeout: float = 10.0) -> None:
        self._transport = transport
        self._url = webhook_url
        self._timeout = timeout

    async def export(self, items: Sequence[Alert]) -> None:
        body = orjson.dumps({"text": message_text(items)})
        await post(self._transport, "slack", self._url, body, {}, self._timeout)

    async def close(self) -> None:
        return None
