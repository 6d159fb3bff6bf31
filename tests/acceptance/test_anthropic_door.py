"""The official anthropic SDK -> a real gateway on 127.0.0.1 -> fake upstreams: an Anthropic
Messages API (the request relayed natively) and an OpenAI chat API (the request translated).

The fake Anthropic upstream validates what it receives against the SDK's request schema; the
SDK validates what the gateway answers (JSON and every stream event) against its own types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic
import pytest
from anthropic.types import MessageParam, ToolParam

from tests.support.anthropic_upstream import SIGNATURE, AnthropicUpstream
from tests.support.openai_tool_upstream import OpenAIToolUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
UPSTREAM_KEY = "sk-ant-upstream-key"
WEATHER: ToolParam = {
    "name": "weather",
    "description": "The weather in a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


@pytest.fixture(scope="module")
def anthropic_upstream() -> Iterator[tuple[AnthropicUpstream, str]]:
    app = AnthropicUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def openai_upstream() -> Iterator[tuple[OpenAIToolUpstream, str]]:
    app = OpenAIToolUpstream()
    with serve_asgi(app) as url:
        yield app, url


def _anthropic(name: str, model: str, url: str) -> dict[str, Any]:
    return {"model_name": name, "litellm_params": {"model": model, "api_base": url, "api_key": UPSTREAM_KEY}}


@pytest.fixture(scope="module")
def gateway(
    anthropic_upstream: tuple[AnthropicUpstream, str], openai_upstream: tuple[OpenAIToolUpstream, str]
) -> Iterator[str]:
    _, anthropic_url = anthropic_upstream
    _, openai_url = openai_upstream
    config = {
        "model_list": [
            _anthropic("claude-native", "anthropic/claude-sonnet-4-5", anthropic_url),
            _anthropic("claude-tools", "anthropic/claude-tool", anthropic_url),
            _anthropic("claude-overloaded", "anthropic/claude-fail-529", anthropic_url),
            _anthropic("claude-mid", "anthropic/claude-overload-mid", anthropic_url),
            {
                "model_name": "gpt-translated",
                "litellm_params": {"model": "openai/gpt-up", "api_base": f"{openai_url}/v1", "api_key": "sk-up"},
            },
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(base_url=gateway, api_key=MASTER_KEY, max_retries=0) as sdk:
        yield sdk


def _error_type(error: anthropic.APIStatusError) -> str:
    """The ``error.type`` of an error body in Anthropic's shape (``""`` when the shape is wrong)."""
    body = error.body
    if not isinstance(body, dict) or body.get("type") != "error" or not isinstance(body.get("error"), dict):
        return ""
    return str(body["error"].get("type", ""))


def _tool_loop(client: anthropic.Anthropic, model: str, *, stream: bool) -> tuple[anthropic.types.Message, str]:
    """Ask, run the tool the model calls, answer with its result; the model's two messages."""
    messages: list[MessageParam] = [{"role": "user", "content": "Weather in Paris?"}]
    first: anthropic.types.Message
    if stream:
        with client.messages.stream(model=model, max_tokens=300, messages=messages, tools=[WEATHER]) as events:
            first = events.get_final_message()
    else:
        first = client.messages.create(model=model, max_tokens=300, messages=messages, tools=[WEATHER])
    call = next(block for block in first.content if block.type == "tool_use")
    messages += [
        {"role": "assistant", "content": first.content},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "18C, sunny"}]},
    ]
    second = client.messages.create(model=model, max_tokens=300, messages=messages, tools=[WEATHER])
    return first, second.content[0].text if second.content[0].type == "text" else ""


# --- native: an Anthropic deployment ---------------------------------------------------------


def test_a_message_reaches_anthropic_as_sent_and_comes_back_as_answered(
    client: anthropic.Anthropic, anthropic_upstream: tuple[AnthropicUpstream, str]
) -> None:
    app, _ = anthropic_upstream
    message = client.messages.create(
        model="claude-native",
        max_tokens=50,
        system=[{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        messages=[{"role": "user", "content": "hello"}],
        metadata={"user_id": "user-7"},
        extra_headers={"anthropic-beta": "context-1m-2025-08-07"},
    )
    assert message.content[0].type == "text" and message.content[0].text == "echo: hello"
    assert message.usage.cache_read_input_tokens == 2
    sent = app.bodies[-1]
    assert sent["model"] == "claude-sonnet-4-5"
    assert sent["system"] == [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]
    assert sent["metadata"] == {"user_id": "user-7"}
    assert app.headers[-1]["x-api-key"] == UPSTREAM_KEY
    assert app.headers[-1]["anthropic-version"] == "2026-10-21"  # the SDK's, not the deployment's 2023-06-01
    assert "context-1m-2025-08-07" in app.headers[-1]["anthropic-beta"]
    assert app.rejected == []


def test_a_native_stream_relays_every_event_and_names_the_deployment(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model="claude-native", max_tokens=50, messages=[{"role": "user", "content": "one two"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
        deployment = stream.response.headers["x-switchboard-provider"]
    assert text == "echo: one two "
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == 3
    assert deployment == "anthropic"


def test_a_native_tool_loop_keeps_the_thinking_signature_and_assembles_the_input(
    client: anthropic.Anthropic, anthropic_upstream: tuple[AnthropicUpstream, str]
) -> None:
    app, _ = anthropic_upstream
    first, answer = _tool_loop(client, "claude-tools", stream=True)
    thinking = first.content[0]
    assert thinking.type == "thinking" and thinking.signature == SIGNATURE
    call = first.content[1]
    assert call.type == "tool_use" and call.input == {"city": "Paris"}
    assert first.stop_reason == "tool_use"
    assert answer.startswith("echo: ")
    assert app.bodies[-1]["messages"][1]["content"][0]["signature"] == SIGNATURE
    assert app.rejected == []


def test_count_tokens_asks_anthropic(client: anthropic.Anthropic) -> None:
    counted = client.messages.count_tokens(model="claude-native", messages=[{"role": "user", "content": "hello"}])
    assert counted.input_tokens == 42


def test_an_overloaded_anthropic_is_a_529_the_sdk_recognises(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.InternalServerError) as caught:
        client.messages.create(model="claude-overloaded", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert caught.value.status_code == 529
    assert _error_type(caught.value) == "overloaded_error"


def test_an_overload_mid_stream_reaches_the_sdk_as_an_error_event(client: anthropic.Anthropic) -> None:
    received: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError),
        client.messages.stream(model="claude-mid", max_tokens=5, messages=[{"role": "user", "content": "a b"}]) as s,
    ):
        received.extend(s.text_stream)
    assert "".join(received) == "echo: "


# --- translated: an OpenAI deployment --------------------------------------------------------


def test_a_message_to_an_openai_deployment_is_translated_both_ways(
    client: anthropic.Anthropic, openai_upstream: tuple[OpenAIToolUpstream, str]
) -> None:
    app, _ = openai_upstream
    message = client.messages.create(
        model="gpt-translated",
        max_tokens=50,
        system="Be brief.",
        stop_sequences=["END"],
        messages=[{"role": "user", "content": "hello"}],
    )
    assert message.content[0].type == "text" and message.content[0].text == "echo: hello"
    assert message.model == "gpt-translated"
    assert (message.usage.input_tokens, message.usage.cache_read_input_tokens, message.usage.output_tokens) == (8, 4, 5)
    sent = app.bodies[-1]
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["stop"] == ["END"]
    assert sent["max_tokens"] == 50


def test_a_translated_stream_reads_as_anthropics_stream(client: anthropic.Anthropic) -> None:
    with client.messages.stream(
        model="gpt-translated", max_tokens=50, messages=[{"role": "user", "content": "one two"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "echo: one two"
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens == 5


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_a_translated_tool_loop_works_with_split_tool_arguments(
    client: anthropic.Anthropic, openai_upstream: tuple[OpenAIToolUpstream, str], stream: bool
) -> None:
    app, _ = openai_upstream
    first, answer = _tool_loop(client, "gpt-translated", stream=stream)
    kinds = [block.type for block in first.content]
    assert kinds == ["thinking", "tool_use"]
    call = first.content[1]
    assert call.type == "tool_use" and call.input == {"city": "Paris"} and call.name == "weather"
    assert first.stop_reason == "tool_use"
    assert answer == "echo: 18C, sunny"
    sent = app.bodies[-1]["messages"]
    assert sent[1]["tool_calls"][0]["function"] == {"name": "weather", "arguments": '{"city":"Paris"}'}
    assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "18C, sunny"}


def test_count_tokens_for_an_openai_deployment_is_the_gateways_estimate(client: anthropic.Anthropic) -> None:
    counted = client.messages.count_tokens(model="gpt-translated", messages=[{"role": "user", "content": "hello"}])
    assert counted.input_tokens > 0


# --- the door itself ---------------------------------------------------------------------------


def test_a_wrong_key_is_an_anthropic_authentication_error(gateway: str) -> None:
    with (
        anthropic.Anthropic(base_url=gateway, api_key="sk-wrong", max_retries=0) as stranger,
        pytest.raises(anthropic.AuthenticationError) as caught,
    ):
        stranger.messages.create(model="claude-native", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert _error_type(caught.value) == "authentication_error"


def test_a_bearer_token_is_accepted_as_claude_code_sends_it(gateway: str) -> None:
    with anthropic.Anthropic(base_url=gateway, auth_token=MASTER_KEY, max_retries=0) as bearer:
        message = bearer.messages.create(
            model="claude-native", max_tokens=5, messages=[{"role": "user", "content": "x"}]
        )
    assert message.content[0].type == "text"


def test_an_unknown_model_is_an_anthropic_not_found_error(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.NotFoundError) as caught:
        client.messages.create(model="nope", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert _error_type(caught.value) == "not_found_error"


def test_a_missing_max_tokens_is_an_anthropic_invalid_request_error(client: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(model="claude-native", messages=[{"role": "user", "content": "x"}], max_tokens=0)
    assert _error_type(caught.value) == "invalid_request_error"
