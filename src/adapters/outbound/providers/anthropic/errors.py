"""Anthropic error bodies and stream ``error`` events -> domain errors (pure).

Anthropic answers ``{"type": "error", "error": {"type": ..., "message": ..., "details": ...},
"request_id": ...}``. The class is chosen in this order:

1. the HTTP status (400, 401, 402, 403, 404, 413, 429, 500, 504, 529 are documented; 529 is
   ``overloaded_error``), and for a stream ``error`` event, which has no status of its own, the
   status Anthropic documents for the event's ``error.type``;
2. ``error.type`` where the status alone is not one Anthropic documents;
3. ``error.details.error_code``, Anthropic's stable cause code, when it names a known cause;
4. for a 400 ``invalid_request_error`` only, the two causes Anthropic reports by message alone:
   a prompt over the context window and output blocked by content filtering. Anthropic gives
   these no code (``details`` is null on both), so ``MESSAGE_CAUSES`` holds their documented
   message openings; nothing else is ever classified by message text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import error_from_status, json_body, redact
from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    ContentPolicyViolation,
    ContextWindowExceeded,
    NotFound,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
    Timeout,
)

# Anthropic's documented status for each error type.
STATUS_OF_TYPE: dict[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "conflict_error": 409,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "timeout_error": 504,
    "overloaded_error": 529,
}

BY_STATUS: dict[int, type[SwitchboardError]] = {
    400: BadRequest,
    401: AuthenticationError,
    402: PermissionDenied,  # billing: this account may not spend; another deployment may
    403: PermissionDenied,
    404: NotFound,
    409: ProviderUnavailable,
    413: BadRequest,
    429: RateLimited,
    500: ProviderUnavailable,
    504: Timeout,
    529: ProviderUnavailable,
}

# Stable ``error.details.error_code`` values that say more than the status (spend limits are
# reported with 400 but heal with time or money, not by changing the request).
BY_ERROR_CODE: dict[str, type[SwitchboardError]] = {
    "enforced_spend_limit_reached": RateLimited,
    "contract_spend_limit_reached": RateLimited,
    "linked_organization_spend_limit_reached": RateLimited,
    "ramp_limit_exceeded": RateLimited,
    "organization_on_hold": PermissionDenied,
}

MESSAGE_CAUSES: tuple[tuple[re.Pattern[str], type[SwitchboardError]], ...] = (
    (re.compile(r"^\s*prompt is too long", re.IGNORECASE), ContextWindowExceeded),
    (
        re.compile(r"^\s*input length and `?max_tokens`? exceed context limit", re.IGNORECASE),
        ContextWindowExceeded,
    ),
    (re.compile(r"^\s*output blocked by content filtering policy", re.IGNORECASE), ContentPolicyViolation),
)


def _kind(status: int, error: Mapping[str, Any]) -> type[SwitchboardError] | None:
    kind_name = str(error.get("type") or "")
    kind = BY_STATUS.get(status)
    if kind is None:
        kind = BY_STATUS.get(STATUS_OF_TYPE.get(kind_name, 0))
    details = error.get("details")
    code = details.get("error_code") if isinstance(details, Mapping) else None
    if isinstance(code, str) and code in BY_ERROR_CODE:
        return BY_ERROR_CODE[code]
    if status == 400 and kind_name == "invalid_request_error":
        message = str(error.get("message") or "")
        for pattern, cause in MESSAGE_CAUSES:
            if pattern.match(message):
                return cause
    return kind


def error_from_fields(
    status: int,
    headers: Mapping[str, str],
    error: Mapping[str, Any],
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    """The domain error for Anthropic's ``error`` object under ``status``."""
    details = error.get("details")
    code = details.get("error_code") if isinstance(details, Mapping) else None
    message = redact(str(error.get("message") or f"HTTP {status}"), secrets)
    return error_from_status(
        status,
        message,
        provider=provider,
        deployment=deployment,
        headers=headers,
        code=code if isinstance(code, str) else None,
        kind=_kind(status, error),
    )


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    """The domain error for an HTTP error response (any body, JSON or not)."""
    payload = json_body(body)
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        error = {"message": body[:200].decode(errors="replace") or f"HTTP {status}"}
    return error_from_fields(status, headers, error, provider=provider, deployment=deployment, secrets=secrets)


def error_from_event(
    payload: Mapping[str, Any],
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    """The domain error for a stream ``error`` event (``overloaded_error`` mid-stream and the like)."""
    error = payload.get("error")
    if not isinstance(error, Mapping):
        error = {"type": "api_error", "message": "an error event without details"}
    status = STATUS_OF_TYPE.get(str(error.get("type") or ""), 500)
    return error_from_fields(status, {}, error, provider=provider, deployment=deployment, secrets=secrets)
