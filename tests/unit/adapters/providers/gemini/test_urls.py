"""Gemini API URLs, including LiteLLM's readings of a custom api_base."""

from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.gemini.urls import gemini_url


def test_the_default_url_is_google_s_v1beta() -> None:
    assert (
        gemini_url(None, None, "gemini-2.5-flash", "generateContent")
        == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
    )


def test_streaming_asks_for_server_sent_events() -> None:
    assert gemini_url(None, None, "gemini-2.5-flash", "streamGenerateContent").endswith(
        "/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    )


def test_api_version_picks_the_version() -> None:
    assert gemini_url(None, "v1", "gemini-2.5-flash", "generateContent").startswith(
        "https://generativelanguage.googleapis.com/v1/models/"
    )


@pytest.mark.parametrize(
    ("api_base", "expected"),
    [
        (
            "https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta",
            "https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta/models/gemini-2.5-flash:generateContent",
        ),
        (
            "https://proxy.example/v1beta/models/gemini-2.5-flash",
            "https://proxy.example/v1beta/models/gemini-2.5-flash:generateContent",
        ),
        ("https://proxy.example/", "https://proxy.example/v1beta/models/gemini-2.5-flash:generateContent"),
    ],
)
def test_a_custom_api_base_reads_as_litellm_reads_it(api_base: str, expected: str) -> None:
    assert gemini_url(api_base, None, "gemini-2.5-flash", "generateContent") == expected


def test_a_models_prefix_on_the_model_is_not_doubled() -> None:
    assert gemini_url(None, None, "models/gemini-2.5-flash", "generateContent").endswith(
        "/v1beta/models/gemini-2.5-flash:generateContent"
    )
