"""The Python facade: the same use cases as the gateway, in process."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard import AsyncClient, Client
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.errors import BadRequest, ModelNotFound, RateLimited

CONFIG: dict[str, Any] = {
    "model_list": [
        {"model_name": "mock", "litellm_params": {"model": "mock/mock", "mock_response": "one two three"}},
        {"model_name": "emb", "litellm_params": {"model": "mock/e"}},
        {"model_name": "busy", "litellm_params": {"model": "mock/b", "mock_error": {"status": 429}}},
    ]
}
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture(scope="module")
def client() -> Any:
    with Client(CONFIG) as sync_client:
        yield sync_client


def test_chat_returns_a_chat_response_with_route_and_usage(client: Client) -> None:
    response = client.chat(model="mock", messages=HI)
    assert isinstance(response, ChatResponse)
    assert response.text == "one two three"
    assert response.route is not None and response.route.provider == "mock"
    assert response.usage is not None and response.usage.total_tokens > 0


def test_stream_true_yields_chunks(client: Client) -> None:
    chunks = list(client.chat(model="mock", messages=HI, stream=True))
    assert all(isinstance(c, ChatChunk) for c in chunks)
    assert "".join(c.text for c in chunks) == "one two three"


def test_embed_returns_one_vector_per_input(client: Client) -> None:
    response = client.embed(model="emb", input=["a", "b", "c"])
    assert [d.index for d in response.data] == [0, 1, 2]


def test_models_lists_the_groups(client: Client) -> None:
    assert client.models() == ["mock", "emb", "busy"]


def test_bad_arguments_raise_bad_request_naming_the_field(client: Client) -> None:
    with pytest.raises(BadRequest) as caught:
        client.chat(model="mock", messages=HI, temperature="hot")
    assert caught.value.param == "temperature"


def test_errors_are_domain_errors(client: Client) -> None:
    with pytest.raises(ModelNotFound):
        client.chat(model="nope", messages=HI)
    with pytest.raises(RateLimited):
        client.chat(model="busy", messages=HI)


async def test_the_async_client_mirrors_the_sync_one() -> None:
    async with AsyncClient(CONFIG) as async_client:
        response = await async_client.chat(model="mock", messages=HI)
        stream = await async_client.chat(model="mock", messages=HI, stream=True)
        texts = [chunk.text async for chunk in stream]
    assert response.text == "".join(texts) == "one two three"
    assert stream.usage is not None


async def test_an_async_stream_left_early_is_closed() -> None:
    async with AsyncClient(CONFIG) as async_client:
        async with await async_client.chat(model="mock", messages=HI, stream=True) as stream:
            async for _ in stream:
                break
        assert stream.usage is not None  # settled with an estimate on close
