"""The official openai SDK's Responses API through a real gateway on 127.0.0.1: natively to a fake
OpenAI Responses upstream, and translated to a fake Anthropic Messages upstream (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import orjson
import pytest
from openai.types.responses import FunctionToolParam

from tests.support.anthropic_upstream import AnthropicUpstream
from tests.support.openai_responses_upstream import OpenAIResponsesUpstream
from tests.support.responses_schema import sdk_event
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
WEATHER: FunctionToolParam = {
    "type": "function",
    "name": "get_weather",
    "description": "The weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    "strict": True,
}


@pytest.fixture(scope="module")
def native() -> Iterator[tuple[OpenAIResponsesUpstream, str]]:
    app = OpenAIResponsesUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def anthropic() -> Iterator[tuple[AnthropicUpstream, str]]:
    app = AnthropicUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(native: tuple[OpenAIResponsesUpstream, str], anthropic: tuple[AnthropicUpstream, str]) -> Iterator[str]:
    def entry(name: str, model: str, url: str) -> dict[str, Any]:
        return {"model_name": name, "litellm_params": {"model": model, "api_base": url, "api_key": "sk-upstream"}}

    config = {
        "model_list": [
            entry("gpt-native", "openai/gpt-4.1", f"{native[1]}/v1"),
            entry("gpt-limited", "openai/fail-429", f"{native[1]}/v1"),
            entry("claude", "anthropic/claude-sonnet-4-5", anthropic[1]),
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0) as opened:
        yield opened


def other_client(gateway: str) -> openai.OpenAI:
    issued = httpx.post(
        f"{gateway}/key/generate", headers={"authorization": f"Bearer {MASTER_KEY}"}, json={}, timeout=30
    )
    issued.raise_for_status()
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=issued.json()["key"], max_retries=0)


# --- native: OpenAI ------------------------------------------------------------------------


def test_a_native_response_passes_through_with_the_deployments_model(
    client: openai.OpenAI, native: tuple[OpenAIResponsesUpstream, str]
) -> None:
    raw = client.responses.with_raw_response.create(model="gpt-native", input="hello", store=False)
    response = raw.parse()
    assert response.output_text == "echo: hello"
    assert response.usage is not None and response.usage.total_tokens == 18
    assert raw.headers["x-switchboard-provider"] == "openai"
    sent = native[0].received[-1]
    assert sent.path == "/v1/responses" and sent.body["model"] == "gpt-4.1" and sent.body["store"] is False
    assert native[0].invalid == []


def test_a_native_stream_is_relayed_event_by_event(client: openai.OpenAI) -> None:
    events = list(client.responses.create(model="gpt-native", input="one two", stream=True))
    assert events[0].type == "response.created"
    assert events[-1].type == "response.completed"
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == "echo: one two"


def test_a_native_tool_loop_continues_from_the_stored_response(
    client: openai.OpenAI, native: tuple[OpenAIResponsesUpstream, str]
) -> None:
    first = client.responses.create(model="gpt-native", input="weather in Paris?", tools=[WEATHER])
    (call,) = [item for item in first.output if item.type == "function_call"]
    assert (call.name, call.arguments) == ("get_weather", '{"city":"Paris"}')
    second = client.responses.create(
        model="gpt-native",
        previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": "sunny"}],
        tools=[WEATHER],
    )
    assert second.output_text == "the weather is sunny"
    sent = native[0].received[-1].body
    assert "previous_response_id" not in sent  # the gateway rebuilt the conversation itself
    assert [item.get("type", "message") for item in sent["input"]] == [
        "message",
        "function_call",
        "function_call_output",
    ]
    assert native[0].invalid == []


def test_an_upstream_rate_limit_is_the_sdks_rate_limit_error(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError):
        client.responses.create(model="gpt-limited", input="x")
    with pytest.raises(openai.RateLimitError):
        client.responses.create(model="gpt-limited", input="x", stream=True)


# --- translated: Anthropic -----------------------------------------------------------------


def test_a_response_from_anthropic_is_translated_both_ways(
    client: openai.OpenAI, anthropic: tuple[AnthropicUpstream, str]
) -> None:
    raw = client.responses.with_raw_response.create(
        model="claude", input="hello", instructions="be brief", max_output_tokens=64
    )
    response = raw.parse()
    assert response.output_text == "echo: hello"
    assert raw.headers["x-switchboard-provider"] == "anthropic"
    sent = anthropic[0].bodies[-1]
    assert sent["system"] in ("be brief", [{"type": "text", "text": "be brief"}])
    assert sent["max_tokens"] == 64
    assert anthropic[0].rejected == []


def test_a_stream_from_anthropic_is_read_by_the_sdks_stream_helper(client: openai.OpenAI) -> None:
    with client.responses.stream(model="claude", input="one two three") as stream:
        events = list(stream)
        final = stream.get_final_response()
    assert events[0].type == "response.created"
    assert final.output_text.rstrip() == "echo: one two three"  # the fake streams a word and a space
    assert final.usage is not None and final.usage.output_tokens > 0


def test_every_streamed_event_is_one_the_sdk_models_in_sequence(gateway: str) -> None:
    # The SDK builds its event objects without validating them: check the raw events here.
    body = {"model": "claude", "input": "one two three", "stream": True}
    with httpx.stream(
        "POST", f"{gateway}/v1/responses", json=body, headers={"authorization": f"Bearer {MASTER_KEY}"}, timeout=30
    ) as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        frames = reply.read().decode().strip().split("\n\n")
    events = [orjson.loads(frame.split("data: ", 1)[1]) for frame in frames]
    for frame, event in zip(frames, events, strict=True):
        assert frame.startswith(f"event: {event['type']}\n")
        sdk_event(event)
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"


def test_function_call_outputs_reach_anthropic_as_tool_results(
    client: openai.OpenAI, anthropic: tuple[AnthropicUpstream, str]
) -> None:
    client.responses.create(
        model="claude",
        input=[
            {"role": "user", "content": "weather?"},
            {"type": "function_call", "call_id": "toolu_1", "name": "get_weather", "arguments": '{"city":"Paris"}'},
            {"type": "function_call_output", "call_id": "toolu_1", "output": "sunny"},
        ],
        tools=[WEATHER],
    )
    messages = anthropic[0].bodies[-1]["messages"]
    assert [block["type"] for block in messages[1]["content"]] == ["tool_use"]
    assert messages[2]["content"][0]["type"] == "tool_result"
    assert anthropic[0].bodies[-1]["tools"][0]["name"] == "get_weather"
    assert anthropic[0].rejected == []


def test_previous_response_id_carries_the_conversation_to_a_translated_provider(
    client: openai.OpenAI, anthropic: tuple[AnthropicUpstream, str]
) -> None:
    first = client.responses.create(model="claude", input="my name is Ada")
    client.responses.create(model="claude", input="what is my name?", previous_response_id=first.id)
    messages = anthropic[0].bodies[-1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]


# --- stored responses ----------------------------------------------------------------------


def test_a_stored_response_can_be_read_listed_and_deleted_by_its_key_only(client: openai.OpenAI, gateway: str) -> None:
    created = client.responses.create(model="claude", input="remember me")
    assert client.responses.retrieve(created.id).output_text == "echo: remember me"
    items = list(client.responses.input_items.list(created.id))
    assert [(item.type, item.role) for item in items] == [("message", "user")]  # type: ignore[union-attr]
    with other_client(gateway) as stranger:
        with pytest.raises(openai.NotFoundError):
            stranger.responses.retrieve(created.id)
        with pytest.raises(openai.NotFoundError):
            stranger.responses.create(model="claude", input="x", previous_response_id=created.id)
    client.responses.delete(created.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(created.id)


def test_a_response_made_with_store_false_is_not_kept(client: openai.OpenAI) -> None:
    created = client.responses.create(model="claude", input="forget me", store=False)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(created.id)


def test_input_tokens_are_counted_without_an_upstream_call(client: openai.OpenAI) -> None:
    counted = client.responses.input_tokens.count(model="claude", input="hello world")
    assert counted.object == "response.input_tokens" and counted.input_tokens > 0


def test_cancel_says_only_background_responses_can_be(client: openai.OpenAI) -> None:
    created = client.responses.create(model="claude", input="x")
    with pytest.raises(openai.BadRequestError):
        client.responses.cancel(created.id)
    with pytest.raises(openai.NotFoundError):
        client.responses.cancel("resp_missing")
