"""Azure OpenAI through a real gateway on 127.0.0.1: the official openai SDK as the caller, a
fake Azure resource and Entra ID token endpoint as the upstream."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.support.azure_upstream import API_KEY, CLIENT_SECRET, AzureUpstream
from tests.support.servers import serve_asgi, serve_gateway


@pytest.fixture(scope="module")
def upstream() -> Iterator[tuple[AzureUpstream, str]]:
    app = AzureUpstream()
    with serve_asgi(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def gateway(upstream: tuple[AzureUpstream, str]) -> Iterator[str]:
    _, url = upstream
    config = {
        "model_list": [
            {
                "model_name": "gpt-4o",
                "litellm_params": {
                    "model": "azure/gpt4o-prod",
                    "api_base": url,
                    "api_key": API_KEY,
                    "api_version": "2024-10-21",
                },
            },
            {
                "model_name": "gpt-4o-entra",
                "litellm_params": {
                    "model": "azure/gpt4o-prod",
                    "api_base": url,
                    "tenant_id": "tenant-1",
                    "client_id": "client-1",
                    "client_secret": CLIENT_SECRET,
                    "azure_authority_host": url,
                },
            },
        ]
    }
    with serve_gateway(config) as base:
        yield base


@pytest.fixture
def client(gateway: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key="unused", max_retries=0)


def test_chat_reaches_the_deployment_with_the_key(client: openai.OpenAI, upstream: tuple[AzureUpstream, str]) -> None:
    response = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hello"}])
    assert response.choices[0].message.content == "azure says: hello"
    assert upstream[0].paths[-1] == "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"
    assert upstream[0].authorizations[-1] == f"api-key {API_KEY}"


def test_a_stream_arrives_without_azures_prompt_filter_chunk(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "one two"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "azure says: one two"
    assert chunks[-1].usage is not None


def test_a_content_filter_refusal_is_a_content_policy_violation(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "violence"}])
    assert caught.value.code == "content_policy_violation"
    assert "filtered: violence" in str(caught.value)


def test_entra_client_credentials_get_one_token_for_many_calls(
    client: openai.OpenAI, upstream: tuple[AzureUpstream, str]
) -> None:
    for word in ("one", "two"):
        response = client.chat.completions.create(model="gpt-4o-entra", messages=[{"role": "user", "content": word}])
        assert response.choices[0].message.content == f"azure says: {word}"
    assert upstream[0].tokens_issued == 1
    assert upstream[0].authorizations[-2:] == ["Bearer token-1", "Bearer token-1"]
    assert upstream[0].paths[-1].endswith("api-version=2025-04-01-preview")
