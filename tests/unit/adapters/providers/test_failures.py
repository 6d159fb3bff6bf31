"""Retry-After parsing and key redaction, shared by every provider adapter."""

from __future__ import annotations

from switchboard.adapters.outbound.providers.failures import error_from_status, redact, retry_after, stream_cut_short
from switchboard.domain.errors import AuthenticationError, ProviderUnavailable, RateLimited


def test_retry_after_in_seconds() -> None:
    assert retry_after({"retry-after": "12"}) == 12


def test_retry_after_as_an_http_date() -> None:
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0) == 10


def test_retry_after_ms_wins_when_present() -> None:
    assert retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5


def test_a_nonsense_retry_after_is_ignored() -> None:
    assert retry_after({"retry-after": "soon"}) is None


def test_keys_are_masked_in_messages() -> None:
    text = "Incorrect API key provided: sk-proj-abcdef123456. Also AIzaSyA1234567890123456789012 here."
    masked = redact(text)
    assert "abcdef123456" not in masked
    assert "AIzaSyA1234567890123456789012" not in masked


def test_a_deployments_own_key_is_masked_whatever_its_shape() -> None:
    assert redact("token custom-key-42 was refused", ["custom-key-42"]) == "token *** was refused"


def test_statuses_choose_the_error_class() -> None:
    assert isinstance(error_from_status(429, "x", provider="p"), RateLimited)
    assert isinstance(error_from_status(401, "x", provider="p"), AuthenticationError)
    assert isinstance(error_from_status(529, "x", provider="p"), ProviderUnavailable)


def test_errors_carry_provider_deployment_and_status() -> None:
    error = error_from_status(503, "overloaded", provider="p", deployment="d1", headers={"retry-after": "2"})
    assert (error.provider, error.deployment, error.status, error.retry_after) == ("p", "d1", 503, 2)
    assert error.retryable


def test_a_stream_cut_short_is_a_retryable_unavailable_upstream_naming_the_deployment() -> None:
    error = stream_cut_short("cohere", "d1")
    assert isinstance(error, ProviderUnavailable)
    assert error.retryable
    assert (error.provider, error.deployment) == ("cohere", "d1")
    assert error.message == "the stream from cohere ended before the answer was complete"
