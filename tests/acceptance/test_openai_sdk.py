"""The official openai SDK, pointed at a real gateway on 127.0.0.1 in front of a fake OpenAI upstream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[OpenAIUpstream, str]]:
    app = OpenAIUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[OpenAIUpstream, str]) -> Iterator[str]:
    _, url = upstream
    config = {
        "model_list": [
            {
                "model_name": "gpt-test",
                "litellm_params": {
                    "model": "openai/gpt-test",
                    "api_base": f"{url}/v1",
                    "api_key": "sk-upstream-key",
                },
            },
            {
                "model_name": "embed-test",
                "litellm_params": {
                    "model": "openai/embed-test",
                    "api_base": f"{url}/v1",
                    "api_key": "sk-upstream-key",
                },
            },
            {
                "model_name": "broken",
                "litellm_params": {
                    "model": "openai/fail-401",
                    "api_base": f"{url}/v1",
                    "api_key": "sk-upstream-key",
                },
            },
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0)


def test_chat_completion_through_the_gateway(client: openai.OpenAI) -> None:
    response = client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hello"}])
    assert response.choices[0].message.content == "echo: hello"
    assert response.usage is not None and response.usage.total_tokens == 7


def test_streamed_chat_completion_through_the_gateway(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gpt-test",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two "
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 7


def test_stream_without_include_usage_gets_no_usage_chunk(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "x"}], stream=True)
    assert all(c.usage is None for c in stream)


def test_embeddings_through_the_gateway(client: openai.OpenAI) -> None:
    response = client.embeddings.create(model="embed-test", input=["a", "b"])
    assert [d.index for d in response.data] == [0, 1]


def test_unknown_model_is_a_not_found_error(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
    assert caught.value.code == "model_not_found"


def test_a_bad_body_is_a_bad_request_error(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        # A message the SDK's types refuse, sent anyway: the gateway must refuse it too.
        wizard = cast("list[ChatCompletionMessageParam]", [{"role": "wizard", "content": "x"}])
        client.chat.completions.create(model="gpt-test", messages=wizard)
    assert "messages[0]" in str(caught.value)


def test_a_wrong_gateway_key_is_an_authentication_error(gateway: str) -> None:
    client = openai.OpenAI(base_url=f"{gateway}/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "x"}])


def test_an_upstream_auth_failure_never_shows_the_upstream_key(client: openai.OpenAI) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        client.chat.completions.create(model="broken", messages=[{"role": "user", "content": "x"}])
    assert "sk-secret-upstream-key" not in str(caught.value)
    assert "sk-upstream-key" not in str(caught.value)
