"""Anthropic error responses -> domain errors: status first, then the error type and code."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from switchboard.adapters.outbound.providers.anthropic.errors import error_from_event, error_from_response
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
from tests.support.anthropic_wire import validate_error


def body(kind: str, message: str, details: Any = None) -> dict[str, Any]:
    payload = {
        "type": "error",
        "error": {"type": kind, "message": message, "details": details},
        "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy",
    }
    validate_error(payload)
    return payload


def classify(status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> SwitchboardError:
    return error_from_response(
        status,
        headers or {},
        orjson.dumps(payload),
        provider="anthropic",
        deployment="d1",
        secrets=("sk-ant-secret-1",),
    )


@pytest.mark.parametrize(
    ("status", "kind", "expected"),
    [
        (400, "invalid_request_error", BadRequest),
        (401, "authentication_error", AuthenticationError),
        (402, "billing_error", PermissionDenied),
        (403, "permission_error", PermissionDenied),
        (404, "not_found_error", NotFound),
        (413, "request_too_large", BadRequest),
        (429, "rate_limit_error", RateLimited),
        (500, "api_error", ProviderUnavailable),
        (504, "timeout_error", Timeout),
        (529, "overloaded_error", ProviderUnavailable),
    ],
)
def test_each_documented_status_becomes_its_domain_error(
    status: int, kind: str, expected: type[SwitchboardError]
) -> None:
    error = classify(status, body(kind, "something"))
    assert type(error) is expected
    assert (error.provider, error.deployment, error.status) == ("anthropic", "d1", status)


def test_overloaded_is_retryable_and_a_bad_request_is_not() -> None:
    assert classify(529, body("overloaded_error", "Overloaded")).retryable
    assert not classify(400, body("invalid_request_error", "max_tokens: field required")).retryable


def test_rate_limits_carry_retry_after() -> None:
    error = classify(429, body("rate_limit_error", "slow down"), {"retry-after": "12"})
    assert isinstance(error, RateLimited)
    assert error.retry_after == 12


def test_an_undocumented_status_falls_back_on_the_error_type() -> None:
    assert type(classify(503, body("overloaded_error", "Overloaded"))) is ProviderUnavailable
    assert type(classify(418, body("rate_limit_error", "slow"))) is RateLimited


@pytest.mark.parametrize(
    "message",
    [
        "prompt is too long: 208310 tokens > 200000 maximum",
        "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000",
    ],
)
def test_a_prompt_over_the_context_window_is_context_window_exceeded(message: str) -> None:
    assert type(classify(400, body("invalid_request_error", message))) is ContextWindowExceeded


def test_output_blocked_by_content_filtering_is_a_content_policy_violation() -> None:
    error = classify(400, body("invalid_request_error", "Output blocked by content filtering policy"))
    assert type(error) is ContentPolicyViolation


def test_a_message_alone_never_overrides_a_status_other_than_400() -> None:
    assert type(classify(500, body("api_error", "prompt is too long"))) is ProviderUnavailable


def test_a_spend_limit_code_is_a_rate_limit_not_a_bad_request() -> None:
    error = classify(
        400,
        body("invalid_request_error", "spend limit reached", {"error_code": "enforced_spend_limit_reached"}),
    )
    assert type(error) is RateLimited
    assert error.code == "enforced_spend_limit_reached"


def test_a_body_that_is_not_json_still_gives_an_error_by_status() -> None:
    error = error_from_response(502, {}, b"<html>Bad gateway</html>", provider="anthropic")
    assert type(error) is ProviderUnavailable
    assert "Bad gateway" in error.message


def test_the_key_never_appears_in_the_message() -> None:
    error = classify(401, body("authentication_error", "invalid x-api-key sk-ant-secret-1"))
    assert "sk-ant-secret-1" not in error.message


def test_a_stream_error_event_takes_the_status_of_its_type() -> None:
    error = error_from_event(body("overloaded_error", "Overloaded"), provider="anthropic")
    assert type(error) is ProviderUnavailable
    assert error.status == 529
