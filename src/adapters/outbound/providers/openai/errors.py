"""OpenAI error bodies -> domain errors (pure): status first, then the error's ``code``/``type``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import KNOWN_CODES, error_from_status, json_body, redact
from switchboard.domain.errors import SwitchboardError


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    error = error_object(status, body)
    return error_from_fields(status, headers, error, provider=provider, deployment=deployment, secrets=secrets)


def error_object(status: int, body: bytes) -> dict[str, Any]:
    """The ``error`` object of OpenAI's envelope (``{"error": {...}}``, or a bare message
    string); for any other body, one whose message is the start of the body."""
    payload = json_body(body)
    error: Any = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, str):
        return {"message": error}
    if not isinstance(error, dict):
        return {"message": body[:200].decode(errors="replace") or f"HTTP {status}"}
    return error


def error_from_fields(
    status: int,
    headers: Mapping[str, str],
    error: Mapping[str, Any],
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    code = error.get("code")
    kind_name = str(code or error.get("type") or "")
    kind = KNOWN_CODES.get(kind_name) or KNOWN_CODES.get(str(error.get("type") or ""))
    message = redact(str(error.get("message") or f"HTTP {status}"), secrets)
    param = error.get("param")
    return error_from_status(
        status,
        message,
        provider=provider,
        deployment=deployment,
        headers=headers,
        param=str(param) if param else None,
        code=str(code) if code else None,
        kind=kind,
    )
