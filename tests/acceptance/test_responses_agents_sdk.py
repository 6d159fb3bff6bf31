"""The OpenAI Agents SDK, with its default Responses model, through a real gateway on 127.0.0.1
(issue 12): a tool-calling agent against a fake OpenAI Responses upstream (native passthrough),
and a plain agent against a fake Anthropic upstream (translated)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from agents import Agent, OpenAIResponsesModel, Runner, function_tool, set_tracing_disabled
from openai import AsyncOpenAI

from tests.support.anthropic_upstream import AnthropicUpstream
from tests.support.openai_responses_upstream import OpenAIResponsesUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"


@pytest.fixture(scope="module")
def upstreams() -> Iterator[tuple[OpenAIResponsesUpstream, AnthropicUpstream, str]]:
    native, anthropic = OpenAIResponsesUpstream(), AnthropicUpstream()
    with serve_asgi(native) as native_url, serve_asgi(anthropic) as anthropic_url:
        config: dict[str, Any] = {
            "model_list": [
                {
                    "model_name": "gpt-native",
                    "litellm_params": {"model": "openai/gpt-4.1", "api_base": f"{native_url}/v1", "api_key": "sk-up"},
                },
                {
                    "model_name": "claude",
                    "litellm_params": {
                        "model": "anthropic/claude-sonnet-4-5",
                        "api_base": anthropic_url,
                        "api_key": "k",
                    },
                },
            ],
            "general_settings": {"master_key": MASTER_KEY},
        }
        with serve_gateway(config) as gateway:
            yield native, anthropic, gateway


@pytest.fixture
async def client(upstreams: tuple[OpenAIResponsesUpstream, AnthropicUpstream, str]) -> AsyncIterator[AsyncOpenAI]:
    set_tracing_disabled(True)  # no trace export: there is no network here
    async with AsyncOpenAI(base_url=f"{upstreams[2]}/v1", api_key=MASTER_KEY, max_retries=0) as opened:
        yield opened


@function_tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


async def test_an_agent_calls_its_tool_and_answers_through_the_gateway(
    client: AsyncOpenAI, upstreams: tuple[OpenAIResponsesUpstream, AnthropicUpstream, str]
) -> None:
    agent = Agent(
        name="weather",
        instructions="Answer with the weather.",
        model=OpenAIResponsesModel(model="gpt-native", openai_client=client),
        tools=[get_weather],
    )
    result = await Runner.run(agent, "What is the weather in Paris?")
    assert result.final_output == "the weather is sunny in Paris"
    native = upstreams[0]
    assert native.invalid == []
    assert [r.body["model"] for r in native.received[-2:]] == ["gpt-4.1", "gpt-4.1"]


async def test_an_agent_on_a_translated_provider_answers(
    client: AsyncOpenAI, upstreams: tuple[OpenAIResponsesUpstream, AnthropicUpstream, str]
) -> None:
    agent = Agent(name="echo", instructions="Echo.", model=OpenAIResponsesModel(model="claude", openai_client=client))
    result = await Runner.run(agent, "hello agent")
    assert result.final_output == "echo: hello agent"
    assert upstreams[1].rejected == []


async def test_a_streamed_agent_run_reads_the_translated_events(client: AsyncOpenAI) -> None:
    agent = Agent(name="echo", instructions="Echo.", model=OpenAIResponsesModel(model="claude", openai_client=client))
    run = Runner.run_streamed(agent, "one two")
    async for _ in run.stream_events():
        pass
    assert str(run.final_output).rstrip() == "echo: one two"
