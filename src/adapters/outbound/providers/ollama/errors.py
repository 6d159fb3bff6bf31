"""Ollama error answers -> domain errors (pure).

Ollama sends ``{"error": "..."}`` with a meaningful status (404 for a model that is not pulled,
400 for a bad request, 500 when the runner fails) and no structured error type, so the status
decides alone (https://github.com/ollama/ollama/blob/main/docs/api.md#errors).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import error_from_status, json_body, redact
from switchboard.domain.errors import SwitchboardError

PROVIDER = "ollama"


def error_from_payload(
    status: int,
    headers: Mapping[str, str],
    payload: Any,
    *,
    provider: str = PROVIDER,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    error = payload.get("error") if isinstance(payload, dict) else None
    message = error if isinstance(error, str) and error else f"HTTP {status}"
    return error_from_status(
        status, redact(message, secrets), provider=provider, deployment=deployment, headers=headers
    )


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    provider: str = PROVIDER,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    payload = json_body(body)
    if not isinstance(payload, dict):
        payload = {"error": body[:200].decode(errors="replace").strip()}
    return error_from_payload(status, headers, payload, provider=provider, deployment=deployment, secrets=secrets)
