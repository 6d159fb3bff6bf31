"""Mistral error answers -> domain errors (pure): status first, then Mistral's error ``code``.

Shapes seen from the API: ``{"object": "error", "message": str, "type": str, "param": ...,
"code": "3051", "raw_status_code": 400}``; the same with ``message`` holding a validation
``{"detail": [...]}``; a bare 422 ``{"detail": [{"type", "loc", "msg", "input"}]}``; and
``{"message": "Unauthorized", "request_id": ...}`` / ``{"detail": "Unauthorized"}`` on 401.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import error_from_status, json_body, redact
from switchboard.domain.errors import ContextWindowExceeded, NotFound, RateLimited, SwitchboardError

PROVIDER = "mistral"

# Mistral's numeric error codes (strings on the wire) and types, where they say more than the status.
KNOWN_CODES: dict[str, type[SwitchboardError]] = {
    "3051": ContextWindowExceeded,  # prompt too large for the model's context window
    "1300": RateLimited,  # requests or tokens rate limit
    "3505": RateLimited,  # service tier capacity exceeded
    "1500": NotFound,  # invalid model
    "invalid_model": NotFound,
    "rate_limited": RateLimited,
}


def _validation(detail: list[Any]) -> tuple[str, str | None]:
    """A readable message and the offending parameter from a 422 ``detail`` list."""
    messages, param = [], None
    for item in detail:
        if not isinstance(item, Mapping):
            continue
        location = [str(part) for part in item.get("loc") or () if part != "body"]
        if param is None and location:
            param = location[0]
        messages.append(f"{'.'.join(location) or 'body'}: {item.get('msg') or item.get('type')}")
    return "; ".join(messages) or "invalid request", param


def error_from_payload(
    status: int,
    headers: Mapping[str, str],
    payload: Any,
    *,
    provider: str = PROVIDER,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    message: Any = None
    param = code = kind_name = None
    if isinstance(payload, Mapping):
        message = payload.get("message")
        if message is None:
            message = payload.get("detail")
        if isinstance(message, Mapping):
            message = message.get("detail", message)
        if isinstance(payload.get("param"), str):
            param = payload["param"]
        code = str(payload["code"]) if payload.get("code") is not None else None
        kind_name = payload.get("type")
    if isinstance(message, list):
        message, found = _validation(message)
        param = param or found
    if not isinstance(message, str) or not message:
        message = f"HTTP {status}"
    kind = KNOWN_CODES.get(code or "") or KNOWN_CODES.get(str(kind_name or ""))
    return error_from_status(
        status,
        redact(message, secrets),
        provider=provider,
        deployment=deployment,
        headers=headers,
        param=param,
        code=code,
        kind=kind,
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
    if payload is None:
        payload = {"message": body[:200].decode(errors="replace").strip()}
    return error_from_payload(status, headers, payload, provider=provider, deployment=deployment, secrets=secrets)
