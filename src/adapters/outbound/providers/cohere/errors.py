"""Cohere error answers -> domain errors (pure).

Cohere sends ``{"message": "..."}`` (sometimes with an ``id``) and no structured error type
(https://docs.cohere.com/reference/errors), so the status decides alone. Besides the usual ones:
498 (invalid token) is an authentication failure, and 499 (request cancelled) is retryable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from switchboard.adapters.outbound.providers.failures import error_from_status, json_body, redact
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, SwitchboardError

PROVIDER = "cohere"

_KIND_BY_STATUS: dict[int, type[SwitchboardError]] = {
    498: AuthenticationError,
    499: ProviderUnavailable,
}


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
    message = payload.get("message") if isinstance(payload, dict) else None
    if not isinstance(message, str) or not message:
        message = body[:200].decode(errors="replace").strip() or f"HTTP {status}"
    return error_from_status(
        status,
        redact(message, secrets),
        provider=provider,
        deployment=deployment,
        headers=headers,
        kind=_KIND_BY_STATUS.get(status),
    )
