"""Embeddings are cached per input item: a batch sends upstream only what is not cached yet."""

from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.mock.replies import DEFAULT_DIMENSIONS, embedding_vector
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.usage import Usage
from tests.support.caching import cached
from tests.unit.application.caching.test_chat_cache import CTX


def embed(*items: str, **fields: Any) -> EmbeddingRequest:
    return EmbeddingRequest.model_validate({"model": "emb", "input": list(items), **fields})


async def test_a_repeated_batch_is_served_from_the_cache_for_nothing() -> None:
    gateway = cached()
    first = await gateway.embeddings.embed(embed("a", "b"), CTX)
    second = await gateway.embeddings.embed(embed("a", "b"), CTX)
    assert len(gateway.embedder.calls) == 1
    assert [d.embedding for d in second.data] == [d.embedding for d in first.data]
    assert second.route is not None and (second.route.cache_hit, second.route.cost) == (True, 0.0)
    outcome, _ = gateway.hook.settled[-1]
    assert (outcome.cache_hit, outcome.cost, outcome.usage) == (True, 0.0, Usage())


async def test_only_the_items_not_cached_go_upstream_and_the_order_is_kept() -> None:
    gateway = cached()
    await gateway.embeddings.embed(embed("b", "d"), CTX)
    response = await gateway.embeddings.embed(embed("a", "b", "c", "d"), CTX)
    assert gateway.embedder.inputs[-1] == ["a", "c"]
    assert [d.index for d in response.data] == [0, 1, 2, 3]
    assert [d.embedding for d in response.data] == [embedding_vector(t, DEFAULT_DIMENSIONS) for t in "abcd"]


async def test_a_partly_cached_batch_is_charged_for_what_went_upstream() -> None:
    gateway = cached()
    await gateway.embeddings.embed(embed("alpha beta"), CTX)
    response = await gateway.embeddings.embed(embed("alpha beta", "gamma"), CTX)
    assert response.usage.prompt_tokens == 1  # one word ("gamma") went upstream
    outcome, _ = gateway.hook.settled[-1]
    assert not outcome.cache_hit and outcome.usage is not None and outcome.usage.prompt_tokens == 1
    assert outcome.response is response


async def test_a_repeated_item_in_one_batch_is_sent_once() -> None:
    gateway = cached()
    response = await gateway.embeddings.embed(embed("x", "y", "x"), CTX)
    assert gateway.embedder.inputs == [["x", "y"]]
    assert response.data[0].embedding == response.data[2].embedding != response.data[1].embedding


async def test_a_single_string_input_is_cached_as_one_item() -> None:
    gateway = cached()
    await gateway.embeddings.embed(EmbeddingRequest(model="emb", input="solo"), CTX)
    response = await gateway.embeddings.embed(embed("solo", "new"), CTX)
    assert gateway.embedder.inputs[-1] == ["new"]
    assert response.data[0].embedding == embedding_vector("solo", DEFAULT_DIMENSIONS)


async def test_other_dimensions_are_other_entries() -> None:
    gateway = cached()
    await gateway.embeddings.embed(embed("a"), CTX)
    response = await gateway.embeddings.embed(embed("a", dimensions=8), CTX)
    assert len(gateway.embedder.calls) == 2
    assert len(response.data[0].embedding) == 8


async def test_base64_embeddings_are_cached_as_sent() -> None:
    gateway = cached()
    first = await gateway.embeddings.embed(embed("a", encoding_format="base64"), CTX)
    second = await gateway.embeddings.embed(embed("a", encoding_format="base64"), CTX)
    assert isinstance(second.data[0].embedding, str)
    assert second.data[0].embedding == first.data[0].embedding
    assert len(gateway.embedder.calls) == 1


async def test_no_cache_sends_every_item_again() -> None:
    gateway = cached()
    await gateway.embeddings.embed(embed("a"), CTX)
    await gateway.embeddings.embed(embed("a", cache={"no-cache": True}), CTX)
    assert gateway.embedder.inputs == [["a"], ["a"]]
