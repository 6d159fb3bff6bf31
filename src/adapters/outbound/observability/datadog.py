"""Datadog logs through the logs intake API v2: ``POST https://http-intake.logs.{DD_SITE}/api/v2/logs``
with the ``DD-API-KEY`` header, a JSON array of log entries (at most 1000 entries and 5 MB a
request). Each call is one entry whose ``message`` is the call event as JSON."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

import orjson

from switchboard.adapters.outbound.observability.delivery import chunks, json_array, post
from switchboard.adapters.outbound.observability.records import event_record
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.call_events import CallEvent

MAX_ENTRIES = 1000
MAX_BYTES = 4_500_000  # under the 5 MB uncompressed limit, with room for the envelope


def intake_url(site: str) -> str:
    return f"https://http-intake.logs.{site}/api/v2/logs"


def log_entry(event: CallEvent, *, service: str, hostname: str, tags: str = "") -> dict[str, Any]:
    """One Datadog log entry: reserved attributes plus the event as a JSON ``message``."""
    call_tags = [f"model_group:{event.model_group}", f"status:{event.status}"]
    if event.provider:
        call_tags.append(f"provider:{event.provider}")
    return {
        "ddsource": "switchboard",
        "ddtags": ",".join(filter(None, [tags, *call_tags])),
        "hostname": hostname,
        "service": service,
        "status": "error" if event.failed else "info",
        "message": orjson.dumps(event_record(event), default=str).decode(),
    }


class DatadogExporter:
    def __init__(
        self,
        transport: Transport,
        *,
        api_key: str,
        url: str,
        service: str = "switchboard",
        tags: str = "",
        hostname: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._transport = transport
        self._url = url
        self._headers = {"DD-API-KEY": api_key}
        self._service = service
        self._tags = tags
        self._hostname = hostname or socket.gethostname()
        self._timeout = timeout

    async def export(self, items: Sequence[CallEvent]) -> None:
        encoded = [
            orjson.dumps(log_entry(e, service=self._service, hostname=self._hostname, tags=self._tags)) for e in items
        ]
        for chunk in chunks(encoded, MAX_ENTRIES, MAX_BYTES):
            await post(self._transport, "datadog", self._url, json_array(chunk), self._headers, self._timeout)

    async def close(self) -> None:
        return None
