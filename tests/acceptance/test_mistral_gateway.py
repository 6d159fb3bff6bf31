"""The official openai SDK -> the real gateway -> a fake Mistral API, all on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import orjson
import pytest

from tests.support.asgi_upstream import Answer, AsgiUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"
USAGE = {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}


class MistralUpstream(AsgiUpstream):
    """Echoes the last user message; rejects unknown fields with a 422 like the real API."""

    KNOWN = frozenset({"model", "messages", "temperature", "max_tokens", "random_seed", "stream", "safe_prompt"})

    def answer(self, path: str, body: dict[str, Any]) -> Answer:
        unknown = sorted(set(body) - self.KNOWN)
        if unknown:
            detail = [
                {"type": "extra_forbidden", "loc": ["body", name], "msg": "Extra inputs are not permitted"}
                for name in unknown
            ]
            return Answer(422, {"detail": detail})
        text = "echo: " + str(body["messages"][-1]["content"])
        head = {"id": "cmpl-1", "created": 1702256327, "model": body["model"]}
        if not body.get("stream"):
            message = {"role": "assistant", "content": text}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            return Answer(json={**head, "object": "chat.completion", "choices": [choice], "usage": USAGE})
        chunks = [
            {
                **head,
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {"content": w + " "}}],
            }
            for w in text.split(" ")
        ]
        last = {"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}
        chunks.append({**head, "object": "chat.completion.chunk", "choices": [last], "usage": USAGE})
        pieces = [b"data: " + orjson.dumps(c) + b"\n\n" for c in chunks]
        return Answer(pieces=[*pieces, b"data: [DONE]\n\n"], content_type="text/event-stream")


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[MistralUpstream, str]]:
    app = MistralUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def client(upstream: tuple[MistralUpstream, str]) -> Iterator[openai.OpenAI]:
    _, url = upstream
    params = {
        "model": "mistral/mistral-small-latest",
        "api_base": f"{url}/v1",
        "api_key": "mistral-upstream-key",
    }
    config = {
        "model_list": [{"model_name": "mistral-small", "litellm_params": {**params, "safe_prompt": True}}],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield openai.OpenAI(base_url=f"{base}/v1", api_key=MASTER_KEY, max_retries=0)


def test_chat_through_the_gateway_sends_only_what_mistral_accepts(
    client: openai.OpenAI, upstream: tuple[MistralUpstream, str]
) -> None:
    response = client.chat.completions.create(
        model="mistral-small",
        messages=[{"role": "user", "content": "hello"}],
        seed=3,
        max_completion_tokens=20,
        user="someone",
    )
    assert response.choices[0].message.content == "echo: hello"
    sent = upstream[0].received[-1].body
    assert (sent["random_seed"], sent["max_tokens"], sent["safe_prompt"]) == (3, 20, True)


def test_a_stream_through_the_gateway_ends_with_usage(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="mistral-small",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two "
    assert chunks[-1].choices == [] and chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 7


def test_an_unsupported_parameter_is_refused_by_the_gateway_before_mistral(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="mistral-small", messages=[{"role": "user", "content": "x"}], logit_bias={"1": 1}
        )
    assert "logit_bias" in str(caught.value)


def test_an_upstream_validation_error_is_a_400_naming_the_field(client: openai.OpenAI) -> None:
    # This fake Mistral knows no "top_k", as an older API version would not.
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="mistral-small", messages=[{"role": "user", "content": "x"}], extra_body={"top_k": 5}
        )
    assert "top_k: Extra inputs are not permitted" in str(caught.value)
    assert "mistral-upstream-key" not in str(caught.value)
