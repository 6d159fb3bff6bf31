"""OpenAI's Responses wire format (pure): the body a deployment receives, its answer, and its
event stream. The request passes through as the caller sent it, the deployment's model in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from switchboard.adapters.outbound.providers.failures import json_body, protocol_error, stream_cut_short
from switchboard.adapters.outbound.providers.sse import SseEvent
from switchboard.domain.responses.wire import ResponseObject

_TERMINAL = frozenset({"response.completed", "response.incomplete", "response.failed", "error"})


def responses_body(body: dict[str, Any], model: str) -> dict[str, Any]:
    """``body`` for a deployment of ``model``: the model replaced."""
    return {**body, "model": model}


def response_from_wire(data: bytes, provider: str, deployment: str) -> ResponseObject:
    payload = json_body(data)
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), str):
        raise protocol_error(provider, "a response we could not read", deployment)
    payload.setdefault("created_at", 0)
    payload.setdefault("model", "")
    return ResponseObject.model_validate(payload)


@dataclass(slots=True)
class ResponseEventDecoder:
    """SSE events → Responses events as sent; ``finish`` raises when the stream ended before a
    terminal event (``response.completed``/``incomplete``/``failed`` or ``error``)."""

    provider: str
    deployment: str
    _ended: bool = False
    _seen: list[str] = field(default_factory=list)

    def feed(self, event: SseEvent) -> list[dict[str, Any]]:
        if event.data == "[DONE]" or not event.data.strip():
            return []
        payload = json_body(event.data.encode())
        if not isinstance(payload, dict):
            raise protocol_error(self.provider, "an event we could not read", self.deployment)
        if "type" not in payload and event.event:
            payload["type"] = event.event
        if payload.get("type") in _TERMINAL:
            self._ended = True
        return [payload]

    def finish(self) -> list[dict[str, Any]]:
        if not self._ended:
            raise stream_cut_short(self.provider, self.deployment, what="response")
        return []
