"""Errors on the Anthropic door, in Anthropic's shape and with Anthropic's status codes, so the
``anthropic`` SDK (and Claude Code) raise their own exception classes and retry as they would
against Anthropic: ``{"type": "error", "error": {"type": ..., "message": ...}}``.

Only the Messages routes answer this way; every other route keeps the OpenAI shape
(``errors.py``). The status and ``type`` come from this one table, keyed by the domain error's
class; an unavailable upstream is ``529 overloaded_error`` (what Claude Code backs off and
retries on), unless it failed with a plain 500.
"""

from __future__ import annotations

import math

import orjson

from switchboard.adapters.inbound.http.errors import render_unexpected
from switchboard.domain.errors import (
    AllDeploymentsFailed,
    AuthenticationError,
    BadRequest,
    InternalError,
    LimitReached,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ProviderUnavailable,
    ServiceUnavailable,
    SwitchboardError,
    Timeout,
    UpstreamProtocolError,
)

ANTHROPIC_ERRORS: dict[type[SwitchboardError], tuple[int, str]] = {
    BadRequest: (400, "invalid_request_error"),
    AuthenticationError: (401, "authentication_error"),
    PermissionDenied: (403, "permission_error"),
    NotFound: (404, "not_found_error"),
    PayloadTooLarge: (413, "request_too_large"),
    LimitReached: (429, "rate_limit_error"),
    Timeout: (504, "timeout_error"),
    ProviderUnavailable: (529, "overloaded_error"),
    UpstreamProtocolError: (502, "api_error"),
    ServiceUnavailable: (529, "overloaded_error"),
    InternalError: (500, "api_error"),
}
_FALLBACK = (500, "api_error")


def classify(error: SwitchboardError) -> tuple[int, str]:
    """Status and Anthropic error ``type`` for ``error``."""
    if isinstance(error, AllDeploymentsFailed):
        return classify(error.last)
    if isinstance(error, ProviderUnavailable) and error.status == 500:
        return 500, "api_error"
    for cls in type(error).__mro__:
        row = ANTHROPIC_ERRORS.get(cls)
        if row is not None:
            return row
    return _FALLBACK


def error_body(kind: str, message: str) -> bytes:
    return orjson.dumps({"type": "error", "error": {"type": kind, "message": message}})


def render(error: BaseException) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """Status, body and extra headers (``retry-after``) for any failure on the door."""
    if not isinstance(error, SwitchboardError):
        render_unexpected(error)  # logs it
        return 500, error_body("api_error", "Internal error; see the gateway log."), []
    status, kind = classify(error)
    headers: list[tuple[bytes, bytes]] = []
    if error.retry_after is not None and status in (429, 529):
        headers.append((b"retry-after", str(max(1, math.ceil(error.retry_after))).encode()))
    message = error.message if not isinstance(error, InternalError) else "Internal error; see the gateway log."
    return status, error_body(kind, message), headers


def error_event(error: BaseException) -> bytes:
    """A failure after the stream began, as Anthropic's ``error`` event."""
    _, body, _ = render(error)
    return b"event: error\ndata: " + body + b"\n\n"
