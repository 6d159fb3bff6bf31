"""The official openai SDK -> a real gateway on 127.0.0.1 -> a fake Anthropic Messages API.

The fake upstream validates every body it receives against the anthropic SDK's request schema,
so these tests also prove that what the gateway sends is what Anthropic accepts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from tests.support.anthropic_upstream import AnthropicUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
UPSTREAM_KEY = "sk-ant-upstream-key"


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[AnthropicUpstream, str]]:
    app = AnthropicUpstream()
    with serve_asgi(app) as url:
        yield app, url


def entry(name: str, model: str, url: str) -> dict[str, Any]:
    return {"model_name": name, "litellm_params": {"model": model, "api_base": url, "api_key": UPSTREAM_KEY}}


@pytest.fixture(scope="module")
def gateway(upstream: tuple[AnthropicUpstream, str]) -> Iterator[str]:
    _, url = upstream
    config = {
        "model_list": [
            entry("claude-test", "anthropic/claude-sonnet-4-5", url),
            entry("claude-current", "anthropic/claude-opus-4-7", url),
            entry("claude-overloaded", "anthropic/claude-fail-529", url),
            entry("claude-limited", "anthropic/claude-fail-429", url),
            entry("claude-mid", "anthropic/claude-overload-mid", url),
            entry("claude-bare", "claude-fail-401", url),
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0)


def test_chat_through_the_gateway_reaches_anthropic_in_its_own_format(
    client: openai.OpenAI, upstream: tuple[AnthropicUpstream, str]
) -> None:
    app, _ = upstream
    response = client.chat.completions.create(
        model="claude-test",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}],
        max_tokens=50,
    )
    assert response.choices[0].message.content == "echo: hello"
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (7, 3)
    assert app.bodies[-1]["system"] == "Be brief."
    assert app.headers[-1]["x-api-key"] == UPSTREAM_KEY
    assert app.headers[-1]["anthropic-version"] == "2023-06-01"
    assert "authorization" not in app.headers[-1]
    assert app.rejected == []


def test_a_streamed_chat_joins_to_the_answer_and_ends_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="claude-test",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two "
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 10


def test_a_tool_conversation_is_sent_in_anthropics_shape(
    client: openai.OpenAI, upstream: tuple[AnthropicUpstream, str]
) -> None:
    app, _ = upstream
    client.chat.completions.create(
        model="claude-current",
        messages=[
            {"role": "user", "content": "Weather in Paris?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "w", "arguments": '{"c":"Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
        ],
        tools=[{"type": "function", "function": {"name": "w", "parameters": {"type": "object"}}}],
        reasoning_effort="low",
    )
    body = app.bodies[-1]
    assert app.rejected == []
    assert body["messages"][1]["content"][0] == {
        "type": "tool_use",
        "id": "call_1",
        "name": "w",
        "input": {"c": "Paris"},
    }
    assert body["messages"][2]["content"][0]["type"] == "tool_result"
    assert body["thinking"] == {"type": "adaptive"}
    assert app.headers[-1]["anthropic-version"] == "2026-10-21"


def test_temperature_on_a_current_model_is_an_unsupported_parameter(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="claude-current", messages=[{"role": "user", "content": "x"}], temperature=0.3
        )
    assert caught.value.code == "unsupported_parameter"


def test_an_overloaded_anthropic_is_a_503_from_the_gateway(client: openai.OpenAI) -> None:
    with pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="claude-overloaded", messages=[{"role": "user", "content": "x"}])
    assert caught.value.status_code == 503


def test_an_anthropic_rate_limit_passes_its_retry_after_on(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="claude-limited", messages=[{"role": "user", "content": "x"}])
    assert caught.value.response.headers["retry-after"] == "3"


def test_an_overload_mid_stream_ends_the_stream_with_an_error_event(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="claude-mid", messages=[{"role": "user", "content": "a b c"}], stream=True
    )
    received: list[str] = []
    with pytest.raises(openai.APIError) as caught:
        for chunk in stream:
            received += [c.delta.content or "" for c in chunk.choices]
    assert "".join(received) == "echo: "
    assert "overloaded" in json.dumps(caught.value.body).lower()


def test_a_bare_claude_name_routes_to_anthropic_and_hides_the_upstream_key(client: openai.OpenAI) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        client.chat.completions.create(model="claude-bare", messages=[{"role": "user", "content": "x"}])
    assert UPSTREAM_KEY not in str(caught.value)
