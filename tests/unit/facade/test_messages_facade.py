"""The facade's Anthropic Messages: whole, streamed, sync and async, on the built-in mock model
(which does not speak Messages, so the request goes through chat, translated)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from switchboard import AsyncClient, Client
from switchboard.domain.anthropic_messages.events import OtherEvent
from switchboard.domain.anthropic_messages.wire import ContentBlockDelta, MessageDelta, TextBlock, TextDelta

CONFIG = {"model_list": [{"model_name": "m", "litellm_params": {"model": "mock/m", "mock_response": "Canned."}}]}
HELLO = [{"role": "user", "content": "hello"}]


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(CONFIG) as blocking:
        yield blocking


@pytest.fixture
async def async_client() -> AsyncIterator[AsyncClient]:
    async with AsyncClient(CONFIG) as core:
        yield core


def test_messages_returns_an_anthropic_message(client: Client) -> None:
    message = client.messages("m", HELLO, max_tokens=20, system="Be brief.")
    assert isinstance(message.content[0], TextBlock) and message.text == "Canned."
    assert message.stop_reason == "end_turn" and message.model == "m"
    assert message.route is not None and message.route.provider == "mock"


def test_a_streamed_message_is_an_iterator_of_anthropic_events(client: Client) -> None:
    events = list(client.messages("m", HELLO, max_tokens=20, stream=True))
    assert [event.type for event in events][:2] == ["message_start", "ping"]
    text = "".join(e.delta.text for e in events if isinstance(e, ContentBlockDelta) and isinstance(e.delta, TextDelta))
    assert text == "Canned."
    assert not any(isinstance(event, OtherEvent) for event in events)
    assert isinstance(events[-2], MessageDelta) and events[-1].type == "message_stop"


async def test_the_async_message_stream_reports_its_usage_when_read(async_client: AsyncClient) -> None:
    async with await async_client.messages("m", HELLO, max_tokens=20, stream=True) as stream:
        kinds = [event.type async for event in stream]
    assert kinds[-1] == "message_stop"
    assert stream.usage is not None and stream.usage.completion_tokens > 0


async def test_a_request_level_mock_response_answers_without_an_upstream(async_client: AsyncClient) -> None:
    message = await async_client.messages("m", HELLO, max_tokens=20, mock_response="Mocked here.")
    assert message.text == "Mocked here."
