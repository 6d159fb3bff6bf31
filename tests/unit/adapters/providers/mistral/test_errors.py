from __future__ import annotations

import pytest
from mistralai.client.errors.httpvalidationerror import HTTPValidationErrorData

from adapters.outbound.providers.mistral.errors import error_from_response
from domain.errors import (
    AuthenticationError,
    BadRequest,
    ContextWindowExceeded,
    NotFound,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
)

VALIDATION = b'{"detail":[{"type":"extra_forbidden","loc":["body","store"],"msg":"Extra inputs are not permitted","input":false}]}'


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, b'{"message":"Unauthorized","request_id":"5c0f"}', AuthenticationError),
        (401, b'{"detail":"Unauthorized"}', AuthenticationError),
        (
            400,
            b'{"object":"error","message":"Prompt contains 40960 tokens and 0 draft tokens, too large for model with'
            b' 32768 maximum context length","type":"invalid_request_invalid_args","param":null,"code":"3051",'
            b'"raw_status_code":400}',
            ContextWindowExceeded,
        ),
        (
            400,
            b'{"object":"error","message":"Invalid model: mistral-huge","type":"invalid_model","param":null,"code":"1500"}',
            NotFound,
        ),
        (
            429,
            b'{"object":"error","message":"Requests rate limit exceeded","type":"rate_limited","param":null,"code":"1300"}',
            RateLimited,
        ),
        (422, VALIDATION, BadRequest),
        (
            500,
            b'{"object":"error","message":"Internal server error","type":"internal_server_error","code":null}',
            ProviderUnavailable,
        ),
        (503, b"<html>Service Unavailable</html>", ProviderUnavailable),
    ],
)
def test_status_then_code_decide_the_error(status: int, body: bytes, kind: type[SwitchboardError]) -> None:
    error = error_from_response(status, {}, body, deployment="d1")
    assert type(error) is kind
    assert (error.provider, error.deployment, error.status) == ("mistral", "d1", status)


def test_a_validation_error_names_the_parameter_and_the_reason() -> None:
    HTTPValidationErrorData.model_validate_json(VALIDATION)
    error = error_from_response(422, {}, VALIDATION)
    assert error.param == "store"
    assert "store: Extra inputs are not permitted" in error.message


def test_a_validation_error_wrapped_in_an_error_object_reads_the_same() -> None:
    body = (
        b'{"object":"error","message":{"detail":[{"type":"float_type","loc":["body","top_p"],'
        b'"msg":"Input should be a valid number","input":null}]},"type":"invalid_request_error","param":null,"code":null}'
    )
    error = error_from_response(422, {}, body)
    assert (error.param, type(error)) == ("top_p", BadRequest)
    assert "top_p: Input should be a valid number" in error.message


def test_a_rate_limit_carries_retry_after() -> None:
    error = error_from_response(429, {"retry-after": "3"}, b'{"message":"Requests rate limit exceeded"}')
    assert isinstance(error, RateLimited)
    assert error.retry_after == 3


def test_the_key_never_appears_in_the_message() -> None:
    error = error_from_response(
        401, {}, b'{"message":"bad key abcd-mistral-secret"}', secrets=["abcd-mistral-secret"]
    )
    assert "abcd-mistral-secret" not in error.message
