"""The facade's Responses calls (``Client().responses``), on the built-in mock model."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from switchboard import AsyncClient, Client

CONFIG = {"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/m", "mock_response": "Canned."}}]}


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(CONFIG) as blocking:
        yield blocking


@pytest.fixture
async def async_client() -> AsyncIterator[AsyncClient]:
    async with AsyncClient(CONFIG) as core:
        yield core


def test_responses_returns_a_response(client: Client) -> None:
    response = client.responses("m", "hello", instructions="be brief")
    assert response.output_text == "Canned."
    assert response.route is not None and response.route.provider == "mock"


def test_a_stored_response_carries_the_conversation_on(client: Client) -> None:
    first = client.responses("m", "hello")
    assert client.responses("m", "again", previous_response_id=first.id).output_text == "Canned."


def test_a_streamed_response_is_an_iterator_of_events(client: Client) -> None:
    events = list(client.responses("m", "hello", stream=True))
    assert events[0]["type"] == "response.created" and events[-1]["type"] == "response.completed"
    assert "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta") == "Canned."


async def test_the_async_stream_closes_when_left_and_knows_its_usage(async_client: AsyncClient) -> None:
    async with await async_client.responses("m", "hello", stream=True) as stream:
        kinds = [event["type"] async for event in stream]
    assert kinds[0] == "response.created"
    assert stream.usage is not None
