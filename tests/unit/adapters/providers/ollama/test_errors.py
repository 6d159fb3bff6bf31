from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.ollama.errors import error_from_response
from switchboard.domain.errors import BadRequest, NotFound, ProviderUnavailable, RateLimited, SwitchboardError


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (404, b'{"error": "model \\"llama9\\" not found, try pulling it first"}', NotFound),
        (400, b'{"error": "invalid options: foo"}', BadRequest),
        (429, b'{"error": "too many requests"}', RateLimited),
        (500, b'{"error": "llama runner process has terminated"}', ProviderUnavailable),
        (
            503,
            b'{"error": "server busy, please try again.  maximum pending requests exceeded"}',
            ProviderUnavailable,
        ),
    ],
)
def test_the_status_decides_the_error(status: int, body: bytes, kind: type[SwitchboardError]) -> None:
    error = error_from_response(status, {}, body, deployment="d1")
    assert type(error) is kind
    assert (error.provider, error.deployment, error.status) == ("ollama", "d1", status)


def test_the_error_text_becomes_the_message() -> None:
    error = error_from_response(404, {}, b'{"error": "model \\"llama9\\" not found, try pulling it first"}')
    assert 'model "llama9" not found' in error.message


def test_a_body_that_is_not_json_still_gives_a_message() -> None:
    error = error_from_response(502, {}, b"Bad Gateway")
    assert "Bad Gateway" in error.message


def test_the_key_never_appears_in_the_message() -> None:
    error = error_from_response(401, {}, b'{"error": "bad token sk-ollama-secret"}', secrets=["sk-ollama-secret"])
    assert "sk-ollama-secret" not in error.message
