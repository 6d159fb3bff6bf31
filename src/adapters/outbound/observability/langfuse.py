"""Langfuse through its public ingestion API: each call becomes a ``trace-create`` and a
``generation-create`` event, posted in batches to ``{host}/api/public/ingestion`` with basic
auth (public key : secret key).

Envelope ids are derived from the request id, so a retried batch is de-duplicated by Langfuse.
Request ``metadata`` may name the trace as LiteLLM lets it: ``trace_id``, ``trace_name``,
``session_id``, ``trace_user_id``, ``generation_name``.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from switchboard.adapters.outbound.observability.delivery import DeliveryFailed, chunks, post
from switchboard.adapters.outbound.observability.records import iso_time
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.call_events import CallEvent

log = logging.getLogger("switchboard.observability")

MAX_BATCH_BYTES = 3_000_000  # Langfuse limits a batch to 3.5 MB


def ingestion_events(event: CallEvent) -> list[dict[str, Any]]:
    """The ``trace-create`` and ``generation-create`` envelopes for one call."""
    meta = event.metadata
    trace_id = _text(meta.get("trace_id")) or event.request_id
    stamp = iso_time(event.end_time)
    trace: dict[str, Any] = {
        "id": trace_id,
        "timestamp": iso_time(event.start_time),
        "name": _text(meta.get("trace_name")) or f"{event.kind} {event.model_group}",
        "userId": _text(meta.get("trace_user_id")) or event.end_user or event.user_id,
        "sessionId": _text(meta.get("session_id")),
        "input": event.input,
        "output": event.output,
        "tags": list(event.tags) or None,
        "metadata": _trace_metadata(event),
    }
    generation: dict[str, Any] = {
        "id": f"{event.request_id}-generation",
        "traceId": trace_id,
        "name": _text(meta.get("generation_name")) or event.kind,
        "startTime": iso_time(event.start_time),
        "endTime": iso_time(event.end_time),
        "model": event.response_model or event.model or event.model_group,
        "modelParameters": _model_parameters(event.params) or None,
        "input": event.input,
        "output": event.output,
        "usageDetails": {
            "input": event.prompt_tokens,
            "output": event.completion_tokens,
            "total": event.total_tokens,
        },
        "level": "ERROR"
        if event.failed
        else ("WARNING" if event.status in ("incomplete", "client_aborted") else "DEFAULT"),
        "statusMessage": event.error_message,
        "metadata": _trace_metadata(event),
    }
    if event.time_to_first_token is not None:
        generation["completionStartTime"] = iso_time(event.start_time + event.time_to_first_token)
    if event.cost is not None:
        generation["costDetails"] = {"total": event.cost}
    return [
        {"id": f"{event.request_id}-trace", "timestamp": stamp, "type": "trace-create", "body": _compact(trace)},
        {
            "id": f"{event.request_id}-generation-create",
            "timestamp": stamp,
            "type": "generation-create",
            "body": _compact(generation),
        },
    ]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _compact(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def _trace_metadata(event: CallEvent) -> dict[str, Any]:
    facts = {
        "request_id": event.request_id,
        "status": event.status,
        "model_group": event.model_group,
        "deployment_id": event.deployment_id,
        "provider": event.provider,
        "key_alias": event.key_alias,
        "key_hash": event.key_hash,
        "team_id": event.team_id,
        "org_id": event.org_id,
        "user_id": event.user_id,
        "cache_hit": event.cache_hit,
        "attempted_deployments": list(event.attempted) or None,
        "error_class": event.error_class,
        "error_code": event.error_code,
        "latency_seconds": event.latency,
        "time_to_first_token_seconds": event.time_to_first_token,
    }
    user = {k: v for k, v in event.metadata.items() if k not in _NAMING_KEYS}
    return {**user, **_compact(facts)}


_NAMING_KEYS = frozenset({"trace_id", "trace_name", "session_id", "trace_user_id", "generation_name", "tags"})


def _model_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    """Langfuse takes strings, numbers, booleans and string lists here; anything else as JSON."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, str | int | float | bool) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            out[name] = value
        else:
            out[name] = orjson.dumps(value, default=str).decode()
    return out


class LangfuseExporter:
    """Posts call events to Langfuse. A 207 answer lists per-event errors: server errors there
    have the batch retried (safe: envelope ids de-duplicate), others are logged and dropped."""

    def __init__(
        self, transport: Transport, *, host: str, public_key: str, secret_key: str, timeout: float = 10.0
    ) -> None:
        self._transport = transport
        self._url = host.rstrip("/") + "/api/public/ingestion"
        token = base64.b64encode(f"{public_key}:{secret_key}".encode()).decode()
        self._headers = {"authorization": f"Basic {token}"}
        self._timeout = timeout

    async def export(self, items: Sequence[CallEvent]) -> None:
        encoded = [orjson.dumps(e, default=str) for event in items for e in ingestion_events(event)]
        for chunk in chunks(encoded, 1000, MAX_BATCH_BYTES):
            body = b'{"batch":[' + b",".join(chunk) + b"]}"
            reply = await post(self._transport, "langfuse", self._url, body, self._headers, self._timeout)
            if reply.status == 207:
                self._check(reply.body)

    @staticmethod
    def _check(body: bytes) -> None:
        try:
            errors = orjson.loads(body).get("errors") or []
        except (orjson.JSONDecodeError, AttributeError):
            return
        statuses = [e.get("status", 0) for e in errors if isinstance(e, dict)]
        if any(status >= 500 for status in statuses):
            raise DeliveryFailed(f"langfuse failed {len(statuses)} events of the batch")
        if statuses:
            log.warning("langfuse refused %d events of a batch (statuses %s)", len(statuses), sorted(set(statuses)))

    async def close(self) -> None:
        return None
