"""Vertex AI URLs, including LiteLLM's readings of a custom api_base."""

from __future__ import annotations

from switchboard.adapters.outbound.providers.vertex_ai.urls import vertex_prefix, vertex_url


def test_the_default_url_is_the_regional_endpoint() -> None:
    prefix = vertex_prefix(None, None, "proj", "europe-west4", "gemini-2.5-flash")
    assert vertex_url(prefix, "generateContent") == (
        "https://europe-west4-aiplatform.googleapis.com/v1/projects/proj/locations/europe-west4"
        "/publishers/google/models/gemini-2.5-flash:generateContent"
    )


def test_the_global_location_has_no_regional_host() -> None:
    prefix = vertex_prefix(None, None, "proj", "global", "gemini-2.5-flash")
    assert prefix.startswith("https://aiplatform.googleapis.com/v1/projects/proj/locations/global/")


def test_streaming_asks_for_server_sent_events() -> None:
    prefix = vertex_prefix(None, None, "proj", "us-central1", "gemini-2.5-flash")
    assert vertex_url(prefix, "streamGenerateContent").endswith(":streamGenerateContent?alt=sse")


def test_api_version_picks_the_version() -> None:
    assert "/v1beta1/projects/" in vertex_prefix(None, "v1beta1", "proj", "us-central1", "gemini-2.5-flash")


def test_an_api_base_without_a_path_replaces_the_host() -> None:
    prefix = vertex_prefix("https://vertex.internal/", None, "proj", "us-central1", "gemini-2.5-flash")
    assert prefix == (
        "https://vertex.internal/v1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-flash"
    )


def test_an_api_base_with_a_path_is_the_model_s_url_as_in_litellm() -> None:
    base = "https://gateway.ai.cloudflare.com/v1/acct/gw/google-vertex-ai/v1/projects/p/locations/l/publishers/google/models/gemini-2.5-flash"
    assert vertex_url(vertex_prefix(base, None, "p", "l", "gemini-2.5-flash"), "generateContent") == (
        base + ":generateContent"
    )
