"""The one table from domain errors to HTTP status and OpenAI error ``type``/``code``.

Every error response of the gateway has OpenAI's shape:
``{"error": {"message": ..., "type": ..., "param": ..., "code": ...}}``.
"""

from __future__ import annotations

import logging
import math

import orjson

from switchboard.domain.errors import (
    AllDeploymentsFailed,
    AuthenticationError,
    BadRequest,
    BudgetExceeded,
    ClientAborted,
    ContentPolicyViolation,
    ContextWindowExceeded,
    InternalError,
    ModelNotFound,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    ServiceUnavailable,
    SwitchboardError,
    Timeout,
    UnsupportedMediaType,
    UnsupportedParameter,
    UpstreamFailure,
    UpstreamProtocolError,
)

log = logging.getLogger(__name__)

# class -> (status, OpenAI error type, default code). Looked up along the class's MRO.
ERROR_TABLE: dict[type[SwitchboardError], tuple[int, str, str | None]] = {
    UnsupportedParameter: (400, "invalid_request_error", "unsupported_parameter"),
    ContextWindowExceeded: (400, "invalid_request_error", "context_length_exceeded"),
    ContentPolicyViolation: (400, "invalid_request_error", "content_policy_violation"),
    BadRequest: (400, "invalid_request_error", None),
    AuthenticationError: (401, "authentication_error", "invalid_api_key"),
    PermissionDenied: (403, "permission_error", "permission_denied"),
    ModelNotFound: (404, "invalid_request_error", "model_not_found"),
    NotFound: (404, "invalid_request_error", "not_found"),
    PayloadTooLarge: (413, "invalid_request_error", "payload_too_large"),
    UnsupportedMediaType: (415, "invalid_request_error", "unsupported_media_type"),
    RateLimited: (429, "rate_limit_error", "rate_limit_exceeded"),
    BudgetExceeded: (429, "budget_exceeded", "budget_exceeded"),
    Timeout: (504, "timeout_error", "timeout"),
    ProviderUnavailable: (503, "provider_unavailable", "provider_unavailable"),
    UpstreamProtocolError: (502, "api_error", "bad_upstream_response"),
    ServiceUnavailable: (503, "service_unavailable", "service_unavailable"),
    ClientAborted: (499, "api_error", "client_aborted"),  # nginx's "client closed request"; nobody reads it
    InternalError: (500, "api_error", "internal_error"),
}

_FALLBACK = (500, "api_error", "internal_error")


def classify(error: SwitchboardError) -> tuple[int, str, str | None]:
    """Status, type and code for ``error``; an ``AllDeploymentsFailed`` answers as its last attempt."""
    if isinstance(error, AllDeploymentsFailed):
        return classify(error.last)
    if isinstance(error, ProviderUnavailable) and error.status == 500:
        return 500, "api_error", error.code or "upstream_error"  # an upstream 500 stays a 500
    for cls in type(error).__mro__:
        row = ERROR_TABLE.get(cls)
        if row is not None:
            status, kind, code = row
            return status, kind, error.code or code
    return _FALLBACK


def error_payload(message: str, kind: str, code: str | None, param: str | None = None) -> bytes:
    return orjson.dumps({"error": {"message": message, "type": kind, "param": param, "code": code}})


def render(error: SwitchboardError) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """Status, body and extra headers (``retry-after``) for a domain error."""
    status, kind, code = classify(error)
    headers: list[tuple[bytes, bytes]] = []
    if error.retry_after is not None and (status in (429, 503) or isinstance(error, UpstreamFailure)):
        headers.append((b"retry-after", str(max(1, math.ceil(error.retry_after))).encode()))
    message = error.message if not isinstance(error, InternalError) else "Internal error; see the gateway log."
    return status, error_payload(message, kind, code, error.param), headers


def render_unexpected(exc: BaseException) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """A bug: log it with its traceback, show the caller nothing of it."""
    log.error("unhandled error", exc_info=exc)
    return 500, error_payload("Internal error; see the gateway log.", "api_error", "internal_error"), []
