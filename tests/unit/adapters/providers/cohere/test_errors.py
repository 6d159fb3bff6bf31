from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.cohere.errors import error_from_response
from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    NotFound,
    PermissionDenied,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequest),
        (401, AuthenticationError),
        (403, PermissionDenied),
        (404, NotFound),
        (422, BadRequest),
        (429, RateLimited),
        (498, AuthenticationError),
        (499, ProviderUnavailable),
        (500, ProviderUnavailable),
        (503, ProviderUnavailable),
        (504, ProviderUnavailable),
    ],
)
def test_the_status_decides_the_error(status: int, kind: type[SwitchboardError]) -> None:
    error = error_from_response(status, {}, b'{"id": "e1", "message": "something"}', deployment="d1")
    assert type(error) is kind
    assert (error.provider, error.deployment, error.status) == ("cohere", "d1", status)
    assert "something" in error.message


def test_a_rate_limit_carries_retry_after() -> None:
    error = error_from_response(429, {"retry-after": "12"}, b'{"message": "You are using a Trial key"}')
    assert isinstance(error, RateLimited)
    assert error.retry_after == 12


def test_the_key_never_appears_in_the_message() -> None:
    error = error_from_response(
        401, {}, b'{"message": "invalid api token co-secret-key-1234"}', secrets=["co-secret-key-1234"]
    )
    assert "co-secret-key-1234" not in error.message


def test_a_body_that_is_not_json_still_gives_a_message() -> None:
    error = error_from_response(502, {}, b"<html>Bad gateway</html>")
    assert isinstance(error, ProviderUnavailable)
    assert "Bad gateway" in error.message
