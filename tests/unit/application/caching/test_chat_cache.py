"""ChatService with a response cache: hits, per-request controls, expiry, tenants, failures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from switchboard.domain.caching.policy import CachePolicy
from switchboard.domain.chat import ChatRequest
from switchboard.domain.context import CallContext
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.cache import ResponseCache
from switchboard.domain.principal import Principal, PrincipalKind
from switchboard.domain.usage import Usage
from tests.support.caching import cached

CTX = CallContext(request_id="req-1")


def chat(**fields: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": "gpt", "messages": [{"role": "user", "content": "hi there"}], **fields})


class BrokenCache(ResponseCache):
    """A backend that is down."""

    async def get(self, key: str) -> bytes | None:
        raise ConnectionError("cache down")

    async def get_many(self, keys: Sequence[str]) -> list[bytes | None]:
        raise ConnectionError("cache down")

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        raise ConnectionError("cache down")

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        raise ConnectionError("cache down")

    async def delete(self, key: str) -> None:
        raise ConnectionError("cache down")

    async def aclose(self) -> None:
        return None


async def test_a_repeated_request_is_answered_from_the_cache() -> None:
    gateway = cached()
    first = await gateway.chat.complete(chat(), CTX)
    second = await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 1
    assert second.model_dump() == first.model_dump()


async def test_a_hit_is_marked_and_costs_nothing() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    response = await gateway.chat.complete(chat(), CTX)
    assert response.route is not None
    assert (response.route.cache_hit, response.route.cost) == (True, 0.0)
    assert (response.route.deployment_id, response.route.provider) == ("gpt-1", "fake")
    (miss, _), (hit, _) = gateway.hook.settled
    assert (miss.cache_hit, hit.cache_hit) == (False, True)
    assert hit.cost == 0.0
    assert hit.usage == Usage.of(3, 2)  # the usage as cached
    assert hit.ok and hit.deployment is None


async def test_a_hit_never_reaches_the_provider_even_when_it_is_failing() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    gateway.provider.error = BadRequest("the provider would refuse now")
    assert (await gateway.chat.complete(chat(), CTX)).text == "hello world"


async def test_a_request_with_other_parameters_misses() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    await gateway.chat.complete(chat(temperature=0.1), CTX)
    assert len(gateway.provider.calls) == 2


async def test_no_cache_fetches_a_fresh_answer_and_stores_it() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    gateway.provider.text = "fresh"
    fresh = await gateway.chat.complete(chat(cache={"no-cache": True}), CTX)
    again = await gateway.chat.complete(chat(), CTX)
    assert fresh.text == again.text == "fresh"
    assert len(gateway.provider.calls) == 2


async def test_no_store_answers_without_storing() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(cache={"no-store": True}), CTX)
    await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 2


async def test_no_store_still_reads_what_is_cached() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    response = await gateway.chat.complete(chat(cache={"no-store": True}), CTX)
    assert response.route is not None and response.route.cache_hit


async def test_caching_false_neither_reads_nor_writes() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    await gateway.chat.complete(chat(caching=False), CTX)
    assert len(gateway.provider.calls) == 2


async def test_an_entry_expires_after_the_policys_ttl() -> None:
    gateway = cached(policy=CachePolicy(ttl=60))
    await gateway.chat.complete(chat(), CTX)
    gateway.clock.advance(59)
    await gateway.chat.complete(chat(), CTX)
    gateway.clock.advance(2)
    await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 2


async def test_the_requests_ttl_decides_how_long_its_answer_stays() -> None:
    gateway = cached(policy=CachePolicy(ttl=3600))
    await gateway.chat.complete(chat(cache={"ttl": 5}), CTX)
    gateway.clock.advance(6)
    await gateway.chat.complete(chat(), CTX)
    assert len(gateway.provider.calls) == 2


async def test_s_maxage_accepts_only_entries_younger_than_it() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(), CTX)
    gateway.clock.advance(30)
    young_enough = await gateway.chat.complete(chat(cache={"s-maxage": 60}), CTX)
    too_old = await gateway.chat.complete(chat(cache={"s-maxage": 10}), CTX)
    assert young_enough.route is not None and young_enough.route.cache_hit
    assert too_old.route is not None and not too_old.route.cache_hit
    assert len(gateway.provider.calls) == 2


async def test_a_requests_namespace_keeps_its_answers_apart() -> None:
    gateway = cached()
    await gateway.chat.complete(chat(cache={"namespace": "eval"}), CTX)
    await gateway.chat.complete(chat(), CTX)
    await gateway.chat.complete(chat(cache={"namespace": "eval"}), CTX)
    assert len(gateway.provider.calls) == 2


async def test_namespace_by_key_keeps_callers_apart() -> None:
    gateway = cached(policy=CachePolicy(namespace_by="key"))
    alice = CallContext("r1", Principal(PrincipalKind.MASTER, key_hash="a" * 64))
    bob = CallContext("r2", Principal(PrincipalKind.MASTER, key_hash="b" * 64))
    await gateway.chat.complete(chat(), alice)
    await gateway.chat.complete(chat(), bob)
    await gateway.chat.complete(chat(), alice)
    assert len(gateway.provider.calls) == 2


async def test_default_off_caches_only_requests_that_ask() -> None:
    gateway = cached(policy=CachePolicy(default_off=True))
    await gateway.chat.complete(chat(), CTX)
    await gateway.chat.complete(chat(), CTX)
    await gateway.chat.complete(chat(cache={"use-cache": True}), CTX)
    await gateway.chat.complete(chat(cache={"use-cache": True}), CTX)
    assert len(gateway.provider.calls) == 3


async def test_a_wrong_cache_control_is_refused_before_the_call_is_admitted() -> None:
    gateway = cached()
    with pytest.raises(BadRequest) as caught:
        await gateway.chat.complete(chat(cache={"ttl": -1}), CTX)
    assert caught.value.param == "cache.ttl"
    assert gateway.hook.admitted == [] and gateway.hook.settled == []
    assert gateway.provider.calls == []


async def test_a_cache_that_is_down_is_a_miss_not_a_failure() -> None:
    gateway = cached(backend=BrokenCache())
    await gateway.chat.complete(chat(), CTX)
    response = await gateway.chat.complete(chat(), CTX)
    assert response.text == "hello world"
    assert len(gateway.provider.calls) == 2
    assert gateway.store.stats.errors == 4


async def test_a_failed_call_is_not_cached() -> None:
    gateway = cached()
    gateway.provider.error = BadRequest("no")
    with pytest.raises(BadRequest):
        await gateway.chat.complete(chat(), CTX)
    gateway.provider.error = None
    response = await gateway.chat.complete(chat(), CTX)
    assert response.route is not None and not response.route.cache_hit
