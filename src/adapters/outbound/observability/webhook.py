"""A generic HTTP endpoint (LiteLLM's ``generic_api``): each batch is ``POST``ed as a JSON array
of call events (the same records the log sink writes), with the configured headers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import orjson

from switchboard.adapters.outbound.observability.delivery import json_array, post
from switchboard.adapters.outbound.observability.records import event_record
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.call_events import CallEvent


class WebhookExporter:
    def __init__(
        self, transport: Transport, *, url: str, headers: Mapping[str, str] | None = None, timeout: float = 10.0
    ) -> None:
        self._transport = transport
        self._url = url
        self._headers = dict(headers or {})
        self._timeout = timeout

    async def export(self, items: Sequence[CallEvent]) -> None:
        body = json_array([orjson.dumps(event_record(e), default=str) for e in items])
        await post(self._transport, "webhook", self._url, body, self._headers, self._timeout)

    async def close(self) -> None:
        return None
