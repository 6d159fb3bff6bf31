"""Upstream failures into ``domain.errors``: by HTTP status first, then the provider's own
structured error type, never by matching message text. Shared by every provider adapter.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import orjson

from switchboard.adapters.outbound.transport import ConnectFailed, ConnectionLost, ReadTimedOut, TransportError
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
    UpstreamProtocolError,
)

_KEYLIKE = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|AIza[0-9A-Za-z_\-]{20,}|AKIA[0-9A-Z]{12,})")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secrets and anything that looks like an API key masked."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _KEYLIKE.sub(lambda m: m.group(0)[:3] + "***", text)


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or ``retry-after-ms``."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime  # lazy: rare path; keeps import time down

    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(when - (time.time() if now is None else now), 0.0)


def json_body(body: bytes) -> Any:
    """The parsed JSON body, or ``None`` when it is not JSON."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


_BY_STATUS: dict[int, type[SwitchboardError]] = {
    400: BadRequest,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    408: Timeout,
    409: ProviderUnavailable,
    413: BadRequest,
    422: BadRequest,
    429: RateLimited,
}


def error_from_status(
    status: int,
    message: str,
    *,
    provider: str,
    deployment: str | None = None,
    headers: Mapping[str, str] | None = None,
    param: str | None = None,
    code: str | None = None,
    kind: type[SwitchboardError] | None = None,
) -> SwitchboardError:
    """The domain error for an upstream status; ``kind`` overrides the class when the provider's
    structured error type says more (context window, content policy, overload)."""
    cls = kind or _BY_STATUS.get(status) or (ProviderUnavailable if status >= 500 else BadRequest)
    wait = retry_after(headers) if headers is not None else None
    return cls(
        f"{provider}: {message}" if not message.startswith(provider) else message,
        provider=provider,
        deployment=deployment,
        status=status,
        param=param,
        code=code,
        retry_after=wait,
    )


# Structured error codes providers use, mapped to the domain class they mean.
KNOWN_CODES: dict[str, type[SwitchboardError]] = {
    "context_length_exceeded": ContextWindowExceeded,
    "string_above_max_length": ContextWindowExceeded,
    "content_filter": ContentPolicyViolation,
    "content_policy_violation": ContentPolicyViolation,
    "invalid_prompt": ContentPolicyViolation,
    "rate_limit_exceeded": RateLimited,
    "insufficient_quota": RateLimited,
    "overloaded_error": ProviderUnavailable,
    "server_error": ProviderUnavailable,
}


@asynccontextmanager
async def transport_failures(provider: str, deployment: str | None = None) -> AsyncIterator[None]:
    """Turn transport exceptions raised inside the block into domain errors, chained."""
    try:
        yield
    except ReadTimedOut as exc:
        raise Timeout(
            f"{provider} did not answer in time; the request was cancelled.",
            provider=provider,
            deployment=deployment,
        ) from exc
    except ConnectFailed as exc:
        raise ProviderUnavailable(
            f"could not connect to {provider}: {redact(str(exc))}", provider=provider, deployment=deployment
        ) from exc
    except ConnectionLost as exc:
        raise ProviderUnavailable(
            f"the connection to {provider} was lost: {redact(str(exc))}",
            provider=provider,
            deployment=deployment,
        ) from exc
    except TransportError as exc:
        raise ProviderUnavailable(f"{provider} request failed", provider=provider, deployment=deployment) from exc


def protocol_error(provider: str, what: str, deployment: str | None = None) -> UpstreamProtocolError:
    return UpstreamProtocolError(f"{provider} sent {what}", provider=provider, deployment=deployment)


def stream_cut_short(provider: str, deployment: str | None = None, *, what: str = "answer") -> ProviderUnavailable:
    """The error every stream decoder's ``finish`` raises when the body ended before the
    provider's end marker (retryable: the answer was never complete)."""
    return ProviderUnavailable(
        f"the stream from {provider} ended before the {what} was complete", provider=provider, deployment=deployment
    )


__all__ = [
    "KNOWN_CODES",
    "error_from_status",
    "json_body",
    "protocol_error",
    "redact",
    "retry_after",
    "stream_cut_short",
    "transport_failures",
]
