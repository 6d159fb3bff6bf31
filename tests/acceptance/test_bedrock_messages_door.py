"""The official anthropic SDK -> a real gateway on 127.0.0.1 -> a fake Bedrock runtime that
verifies SigV4 with botocore: a Claude deployment gets the Messages body natively through
InvokeModel (every field as the caller sent it, checked against the SDK's request schema), a
``converse/`` deployment gets it translated through Converse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic
import pytest
from anthropic.types import MessageParam

from tests.support.bedrock_upstream import ACCESS_KEY, SECRET_KEY, BedrockUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
CLAUDE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
MESSAGES: list[MessageParam] = [
    {"role": "user", "content": "Hi"},
    {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "A greeting.", "signature": "sig-EqQBCgIYAhIM"},
            {"type": "text", "text": "Hello."},
        ],
    },
    {"role": "user", "content": [{"type": "text", "text": "how are you", "cache_control": {"type": "ephemeral"}}]},
]


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[BedrockUpstream, str]]:
    app = BedrockUpstream()
    with serve_asgi(app) as url:
        yield app, url


def _bedrock(model_name: str, model: str, url: str) -> dict[str, Any]:
    params = {
        "model": f"bedrock/{model}",
        "aws_bedrock_runtime_endpoint": url,
        "aws_region_name": "us-east-1",
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET_KEY,
    }
    return {"model_name": model_name, "litellm_params": params}


@pytest.fixture(scope="module")
def gateway(upstream: tuple[BedrockUpstream, str]) -> Iterator[str]:
    _, url = upstream
    config = {
        "model_list": [
            _bedrock("claude-bedrock", CLAUDE, url),
            _bedrock("claude-converse", "converse/anthropic.claude-3-haiku-20240307-v1:0", url),
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(base_url=gateway, api_key=MASTER_KEY, max_retries=0) as sdk:
        yield sdk


def _sent_natively(app: BedrockUpstream, operation: str) -> dict[str, Any]:
    received = app.received[-1]
    assert received.path == f"/model/{CLAUDE.replace(':', '%3A')}/{operation}"
    assert received.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY)
    assert "x-amz-date" in received.headers  # the fake checked the signature with botocore
    return received.body


def test_a_message_reaches_bedrock_claude_through_invoke_with_every_field_unchanged(
    client: anthropic.Anthropic, upstream: tuple[BedrockUpstream, str]
) -> None:
    app, _ = upstream
    message = client.messages.create(
        model="claude-bedrock",
        max_tokens=2048,
        system=[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=MESSAGES,
        metadata={"user_id": "user-7"},
        extra_headers={"anthropic-beta": "interleaved-thinking-2025-05-14"},
    )
    assert message.content[0].type == "text" and message.content[0].text == "echo: how are you"
    assert message.usage.cache_read_input_tokens == 3
    sent = _sent_natively(app, "invoke")
    assert sent == {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 2048,
        "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        "thinking": {"type": "enabled", "budget_tokens": 1024},
        "messages": MESSAGES,
        "metadata": {"user_id": "user-7"},
        "anthropic_beta": ["interleaved-thinking-2025-05-14"],
    }


def test_a_stream_from_bedrock_claude_reaches_the_sdk_as_anthropic_events(
    client: anthropic.Anthropic, upstream: tuple[BedrockUpstream, str]
) -> None:
    app, _ = upstream
    with client.messages.stream(
        model="claude-bedrock",
        max_tokens=2048,
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=MESSAGES,
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
        provider = stream.response.headers["x-switchboard-provider"]
    assert text == "echo: how are you"
    assert final.stop_reason == "end_turn"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (9, 4)
    assert provider == "bedrock"
    sent = _sent_natively(app, "invoke-with-response-stream")
    assert sent["messages"] == MESSAGES and sent["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assert "stream" not in sent and "model" not in sent


def test_count_tokens_asks_bedrock(client: anthropic.Anthropic, upstream: tuple[BedrockUpstream, str]) -> None:
    app, _ = upstream
    counted = client.messages.count_tokens(model="claude-bedrock", messages=[{"role": "user", "content": "hello"}])
    assert counted.input_tokens == 17
    assert app.received[-1].path.endswith("/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens")


def test_a_converse_deployment_is_translated_through_converse(
    client: anthropic.Anthropic, upstream: tuple[BedrockUpstream, str]
) -> None:
    app, _ = upstream
    message = client.messages.create(
        model="claude-converse", max_tokens=50, messages=[{"role": "user", "content": "hello"}]
    )
    assert message.content[0].type == "text" and message.content[0].text == "echo: hello"
    assert app.received[-1].path.endswith("/converse")
