from __future__ import annotations

import orjson
import pytest

from switchboard.adapters.outbound.providers.bedrock.errors import error_from_response, error_from_stream_exception
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
from tests.support.bedrock_upstream import ERRORS, error_response


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("rate_limited", RateLimited),
        ("auth", AuthenticationError),
        ("forbidden", PermissionDenied),
        ("not_found", NotFound),
        ("bad_request", BadRequest),
        ("server_error", ProviderUnavailable),
        ("overloaded", ProviderUnavailable),
        ("not_ready", ProviderUnavailable),
        ("model_timeout", Timeout),
        ("quota", ProviderUnavailable),
    ],
)
def test_aws_error_types_become_domain_errors(kind: str, expected: type[SwitchboardError]) -> None:
    status, headers, body = error_response(kind)
    error = error_from_response(status, headers, body, provider="bedrock", deployment="d1")
    assert type(error) is expected
    assert (error.provider, error.deployment, error.status) == ("bedrock", "d1", status)
    assert error.code == ERRORS[kind][1]
    assert ERRORS[kind][2] in error.message


def test_the_type_comes_from_the_body_when_the_header_is_missing() -> None:
    body = orjson.dumps({"__type": "com.amazon.coral.service#UnrecognizedClientException", "message": "bad"})
    error = error_from_response(403, {}, body, provider="bedrock")
    assert isinstance(error, AuthenticationError)
    assert error.code == "UnrecognizedClientException"


def test_an_invalid_signature_is_an_authentication_error_not_a_permission_one() -> None:
    headers = {
        "x-amzn-errortype": "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/"
    }
    error = error_from_response(403, headers, b'{"message":"signature mismatch"}', provider="bedrock")
    assert isinstance(error, AuthenticationError)


def test_without_a_type_the_status_decides() -> None:
    assert isinstance(error_from_response(429, {}, b"", provider="bedrock"), RateLimited)
    assert isinstance(
        error_from_response(502, {}, b"<html>bad gateway</html>", provider="bedrock"), ProviderUnavailable
    )
    assert isinstance(error_from_response(403, {}, b"{}", provider="bedrock"), PermissionDenied)


def test_an_over_long_prompt_is_a_bad_request_because_bedrock_gives_no_structured_signal() -> None:
    body = orjson.dumps({"message": "Input is too long for requested model."})
    headers = {"x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"}
    error = error_from_response(400, headers, body, provider="bedrock")
    assert type(error) is BadRequest
    assert not error.retryable


def test_secrets_echoed_by_the_upstream_are_masked() -> None:
    body = orjson.dumps({"message": "The security token sekrit-session-token is invalid"})
    error = error_from_response(403, {}, body, provider="bedrock", secrets=("sekrit-session-token",))
    assert "sekrit-session-token" not in error.message


def test_retry_after_is_read_when_present() -> None:
    status, headers, body = error_response("rate_limited")
    error = error_from_response(status, {**headers, "retry-after": "4"}, body, provider="bedrock")
    assert error.retry_after == 4


@pytest.mark.parametrize(
    ("exception_type", "expected"),
    [
        ("throttlingException", RateLimited),
        ("serviceUnavailableException", ProviderUnavailable),
        ("modelStreamErrorException", ProviderUnavailable),
        ("internalServerException", ProviderUnavailable),
        ("validationException", BadRequest),
    ],
)
def test_stream_exceptions_become_domain_errors(exception_type: str, expected: type[SwitchboardError]) -> None:
    error = error_from_stream_exception(exception_type, b'{"message":"nope"}', provider="bedrock", deployment="d1")
    assert type(error) is expected
    assert error.code == exception_type
    assert "nope" in error.message


def test_an_unknown_stream_exception_is_a_provider_failure() -> None:
    error = error_from_stream_exception("brandNewException", b"not json", provider="bedrock")
    assert isinstance(error, ProviderUnavailable)
    assert error.retryable
