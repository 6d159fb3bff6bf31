"""The provider contract: every chat adapter, fed the same upstream scenarios, behaves the same.

A new provider adds a harness (its fake upstream speaking the real wire format) to HARNESSES and
gets this whole suite. Differences between providers are capabilities, never branches here.
"""

from __future__ import annotations

import json

import pytest

from switchboard.domain.chat import ChatRequest
from switchboard.domain.errors import (
    AuthenticationError,
    BadRequest,
    ContentPolicyViolation,
    ContextWindowExceeded,
    NotFound,
    ProviderUnavailable,
    RateLimited,
    SwitchboardError,
)
from switchboard.domain.ports.providers import ChatCall, ChatProvider
from tests.contract.providers.anthropic_harness import AnthropicHarness
from tests.contract.providers.azure_harness import AzureHarness
from tests.contract.providers.bedrock_harness import BedrockHarness
from tests.contract.providers.cohere_harness import CohereHarness
from tests.contract.providers.compatible_harness import GroqHarness, HostedVllmHarness, OpenRouterHarness
from tests.contract.providers.gemini_harness import GeminiHarness, VertexHarness
from tests.contract.providers.mistral_harness import MistralHarness
from tests.contract.providers.mock_harness import MockHarness
from tests.contract.providers.ollama_harness import OllamaHarness
from tests.contract.providers.openai_harness import OpenAIHarness
from tests.contract.providers.scenario import ErrorKind, ProviderHarness, Scenario, ToolCallSpec

HARNESSES: list[type[ProviderHarness]] = [
    MockHarness,
    OpenAIHarness,
    AnthropicHarness,
    GeminiHarness,
    VertexHarness,
    CohereHarness,
    OllamaHarness,
    MistralHarness,
    GroqHarness,
    OpenRouterHarness,
    HostedVllmHarness,
    BedrockHarness,
    AzureHarness,
]


@pytest.fixture(params=HARNESSES, ids=lambda h: h.name)
def harness(request: pytest.FixtureRequest) -> ProviderHarness:
    chosen: type[ProviderHarness] = request.param
    return chosen()


def having(capability: str) -> pytest.MarkDecorator:
    """Run a test only over the harnesses whose provider has ``capability`` (no skips)."""
    chosen = [h for h in HARNESSES if capability in h.capabilities]
    return pytest.mark.parametrize("harness", chosen, ids=lambda h: h.name, indirect=True)


def chat_call(harness: ProviderHarness, scenario: Scenario, **request: object) -> tuple[ChatProvider, ChatCall]:
    provider, deployment = harness.build(scenario)
    body = {"model": deployment.model_name, "messages": [{"role": "user", "content": "Hi"}], **request}
    return provider, ChatCall(request=ChatRequest.model_validate(body), deployment=deployment, request_id="r1")


async def test_complete_returns_the_answer_text(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(text="Hello from the upstream."))
    response = await provider.complete(call)
    assert response.text == "Hello from the upstream."
    assert response.choices[0].finish_reason == "stop"


async def test_complete_reports_usage(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(prompt_tokens=11, completion_tokens=7))
    response = await provider.complete(call)
    assert response.usage is not None
    assert response.usage.prompt_tokens > 0
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens
    if "usage_exact" in harness.capabilities:
        assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (11, 7)


async def test_stream_chunks_join_to_the_whole_answer(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(text="One two three four five six", chunks=3), stream=True)
    async with provider.stream(call) as chunks:
        received = [chunk async for chunk in chunks]
    assert "".join(c.text for c in received) == "One two three four five six"
    assert sum(1 for c in received if c.text) >= 2
    assert any(ch.finish_reason == "stop" for c in received for ch in c.choices)


async def test_stream_reports_usage(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(), stream=True)
    async with provider.stream(call) as chunks:
        usages = [c.usage async for c in chunks if c.usage is not None]
    assert usages
    assert usages[-1].total_tokens > 0


async def test_leaving_a_stream_early_closes_the_upstream(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(text="a b c d e f g h", chunks=8), stream=True)
    async with provider.stream(call) as chunks:
        async for _ in chunks:
            break
    assert harness.open_streams() == 0


async def test_a_finished_stream_leaves_nothing_open(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(), stream=True)
    async with provider.stream(call) as chunks:
        async for _ in chunks:
            pass
    assert harness.open_streams() == 0


# Errors every API tells apart by HTTP status alone.
ERROR_CLASSES: dict[ErrorKind, type[SwitchboardError]] = {
    "rate_limited": RateLimited,
    "auth": AuthenticationError,
    "not_found": NotFound,
    "bad_request": BadRequest,
    "server_error": ProviderUnavailable,
    "overloaded": ProviderUnavailable,
}


async def assert_upstream_error(harness: ProviderHarness, kind: ErrorKind, expected: type[SwitchboardError]) -> None:
    provider, call = chat_call(harness, Scenario(error=kind))
    with pytest.raises(expected) as caught:
        await provider.complete(call)
    assert caught.value.provider == harness.name
    assert "sk-test-key" not in caught.value.message


@pytest.mark.parametrize("kind", sorted(ERROR_CLASSES))
async def test_upstream_errors_become_domain_errors(harness: ProviderHarness, kind: ErrorKind) -> None:
    await assert_upstream_error(harness, kind, ERROR_CLASSES[kind])


# Context-window and safety failures are 400s that only a structured error code tells apart; the
# capability says the API has such a code. APIs without one (Cohere, Ollama, Bedrock's
# ValidationException) give a plain BadRequest, since errors are never classified by message text.
@having("context_window_errors")
async def test_a_prompt_too_long_for_the_model_is_a_context_window_error(harness: ProviderHarness) -> None:
    await assert_upstream_error(harness, "context_window", ContextWindowExceeded)


@having("content_policy_errors")
async def test_a_safety_refusal_is_a_content_policy_violation(harness: ProviderHarness) -> None:
    await assert_upstream_error(harness, "content_policy", ContentPolicyViolation)


@pytest.mark.parametrize("kind", ["rate_limited", "server_error", "auth"])
async def test_a_stream_that_fails_before_its_first_chunk_raises_on_enter(
    harness: ProviderHarness, kind: ErrorKind
) -> None:
    provider, call = chat_call(harness, Scenario(error=kind), stream=True)
    with pytest.raises(ERROR_CLASSES[kind]):
        async with provider.stream(call) as chunks:
            async for _ in chunks:
                pass
    assert harness.open_streams() == 0


@having("retry_after")
async def test_rate_limits_carry_retry_after(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(error="rate_limited", retry_after=7))
    with pytest.raises(RateLimited) as caught:
        await provider.complete(call)
    assert caught.value.retry_after == 7
    assert caught.value.retryable


async def test_server_errors_are_retryable_and_bad_requests_are_not(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(error="server_error"))
    with pytest.raises(ProviderUnavailable) as server:
        await provider.complete(call)
    provider, call = chat_call(harness, Scenario(error="bad_request"))
    with pytest.raises(BadRequest) as bad:
        await provider.complete(call)
    assert server.value.retryable and not bad.value.retryable


WEATHER = ToolCallSpec(id="call_1", name="get_weather", arguments={"city": "Paris", "unit": "celsius"})
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]


@having("tools")
async def test_tool_calls_come_back_in_openai_shape(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(text="", tool_calls=(WEATHER,)), tools=TOOLS)
    response = await provider.complete(call)
    calls = response.choices[0].message.tool_calls
    assert calls is not None and len(calls) == 1
    assert calls[0].function.name == "get_weather"
    assert json.loads(calls[0].function.arguments) == {"city": "Paris", "unit": "celsius"}
    assert calls[0].id
    assert response.choices[0].finish_reason == "tool_calls"


@having("tools")
async def test_streamed_tool_call_arguments_join_to_valid_json(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(text="", tool_calls=(WEATHER,)), tools=TOOLS, stream=True)
    names, arguments, finishes = [], [], []
    async with provider.stream(call) as chunks:
        async for chunk in chunks:
            for choice in chunk.choices:
                finishes.append(choice.finish_reason)
                for delta in choice.delta.tool_calls or ():
                    if delta.function and delta.function.name:
                        names.append(delta.function.name)
                    if delta.function and delta.function.arguments:
                        arguments.append(delta.function.arguments)
    assert names == ["get_weather"]
    assert json.loads("".join(arguments)) == {"city": "Paris", "unit": "celsius"}
    assert "tool_calls" in finishes


@having("cut_stream")
async def test_a_stream_cut_short_raises_provider_unavailable(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(text="a b c d", cut_stream=True), stream=True)
    with pytest.raises(ProviderUnavailable):
        async with provider.stream(call) as chunks:
            async for _ in chunks:
                pass
    assert harness.open_streams() == 0


@having("cached_tokens")
async def test_usage_details_carry_cached_tokens(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(prompt_tokens=20, cached_tokens=4))
    response = await provider.complete(call)
    assert response.usage is not None
    assert response.usage.cached_tokens == 4
    assert response.usage.prompt_tokens == 20


@having("finish_reasons")
@pytest.mark.parametrize("finish", ["length", "content_filter"])
async def test_the_upstream_stop_reason_comes_back_in_openai_words(harness: ProviderHarness, finish: str) -> None:
    provider, call = chat_call(harness, Scenario(finish=finish))
    response = await provider.complete(call)
    assert response.choices[0].finish_reason == finish


@having("finish_reasons")
async def test_a_streamed_stop_reason_comes_back_in_openai_words(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(finish="length"), stream=True)
    async with provider.stream(call) as chunks:
        finishes = [ch.finish_reason async for c in chunks for ch in c.choices if ch.finish_reason]
    assert finishes == ["length"]


@having("usage_details")
async def test_usage_details_carry_cached_and_reasoning_tokens(harness: ProviderHarness) -> None:
    provider, call = chat_call(harness, Scenario(cached_tokens=4, reasoning_tokens=3))
    response = await provider.complete(call)
    assert response.usage is not None
    assert response.usage.cached_tokens == 4
    assert response.usage.reasoning_tokens == 3


PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@having("images")
async def test_images_by_url_and_base64_reach_the_upstream(harness: ProviderHarness) -> None:
    content = [
        {"type": "text", "text": "What is in these?"},
        {"type": "image_url", "image_url": {"url": "https://images.test/cat.png"}},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PIXEL}"}},
    ]
    provider, call = chat_call(harness, Scenario(text="Two cats."), messages=[{"role": "user", "content": content}])
    response = await provider.complete(call)
    assert response.text == "Two cats."
    assert PIXEL in json.dumps(harness.sent()[-1])


@having("json_schema")
async def test_a_json_schema_answer_comes_back_as_json_text(harness: ProviderHarness) -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "required": ["n"],
        "additionalProperties": False,
    }
    provider, call = chat_call(
        harness,
        Scenario(text='{"n": 3}'),
        response_format={"type": "json_schema", "json_schema": {"name": "count", "schema": schema}},
    )
    response = await provider.complete(call)
    assert json.loads(response.text) == {"n": 3}
    assert json.dumps(schema) in json.dumps(harness.sent()[-1])
