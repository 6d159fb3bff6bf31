"""The semantic cache reuses an answer for a prompt similar enough to one answered before.

Prompts are embedded by the built-in mock provider: equal texts get equal vectors, and the
similarity of two different texts is fixed, so thresholds can be set around it exactly.
"""

from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.mock.replies import DEFAULT_DIMENSIONS, embedding_vector
from switchboard.domain.caching.vectors import cosine
from switchboard.domain.chat import ChatRequest
from tests.support.caching import cached
from tests.unit.application.caching.test_chat_cache import CTX


def ask(content: Any, **fields: Any) -> ChatRequest:
    return ChatRequest.model_validate({"model": "gpt", "messages": [{"role": "user", "content": content}], **fields})


def similarity(a: str, b: str) -> float:
    return cosine(
        embedding_vector(f"user: {a}", DEFAULT_DIMENSIONS), embedding_vector(f"user: {b}", DEFAULT_DIMENSIONS)
    )


async def test_the_same_prompt_in_another_shape_is_a_semantic_hit() -> None:
    gateway = cached(semantic_threshold=0.99)
    await gateway.chat.complete(ask("What is the capital of France?"), CTX)
    parts = [{"type": "text", "text": "What is the capital of France?"}]
    response = await gateway.chat.complete(ask(parts), CTX)  # another exact key, the same text
    assert response.route is not None and response.route.cache_hit
    assert len(gateway.provider.calls) == 1


async def test_a_prompt_above_the_threshold_reuses_the_answer() -> None:
    first, second = "Tell me about Paris", "Tell me about Lyon"
    gateway = cached(semantic_threshold=similarity(first, second) - 0.01)
    await gateway.chat.complete(ask(first), CTX)
    response = await gateway.chat.complete(ask(second), CTX)
    assert response.route is not None and response.route.cache_hit
    assert len(gateway.provider.calls) == 1


async def test_a_prompt_below_the_threshold_misses() -> None:
    first, second = "Tell me about Paris", "Tell me about Lyon"
    gateway = cached(semantic_threshold=similarity(first, second) + 0.01)
    await gateway.chat.complete(ask(first), CTX)
    response = await gateway.chat.complete(ask(second), CTX)
    assert response.route is not None and not response.route.cache_hit
    assert len(gateway.provider.calls) == 2


async def test_other_parameters_never_share_a_semantic_answer() -> None:
    gateway = cached(semantic_threshold=0.0)
    await gateway.chat.complete(ask("Hello"), CTX)
    await gateway.chat.complete(ask("Hello", temperature=0.3), CTX)
    assert len(gateway.provider.calls) == 2


async def test_prompts_are_embedded_through_the_embeddings_service() -> None:
    gateway = cached(semantic_threshold=0.99)
    await gateway.chat.complete(ask("What is the capital of France?"), CTX)
    assert gateway.embedder.inputs == [["user: What is the capital of France?"]]
    kinds = [outcome.info.kind for outcome, _ in gateway.hook.settled]
    assert kinds == ["embeddings", "chat"]


async def test_a_prompt_with_an_image_skips_the_semantic_cache() -> None:
    gateway = cached(semantic_threshold=0.0)
    image = {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}
    await gateway.chat.complete(ask([{"type": "text", "text": "What is it?"}, image]), CTX)
    assert gateway.embedder.calls == []
