"""Concurrent identical misses call the provider once; the others share its answer or its error."""

from __future__ import annotations

import asyncio

import pytest

from switchboard.domain.errors import ProviderUnavailable
from tests.fakes.providers import FakeChatProvider
from tests.support.caching import cached
from tests.unit.application.caching.test_chat_cache import CTX, chat


async def test_concurrent_identical_requests_call_the_provider_once() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))
    responses = await asyncio.gather(*(gateway.chat.complete(chat(), CTX) for _ in range(20)))
    assert len(gateway.provider.calls) == 1
    assert {r.text for r in responses} == {"hello world"}
    hits = [r.route.cache_hit for r in responses if r.route is not None]
    assert (hits.count(False), hits.count(True)) == (1, 19)


async def test_the_shared_answer_costs_the_followers_nothing() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))
    await asyncio.gather(*(gateway.chat.complete(chat(), CTX) for _ in range(5)))
    costs = sorted((o.cost is None, o.cost) for o, _ in gateway.hook.settled)
    assert costs == [(False, 0.0)] * 4 + [(True, None)]


async def test_followers_get_the_leaders_error() -> None:
    failure = ProviderUnavailable("upstream down", provider="fake")
    gateway = cached(FakeChatProvider(delay=0.05, error=failure))
    results = await asyncio.gather(*(gateway.chat.complete(chat(), CTX) for _ in range(5)), return_exceptions=True)
    assert len(gateway.provider.calls) == 1
    assert all(isinstance(r, ProviderUnavailable) for r in results)
    assert all(not outcome.ok for outcome, _ in gateway.hook.settled)


async def test_different_requests_do_not_wait_for_each_other() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))
    await asyncio.gather(gateway.chat.complete(chat(), CTX), gateway.chat.complete(chat(seed=1), CTX))
    assert len(gateway.provider.calls) == 2


async def test_when_the_leader_is_cancelled_a_follower_takes_over() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))
    leader = asyncio.create_task(gateway.chat.complete(chat(), CTX))
    await asyncio.sleep(0.01)
    follower = asyncio.create_task(gateway.chat.complete(chat(), CTX))
    await asyncio.sleep(0.01)
    leader.cancel()
    response = await follower
    assert response.text == "hello world"
    assert len(gateway.provider.calls) == 2
    with pytest.raises(asyncio.CancelledError):
        await leader


async def test_a_cancelled_follower_leaves_the_flight_to_the_others() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))
    leader = asyncio.create_task(gateway.chat.complete(chat(), CTX))
    await asyncio.sleep(0.01)
    quitter = asyncio.create_task(gateway.chat.complete(chat(), CTX))
    stayer = asyncio.create_task(gateway.chat.complete(chat(), CTX))
    await asyncio.sleep(0.01)
    quitter.cancel()
    assert (await leader).text == (await stayer).text == "hello world"
    assert len(gateway.provider.calls) == 1


async def test_a_no_cache_request_does_not_join_a_flight() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))
    await asyncio.gather(gateway.chat.complete(chat(), CTX), gateway.chat.complete(chat(cache={"no-cache": True}), CTX))
    assert len(gateway.provider.calls) == 2


async def test_a_stream_waits_for_an_identical_call_in_flight_and_replays_its_answer() -> None:
    gateway = cached(FakeChatProvider(delay=0.05))

    async def streamed() -> str:
        async with gateway.chat.stream(chat(stream=True), CTX) as stream:
            return "".join([c.text async for c in stream])

    plain, texts = await asyncio.gather(gateway.chat.complete(chat(), CTX), streamed())
    assert plain.text == texts == "hello world"
    assert len(gateway.provider.calls) == 1
