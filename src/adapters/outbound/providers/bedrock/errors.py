"""Bedrock failures -> domain errors (pure).

HTTP errors: the status first, then the AWS error type, read from the ``x-amzn-errortype``
header (``ThrottlingException:http://internal.amazon.com/coral/...``) or the body's ``__type``
(``com.amazon.coral.validate#ValidationException``). Stream errors arrive as event-stream
messages with ``:message-type: exception`` and ``:exception-type: throttlingException`` (the same
names, camelCase). Nothing is classified by message text.

Context windows: Bedrock reports an over-long prompt as a plain ``ValidationException`` whose only
distinguishing mark is its message (which differs per model family), so it surfaces as
``BadRequest``, never ``ContextWindowExceeded``. The one structured signal Bedrock has is the stop
reason ``model_context_window_exceeded`` on a successful answer, mapped to ``length`` in
``response.py``. The gateway's own pre-call context-window check still applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from switchboard.adapters.outbound.providers.failures import error_from_status, json_body, redact
from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    NotFound,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
    Timeout,
)

# AWS error type (lower-cased) -> (the status the service model gives it, the domain class).
ERROR_TYPES: dict[str, tuple[int, type[SwitchboardError]]] = {
    "throttlingexception": (429, RateLimited),
    "servicequotaexceededexception": (400, ProviderUnavailable),
    "modelnotreadyexception": (429, ProviderUnavailable),
    "modeltimeoutexception": (408, Timeout),
    "serviceunavailableexception": (503, ProviderUnavailable),
    "internalserverexception": (500, ProviderUnavailable),
    "modelerrorexception": (424, ProviderUnavailable),
    "modelstreamerrorexception": (424, ProviderUnavailable),
    "accessdeniedexception": (403, PermissionDenied),
    "unrecognizedclientexception": (403, AuthenticationError),
    "invalidsignatureexception": (403, AuthenticationError),
    "incompletesignatureexception": (400, AuthenticationError),
    "missingauthenticationtokenexception": (403, AuthenticationError),
    "expiredtokenexception": (403, AuthenticationError),
    "invalidclienttokenid": (403, AuthenticationError),
    "signaturedoesnotmatch": (403, AuthenticationError),
    "resourcenotfoundexception": (404, NotFound),
    "validationexception": (400, BadRequest),
}


def error_type(headers: Mapping[str, str], payload: Any) -> str:
    """The AWS error type name (``ThrottlingException``), or an empty string when none is given."""
    raw = headers.get("x-amzn-errortype") or ""
    if not raw and isinstance(payload, dict):
        raw = str(payload.get("__type") or payload.get("code") or "")
    name = raw.split(":", 1)[0]
    return name.rsplit("#", 1)[-1].strip()


def _message(payload: Any, fallback: str) -> str:
    if isinstance(payload, dict):
        text = payload.get("message") or payload.get("Message")
        if text:
            return str(text)
    return fallback


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
    kind = error_type(headers, payload)
    known = ERROR_TYPES.get(kind.lower())
    fallback = body[:200].decode(errors="replace") or f"HTTP {status}"
    message = redact(_message(payload, fallback), secrets)
    return error_from_status(
        status,
        f"{kind}: {message}" if kind else message,
        provider=provider,
        deployment=deployment,
        headers=headers,
        code=kind or None,
        kind=known[1] if known else None,
    )


def error_from_stream_exception(
    exception_type: str,
    payload: bytes,
    *,
    provider: str,
    deployment: str | None = None,
    secrets: Iterable[str] = (),
) -> SwitchboardError:
    """An ``exception`` message inside a ConverseStream (``throttlingException``...)."""
    parsed = json_body(payload)
    status, cls = ERROR_TYPES.get(exception_type.lower(), (500, ProviderUnavailable))
    message = redact(_message(parsed, "the stream failed"), secrets)
    return error_from_status(
        status,
        f"{exception_type or 'stream error'}: {message}",
        provider=provider,
        deployment=deployment,
        code=exception_type or None,
        kind=cls,
    )
