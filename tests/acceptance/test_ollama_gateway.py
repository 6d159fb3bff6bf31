"""The official openai SDK -> the real gateway -> a fake Ollama server (NDJSON), all on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import orjson
import pytest

from tests.support.asgi_upstream import Answer, AsgiUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"


class OllamaUpstream(AsgiUpstream):
    """Echoes the last user message; an unknown model is a 404 as when it is not pulled."""

    def answer(self, path: str, body: dict[str, Any]) -> Answer:
        if body["model"] != "llama3.2":
            return Answer(404, {"error": f'model "{body["model"]}" not found, try pulling it first'})
        text = "echo: " + str(body["messages"][-1]["content"])
        done = {"done": True, "done_reason": "stop", "prompt_eval_count": 5, "eval_count": 2}
        if not body["stream"]:
            return Answer(json={"model": "llama3.2", "message": {"role": "assistant", "content": text}, **done})
        lines = [
            {"model": "llama3.2", "message": {"role": "assistant", "content": w + " "}, "done": False}
            for w in text.split(" ")
        ]
        lines.append({"model": "llama3.2", "message": {"role": "assistant", "content": ""}, **done})
        raw = b"".join(orjson.dumps(line) + b"\n" for line in lines)
        # Cut the body at odd places, so lines arrive split across reads.
        return Answer(pieces=[raw[i : i + 23] for i in range(0, len(raw), 23)], content_type="application/x-ndjson")


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OllamaUpstream, str]]:
    app = OllamaUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def client(upstream: tuple[OllamaUpstream, str]) -> Iterator[openai.OpenAI]:
    _, url = upstream
    config = {
        "model_list": [
            {
                "model_name": "llama",
                "litellm_params": {"model": "ollama_chat/llama3.2", "api_base": url, "num_ctx": 8192},
            },
            {"model_name": "missing", "litellm_params": {"model": "ollama/llama9", "api_base": url}},
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield openai.OpenAI(base_url=f"{base}/v1", api_key=MASTER_KEY, max_retries=0)


def test_chat_through_the_gateway_speaks_ollama_upstream(
    client: openai.OpenAI, upstream: tuple[OllamaUpstream, str]
) -> None:
    response = client.chat.completions.create(
        model="llama", messages=[{"role": "user", "content": "hello"}], temperature=0.1, max_tokens=16
    )
    assert response.choices[0].message.content == "echo: hello"
    assert response.usage is not None and response.usage.total_tokens == 7
    sent = upstream[0].received[-1]
    assert sent.path == "/api/chat"
    assert sent.body["options"] == {"temperature": 0.1, "num_predict": 16, "num_ctx": 8192}


def test_a_stream_through_the_gateway_ends_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="llama",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two "
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 7


def test_a_model_that_is_not_pulled_is_a_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="missing", messages=[{"role": "user", "content": "x"}])
    assert "llama9" in str(caught.value)
