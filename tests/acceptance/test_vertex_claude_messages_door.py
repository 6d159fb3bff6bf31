"""The official anthropic SDK -> a real gateway on 127.0.0.1 -> a fake Vertex AI (with its OAuth
token endpoint): a Claude deployment gets the Messages body natively through rawPredict and
streamRawPredict, every field as the caller sent it, checked against the SDK's request schema."""

from __future__ import annotations

from collections.abc import Iterator

import anthropic
import orjson
import pytest

from tests.support.gemini_upstream import GoogleUpstream
from tests.support.google_auth import service_account
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
MODEL = "claude-sonnet-4-5@20250929"
PATH = f"/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/{MODEL}"


@pytest.fixture(scope="module")
def upstream() -> Iterator[GoogleUpstream]:
    app = GoogleUpstream()
    with serve_asgi(app) as url:
        app.base_url = url
        yield app


@pytest.fixture(scope="module")
def gateway(upstream: GoogleUpstream) -> Iterator[str]:
    params = {
        "model": f"vertex_ai/{MODEL}",
        "api_base": upstream.base_url,
        "vertex_project": "test-project",
        "vertex_location": "us-east5",
        "vertex_credentials": orjson.dumps(service_account(f"{upstream.base_url}/token")).decode(),
    }
    config = {
        "model_list": [{"model_name": "claude-vertex", "litellm_params": params}],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(base_url=gateway, api_key=MASTER_KEY, max_retries=0) as sdk:
        yield sdk


def test_a_message_reaches_vertex_claude_through_raw_predict_with_every_field_unchanged(
    client: anthropic.Anthropic, upstream: GoogleUpstream
) -> None:
    message = client.messages.create(
        model="claude-vertex",
        max_tokens=2048,
        system=[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=[{"role": "user", "content": "how are you"}],
        metadata={"user_id": "user-7"},
        extra_headers={"anthropic-beta": "context-1m-2025-08-07"},
    )
    assert message.content[0].type == "text" and message.content[0].text == "echo: how are you"
    assert upstream.state.paths[-1] == f"{PATH}:rawPredict"
    assert upstream.state.claude_bodies[-1] == {
        "anthropic_version": "vertex-2023-10-16",
        "max_tokens": 2048,
        "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "messages": [{"role": "user", "content": "how are you"}],
        "metadata": {"user_id": "user-7"},
    }
    assert upstream.state.claude_headers[-1]["anthropic-beta"] == "context-1m-2025-08-07"


def test_a_stream_from_vertex_claude_reaches_the_sdk_as_sent(
    client: anthropic.Anthropic, upstream: GoogleUpstream
) -> None:
    with client.messages.stream(
        model="claude-vertex", max_tokens=50, messages=[{"role": "user", "content": "one two"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "echo: one two"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (9, 4)
    assert upstream.state.paths[-1] == f"{PATH}:streamRawPredict"
    assert upstream.state.claude_bodies[-1]["stream"] is True


def test_count_tokens_asks_vertex(client: anthropic.Anthropic, upstream: GoogleUpstream) -> None:
    counted = client.messages.count_tokens(model="claude-vertex", messages=[{"role": "user", "content": "hi"}])
    assert counted.input_tokens == 23
    assert upstream.state.paths[-1].endswith("/publishers/anthropic/models/count-tokens:rawPredict")
    assert upstream.state.claude_bodies[-1]["model"] == MODEL
