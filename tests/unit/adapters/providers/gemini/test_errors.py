"""Google error bodies -> domain errors: HTTP status first, then Google's status and reason."""

from __future__ import annotations

import orjson
import pytest

from switchboard.adapters.outbound.providers.gemini.errors import error_from_response
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
from tests.support.gemini_wire import google_error
from tests.unit.adapters.providers.gemini.recorded import raw


def mapped(status: int, body: bytes, headers: dict[str, str] | None = None) -> SwitchboardError:
    return error_from_response(
        status,
        headers or {},
        body,
        provider="gemini",
        deployment="d1",
        secrets=("AIzaSyTESTKEY0123456789abcdefghijk",),
    )


def test_a_quota_error_is_rate_limited_with_the_retry_info_delay() -> None:
    error = mapped(429, raw("error_rate_limit.json"), {"retry-after": "5"})
    assert isinstance(error, RateLimited)
    assert error.retry_after == 37
    assert error.retryable


def test_without_retry_info_the_retry_after_header_counts() -> None:
    body = orjson.dumps(google_error(429, "RESOURCE_EXHAUSTED", "slow down"))
    assert mapped(429, body, {"retry-after": "12"}).retry_after == 12


def test_a_fractional_retry_delay_is_read() -> None:
    detail = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.5s"}
    body = orjson.dumps(google_error(429, "RESOURCE_EXHAUSTED", "slow down", detail))
    assert mapped(429, body).retry_after == 1.5


def test_an_invalid_api_key_is_an_authentication_error_despite_status_400() -> None:
    error = mapped(400, raw("error_api_key.json"))
    assert isinstance(error, AuthenticationError)
    assert error.status == 400


def test_the_oversized_prompt_sentence_is_a_context_window_error() -> None:
    error = mapped(400, raw("error_context_window.json"))
    assert isinstance(error, ContextWindowExceeded)
    assert not error.retryable


def test_the_same_sentence_under_another_status_is_not_a_context_window_error() -> None:
    body = orjson.dumps(
        google_error(500, "INTERNAL", "The input token count (5) exceeds the maximum number of tokens allowed (4).")
    )
    assert type(mapped(500, body)) is ProviderUnavailable


def test_other_invalid_arguments_are_bad_requests() -> None:
    body = orjson.dumps(google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."))
    assert type(mapped(400, body)) is BadRequest


@pytest.mark.parametrize(
    ("status", "name", "expected"),
    [
        (401, "UNAUTHENTICATED", AuthenticationError),
        (403, "PERMISSION_DENIED", PermissionDenied),
        (404, "NOT_FOUND", NotFound),
        (500, "INTERNAL", ProviderUnavailable),
        (503, "UNAVAILABLE", ProviderUnavailable),
        (504, "DEADLINE_EXCEEDED", Timeout),
        (400, "FAILED_PRECONDITION", BadRequest),
    ],
)
def test_google_statuses_map_to_domain_errors(status: int, name: str, expected: type[SwitchboardError]) -> None:
    error = mapped(status, orjson.dumps(google_error(status, name, "something")))
    assert type(error) is expected
    assert error.provider == "gemini" and error.deployment == "d1" and error.status == status


def test_the_streaming_endpoint_s_list_wrapped_error_is_read() -> None:
    error = mapped(503, raw("error_stream_list.json"))
    assert isinstance(error, ProviderUnavailable)
    assert "overloaded" in error.message


def test_a_body_that_is_not_json_falls_back_to_the_http_status() -> None:
    error = mapped(502, b"<html>Bad Gateway</html>")
    assert isinstance(error, ProviderUnavailable)
    assert "Bad Gateway" in error.message


def test_keys_never_reach_the_message() -> None:
    body = orjson.dumps(google_error(400, "INVALID_ARGUMENT", "bad key AIzaSyTESTKEY0123456789abcdefghijk here"))
    assert "AIzaSyTESTKEY" not in mapped(400, body).message
