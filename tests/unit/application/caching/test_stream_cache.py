"""Streams and the cache: a hit streams back as chunks; a streamed miss is stored only when whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta
from switchboard.domain.errors import ProviderUnavailable
from switchboard.domain.ports.providers import ChatCall
from switchboard.domain.usage import Usage
from tests.fakes.providers import FakeChatProvider
from tests.support.caching import Cached, cached
from tests.unit.application.caching.test_chat_cache import CTX, chat

LONG = "This answer is long enough to be replayed from the cache in more than one chunk of text."


async def read(gateway: Cached, **fields: object) -> list[ChatChunk]:
    async with gateway.chat.stream(chat(stream=True, **fields), CTX) as stream:
        return [c async for c in stream]


async def test_a_cached_answer_streams_back_in_chunks() -> None:
    gateway = cached(FakeChatProvider(text=LONG))
    await gateway.chat.complete(chat(), CTX)
    chunks = await read(gateway)
    assert "".join(c.text for c in chunks) == LONG
    assert len([c for c in chunks if c.text]) > 1
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert len(gateway.provider.calls) == 1


async def test_a_cached_stream_ends_with_usage_only_when_asked() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    quiet = await read(gateway)
    asked = await read(gateway, stream_options={"include_usage": True})
    assert all(c.usage is None for c in quiet)
    assert asked[-1].usage == Usage.of(3, 2) and asked[-1].choices == []


async def test_a_cached_stream_is_marked_and_settled_as_a_free_hit() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    async with gateway.chat.stream(chat(stream=True), CTX) as stream:
        [c async for c in stream]
    assert (stream.route.cache_hit, stream.route.cost) == (True, 0.0)
    outcome, _ = gateway.hook.settled[-1]
    assert (outcome.cache_hit, outcome.cost, outcome.completed) == (True, 0.0, True)
    assert outcome.usage == Usage.of(3, 2)


async def test_a_streamed_answer_is_stored_when_the_stream_ends() -> None:
    gateway = cached(FakeChatProvider(pieces=("hello ", "world")))
    await read(gateway)
    response = await gateway.chat.complete(chat(), CTX)
    assert response.text == "hello world"
    assert response.route is not None and response.route.cache_hit
    assert response.usage == Usage.of(3, 2)
    assert len(gateway.provider.calls) == 1


async def test_an_abandoned_stream_is_not_stored() -> None:
    gateway = cached(FakeChatProvider(pieces=("a ", "b ", "c")))
    async with gateway.chat.stream(chat(stream=True), CTX) as stream:
        async for _ in stream:
            break
    await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 2


class CutProvider(FakeChatProvider):
    """Streams one piece, then the upstream drops."""

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        self.calls.append(call)

        async def chunks() -> AsyncIterator[ChatChunk]:
            yield ChatChunk(id="c", created=1, model="m", choices=[ChunkChoice(delta=Delta(content="half "))])
            raise ProviderUnavailable("connection dropped", provider="fake")

        yield chunks()


async def test_a_stream_cut_by_the_upstream_is_not_stored() -> None:
    gateway = cached(CutProvider())
    with pytest.raises(ProviderUnavailable):
        await read(gateway)
    gateway.provider.calls.clear()
    await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 1


async def test_a_request_with_no_store_streams_without_storing() -> None:
    gateway = cached()
    await read(gateway, cache={"no-store": True})
    await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 2


async def test_leaving_a_cached_stream_early_settles_it_as_not_completed() -> None:
    gateway = cached(FakeChatProvider(text=LONG))
    await gateway.chat.complete(chat(), CTX)
    async with gateway.chat.stream(chat(stream=True), CTX) as stream:
        async for _ in stream:
            break
    outcome, _ = gateway.hook.settled[-1]
    assert outcome.cache_hit and not outcome.completed
