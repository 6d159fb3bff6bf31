"""A catalog provider (Groq) end to end: the official openai SDK -> a real gateway -> a fake Groq
upstream on 127.0.0.1 speaking OpenAI's wire format under Groq's path."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
INPUT, OUTPUT = 0.00000005, 0.00000008


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OpenAIUpstream, str]]:
    app = OpenAIUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[OpenAIUpstream, str]) -> Iterator[str]:
    _, url = upstream

    def entry(name: str, model: str) -> dict[str, object]:
        return {
            "model_name": name,
            "litellm_params": {
                "model": f"groq/{model}",
                "api_base": f"{url}/openai/v1",
                "api_key": "gsk-upstream",
            },
            "model_info": {"input_cost_per_token": INPUT, "output_cost_per_token": OUTPUT},
        }

    config = {
        "model_list": [entry("fast", "llama-3.1-8b-instant"), entry("limited", "fail-429")],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0)


def test_a_chat_reaches_groq_with_its_key_and_reports_its_cost(
    client: openai.OpenAI, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    raw = client.chat.completions.with_raw_response.create(
        model="fast", messages=[{"role": "user", "content": "hello"}], n=1, max_completion_tokens=20
    )
    answer = raw.parse()
    assert answer.choices[0].message.content == "echo: hello"
    assert app.paths[-1] == "/openai/v1/chat/completions"
    assert app.headers[-1]["authorization"] == "Bearer gsk-upstream"
    assert app.bodies[-1]["model"] == "llama-3.1-8b-instant"
    assert "n" not in app.bodies[-1]
    assert answer.usage is not None
    cost = answer.usage.prompt_tokens * INPUT + answer.usage.completion_tokens * OUTPUT
    assert float(raw.headers["x-switchboard-response-cost"]) == pytest.approx(cost, abs=1e-10)


def test_a_streamed_chat_through_groq(client: openai.OpenAI, upstream: tuple[OpenAIUpstream, str]) -> None:
    app, _ = upstream
    stream = client.chat.completions.create(
        model="fast",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two "
    assert chunks[-1].usage is not None
    assert app.bodies[-1]["stream_options"] == {"include_usage": True}


def test_a_parameter_groq_refuses_is_a_bad_request_before_any_upstream_call(
    client: openai.OpenAI, upstream: tuple[OpenAIUpstream, str]
) -> None:
    app, _ = upstream
    before = app.state.requests
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="fast", messages=[{"role": "user", "content": "x"}], logprobs=True)
    assert caught.value.code == "unsupported_parameter"
    assert app.state.requests == before


def test_groq_rate_limits_reach_the_caller_as_rate_limits(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="limited", messages=[{"role": "user", "content": "x"}])
    assert caught.value.response.headers.get("retry-after") == "3"
