from __future__ import annotations

import json

import pytest
from mistralai.client.errors.httpvalidationerror import HTTPValidationErrorData

from switchboard.adapters.outbound.providers.mistral.errors import error_from_response
from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    ContextWindowExceeded,
    NotFound,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
)


def error_object(message: object, kind: str, code: str | None, **more: object) -> bytes:
    payload = {"object": "error", "message": message, "type": kind, "param": None, "code": code, **more}
    return json.dumps(payload).encode()


EXTRA_FIELD = {"type": "extra_forbidden", "loc": ["body", "store"], "msg": "Extra inputs are not permitted"}
VALIDATION = json.dumps({"detail": [{**EXTRA_FIELD, "input": False}]}).encode()
TOO_LONG = "Prompt contains 40960 tokens and 0 draft tokens, too large for model with 32768 maximum context length"


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, b'{"message":"Unauthorized","request_id":"5c0f"}', AuthenticationError),
        (401, b'{"detail":"Unauthorized"}', AuthenticationError),
        (
            400,
            error_object(TOO_LONG, "invalid_request_invalid_args", "3051", raw_status_code=400),
            ContextWindowExceeded,
        ),
        (400, error_object("Invalid model: mistral-huge", "invalid_model", "1500"), NotFound),
        (429, error_object("Requests rate limit exceeded", "rate_limited", "1300"), RateLimited),
        (422, VALIDATION, BadRequest),
        (500, error_object("Internal server error", "internal_server_error", None), ProviderUnavailable),
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
    detail = [{"type": "float_type", "loc": ["body", "top_p"], "msg": "Input should be a valid number"}]
    body = error_object({"detail": detail}, "invalid_request_error", None)
    error = error_from_response(422, {}, body)
    assert (error.param, type(error)) == ("top_p", BadRequest)
    assert "top_p: Input should be a valid number" in error.message


def test_a_rate_limit_carries_retry_after() -> None:
    error = error_from_response(429, {"retry-after": "3"}, b'{"message":"Requests rate limit exceeded"}')
    assert isinstance(error, RateLimited)
    assert error.retry_after == 3


def test_the_key_never_appears_in_the_message() -> None:
    error = error_from_response(401, {}, b'{"message":"bad key abcd-mistral-secret"}', secrets=["abcd-mistral-secret"])
    assert "abcd-mistral-secret" not in error.message
