"""Google API errors -> domain errors (pure); the same shape for the Gemini API and Vertex AI.

Google answers ``{"error": {"code", "message", "status", "details": [...]}}`` (the streaming
endpoint wraps it in a list). The HTTP status picks the class; Google's ``status`` and the
``google.rpc.ErrorInfo`` ``reason`` in ``details`` refine it (the Gemini API answers a bad key
with 400 ``INVALID_ARGUMENT`` and reason ``API_KEY_INVALID``). ``google.rpc.RetryInfo``'s
``retryDelay`` gives ``retry_after``, else the ``Retry-After`` header does.

Context windows: Google has no structured code for an oversized prompt; it answers 400
``INVALID_ARGUMENT`` with "The input token count (N) exceeds the maximum number of tokens allowed
(M)." That fixed sentence, under that status only, is the one message we read: without it the
router could not tell a prompt too long for this model (worth a context-window fallback) from
any other bad request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import error_from_status, json_body, redact
from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    ContextWindowExceeded,
    NotFound,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
    Timeout,
)

_BY_STATUS_NAME: dict[str, type[SwitchboardError]] = {
    "INVALID_ARGUMENT": BadRequest,
    "FAILED_PRECONDITION": BadRequest,
    "OUT_OF_RANGE": BadRequest,
    "UNAUTHENTICATED": AuthenticationError,
    "PERMISSION_DENIED": PermissionDenied,
    "NOT_FOUND": NotFound,
    "RESOURCE_EXHAUSTED": RateLimited,
    "UNAVAILABLE": ProviderUnavailable,
    "INTERNAL": ProviderUnavailable,
    "UNKNOWN": ProviderUnavailable,
    "ABORTED": ProviderUnavailable,
    "DEADLINE_EXCEEDED": Timeout,
}

# google.rpc.ErrorInfo reasons that say more than the status does.
_BY_REASON: dict[str, type[SwitchboardError]] = {
    "API_KEY_INVALID": AuthenticationError,
    "API_KEY_EXPIRED": AuthenticationError,
    "ACCESS_TOKEN_EXPIRED": AuthenticationError,
    "ACCESS_TOKEN_TYPE_UNSUPPORTED": AuthenticationError,
    "CREDENTIALS_MISSING": AuthenticationError,
    "SERVICE_DISABLED": PermissionDenied,
    "API_KEY_SERVICE_BLOCKED": PermissionDenied,
    "RATE_LIMIT_EXCEEDED": RateLimited,
}

_INPUT_TOO_LONG = re.compile(r"^The input token count (\(\d+\) )?exceeds the maximum number of tokens allowed")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)s$")


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    payload = json_body(body)
    if isinstance(payload, list) and payload:
        payload = payload[0]
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        text = body[:200].decode(errors="replace").strip()
        error = {"message": text or f"HTTP {status}"}
    return error_from_fields(status, headers, error, provider=provider, deployment=deployment, secrets=secrets)


def error_from_fields(
    status: int,
    headers: Mapping[str, str],
    error: Mapping[str, Any],
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    """The domain error for Google's ``error`` object returned with HTTP ``status``."""
    name = str(error.get("status") or "")
    message = str(error.get("message") or f"HTTP {status}")
    details = [d for d in error.get("details") or () if isinstance(d, Mapping)]
    reason = next((str(d.get("reason")) for d in details if _is(d, "ErrorInfo") and d.get("reason")), "")
    kind = _BY_REASON.get(reason) or _BY_STATUS_NAME.get(name)
    if status == 400 and name == "INVALID_ARGUMENT" and _INPUT_TOO_LONG.match(message):
        kind = ContextWindowExceeded
    result = error_from_status(
        status if status >= 400 else 500,  # an error event inside a 200 stream without a code
        redact(message, secrets),
        provider=provider,
        deployment=deployment,
        headers=headers,
        kind=kind,
    )
    delay = _retry_delay(details)
    if delay is not None:
        result.retry_after = delay
    return result


def _is(detail: Mapping[str, Any], kind: str) -> bool:
    return str(detail.get("@type", "")).endswith(f"google.rpc.{kind}")


def _retry_delay(details: list[Mapping[str, Any]]) -> float | None:
    """``RetryInfo.retryDelay``: a protobuf Duration in JSON, such as ``"37s"`` or ``"1.5s"``."""
    for detail in details:
        if _is(detail, "RetryInfo"):
            found = _DURATION.match(str(detail.get("retryDelay", "")))
            if found:
                return float(found.group(1))
    return None
