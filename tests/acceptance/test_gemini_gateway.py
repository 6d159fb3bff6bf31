"""The official openai SDK against a real gateway on 127.0.0.1, in front of a fake Google upstream
(Gemini API, Vertex AI and the OAuth token endpoint) on another loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import orjson
import pytest

from tests.support.gemini_upstream import API_KEY, GoogleUpstream
from tests.support.google_auth import service_account
from tests.support.servers import serve_asgi, serve_gateway

MASTER_KEY = "sk-gateway-master"


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[GoogleUpstream, str]]:
    app = GoogleUpstream()
    with serve_asgi(app) as url:
        app.base_url = url
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[GoogleUpstream, str]) -> Iterator[str]:
    _, url = upstream
    gemini = {"api_base": f"{url}/v1beta", "api_key": API_KEY}
    vertex = {
        "api_base": url,  # a host only: Vertex paths go to the fake, as in LiteLLM
        "vertex_project": "test-project",
        "vertex_location": "europe-west4",
        "vertex_credentials": orjson.dumps(service_account(f"{url}/token")).decode(),
    }
    config = {
        "model_list": [
            {"model_name": "gemini-chat", "litellm_params": {"model": "gemini/gemini-2.5-flash", **gemini}},
            {"model_name": "gemini-limited", "litellm_params": {"model": "gemini/fail-429", **gemini}},
            {"model_name": "gemini-blocked", "litellm_params": {"model": "gemini/blocked", **gemini}},
            {
                "model_name": "gemini-embed",
                "litellm_params": {"model": "gemini/gemini-embedding-001", **gemini},
            },
            {
                "model_name": "vertex-chat",
                "litellm_params": {"model": "vertex_ai/gemini-2.5-flash", **vertex},
            },
        ],
        "general_settings": {"master_key": MASTER_KEY},
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key=MASTER_KEY, max_retries=0)


def test_gemini_chat_through_the_gateway(client: openai.OpenAI) -> None:
    response = client.chat.completions.create(
        model="gemini-chat",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}],
    )
    assert response.choices[0].message.content == "echo: hello"
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None and response.usage.total_tokens == 7


def test_gemini_stream_through_the_gateway(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gemini-chat",
        messages=[{"role": "user", "content": "one two three"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo: one two three"
    assert any(c.choices and c.choices[0].finish_reason == "stop" for c in chunks)
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 7


def test_a_gemini_quota_error_is_a_rate_limit_with_google_s_retry_delay(client: openai.OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="gemini-limited", messages=[{"role": "user", "content": "x"}])
    assert caught.value.response.headers["retry-after"] == "3"
    assert API_KEY not in str(caught.value)


def test_a_blocked_prompt_is_a_content_policy_error(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="gemini-blocked", messages=[{"role": "user", "content": "x"}])
    assert caught.value.code == "content_policy_violation"


def test_gemini_embeddings_through_the_gateway(client: openai.OpenAI) -> None:
    response = client.embeddings.create(model="gemini-embed", input=["a", "b"])
    assert [d.embedding for d in response.data] == [[0.5, 0.0], [0.5, 1.0]]


def test_vertex_chat_signs_in_once_with_the_service_account(
    client: openai.OpenAI, upstream: tuple[GoogleUpstream, str]
) -> None:
    app, _ = upstream
    for word in ("first", "second"):
        response = client.chat.completions.create(model="vertex-chat", messages=[{"role": "user", "content": word}])
        assert response.choices[0].message.content == f"echo: {word}"
    assert app.state.token_exchanges == 1
    assert (
        "/v1/projects/test-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent"
        in (app.state.paths)
    )
