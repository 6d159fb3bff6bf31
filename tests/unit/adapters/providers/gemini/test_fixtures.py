"""The recorded fixtures are what Google sends: each validates against the google-genai types."""

from __future__ import annotations

import orjson
import pytest

from switchboard.adapters.outbound.providers.sse import SseDecoder
from tests.support.google_schema import (
    validate_batch_embed_response,
    validate_predict_response,
    validate_response,
)
from tests.unit.adapters.providers.gemini.recorded import load, raw

RESPONSES = [
    "text_response.json",
    "tool_call_response.json",
    "blocked_prompt.json",
    "safety_stop.json",
    "logprobs_response.json",
]


@pytest.mark.parametrize("name", RESPONSES)
def test_response_fixtures_are_generate_content_responses(name: str) -> None:
    validate_response(load(name))


@pytest.mark.parametrize("name", ["stream_text.sse", "stream_tool_calls.sse"])
def test_every_stream_event_is_a_generate_content_response(name: str) -> None:
    decoder = SseDecoder()
    events = decoder.feed(raw(name)) + decoder.flush()
    assert events
    for event in events:
        validate_response(orjson.loads(event.data))


def test_the_batch_embeddings_fixture_is_an_embed_content_response() -> None:
    validate_batch_embed_response(load("batch_embed_response.json"))


def test_the_predict_fixture_has_vertex_embeddings() -> None:
    validate_predict_response(load("predict_response.json"))
