"""The official openai SDK -> the real gateway -> a fake Cohere v2 API, all on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import orjson
import pytest

from tests.support.asgi_upstream import Answer, AsgiUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
USAGE = {
    "billed_units": {"input_tokens": 5, "output_tokens": 2},
    "tokens": {"input_tokens": 70, "output_tokens": 2},
}


class CohereUpstream(AsgiUpstream):
    """Echoes the last user message; the model ``command-busy`` answers 429 with Retry-After."""

    def answer(self, path: str, body: dict[str, Any]) -> Answer:
        if path != "/v2/chat":
            return Answer(404, {"message": "not found"})
        if body["model"] == "command-busy":
            return Answer(429, {"message": "You are using a Trial key"}, headers=[(b"retry-after", b"7")])
        text = "echo: " + str(body["messages"][-1]["content"])
        if not body.get("stream"):
            message = {"role": "assistant", "content": [{"type": "text", "text": text}]}
            return Answer(json={"id": "co-1", "finish_reason": "COMPLETE", "message": message, "usage": USAGE})
        events: list[dict[str, Any]] = [
            {"type": "message-start", "id": "co-2", "delta": {"message": {"role": "assistant"}}}
        ]
        events += [
            {"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": word + " "}}}}
            for word in text.split(" ")
        ]
        events.append({"type": "message-end", "delta": {"finish_reason": "COMPLETE", "usage": USAGE}})
        pieces = [f"event: {e['type']}\ndata: ".encode() + orjson.dumps(e) + b"\n\n" for e in events]
        return Answer(pieces=[*pieces, b"data: [DONE]\n\n"], content_type="text/event-stream")


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[CohereUpstream, str]]:
    app = CohereUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def client(upstream: tuple[CohereUpstream, str]) -> Iterator[openai.OpenAI]:
    _, url = upstream
    params = {"api_base": url, "api_key": "co-upstream-key"}
    config = {
        "model_list": [
            {"model_name": "command", "litellm_params": {"model": "cohere/command-a-03-2025", **params}},
            {"model_name": "busy", "litellm_params": {"model": "cohere/command-busy", **params}},
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield openai.OpenAI(base_url=f"{base}/v1", api_key=MASTER_KEY, max_retries=0)


def test_chat_through_the_gateway_speaks_cohere_upstream(
    client: openai.OpenAI, upstream: tuple[CohereUpstream, str]
) -> None:
    response = client.chat.completions.create(
        model="command", messages=[{"role": "user", "content": "hello"}], top_p=0.5, max_tokens=20
    )
    assert response.choices[0].message.content == "echo: hello"
    assert response.usage is not None and (response.usage.prompt_tokens, response.usage.total_tokens) == (
        5,
        7,
    )
    sent = upstream[0].received[-1]
    assert (sent.body["p"], sent.body["max_tokens"]) == (0.5, 20)
    assert sent.headers["authorization"] == "Bearer co-upstream-key"


def test_a_stream_through_the_gateway_ends_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="command",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two "
    assert any(c.choices and c.choices[0].finish_reason == "stop" for c in chunks)
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 7


def test_an_upstream_rate_limit_is_a_429_with_retry_after(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="busy", messages=[{"role": "user", "content": "x"}])
    assert caught.value.response.headers.get("retry-after") == "7"
    assert "co-upstream-key" not in str(caught.value)
