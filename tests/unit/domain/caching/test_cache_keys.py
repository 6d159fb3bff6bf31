"""Cache keys: what changes the answer changes the key; nothing else does."""

from __future__ import annotations

from typing import Any

import pytest

from switchboard.domain.caching.keys import chat_key, embedding_keys, prompt_text, semantic_scope
from switchboard.domain.chat import ChatRequest
from switchboard.domain.embeddings import EmbeddingRequest

BASE: dict[str, Any] = {"model": "gpt", "messages": [{"role": "user", "content": "What is 2+2?"}]}


def key(**changes: Any) -> str:
    return chat_key("", ChatRequest.model_validate({**BASE, **changes}))


@pytest.mark.parametrize(
    "changes",
    [
        {"model": "other-group"},
        {"messages": [{"role": "user", "content": "What is 2+3?"}]},
        {"messages": [{"role": "system", "content": "Be terse."}, *BASE["messages"]]},
        {"temperature": 0.2},
        {"top_p": 0.5},
        {"seed": 7},
        {"stop": ["\n"]},
        {"max_tokens": 10},
        {"max_completion_tokens": 10},
        {"n": 2},
        {"response_format": {"type": "json_object"}},
        {"tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]},
        {"tool_choice": "required"},
        {"frequency_penalty": 1.0},
        {"logit_bias": {"50256": -100}},
        {"top_k": 5},  # a provider-specific parameter: kept, it may change the answer
        {"mock_response": "scripted"},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_what_changes_the_answer_changes_the_key(changes: dict[str, Any]) -> None:
    assert key(**changes) != key()


@pytest.mark.parametrize(
    "changes",
    [
        {"stream": True},
        {"stream": True, "stream_options": {"include_usage": True}},
        {"user": "alice"},
        {"metadata": {"trace": "abc"}},
        {"cache": {"ttl": 60}},
        {"caching": True},
        {"tags": ["a"]},
        {"timeout": 30},
        {"num_retries": 3},
        {"fallbacks": ["other"]},
        {"store": True},
        {"service_tier": "flex"},
        {"mock_latency_ms": 5},
    ],
    ids=lambda changes: "+".join(changes),
)
def test_what_cannot_change_the_answer_leaves_the_key(changes: dict[str, Any]) -> None:
    assert key(**changes) == key()


def test_object_key_order_does_not_matter() -> None:
    schema_a = {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}
    schema_b = {"required": ["x"], "properties": {"x": {"type": "string"}}, "type": "object"}

    def tool(schema: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"type": "function", "function": {"name": "f", "parameters": schema}}]

    assert key(tools=tool(schema_a)) == key(tools=tool(schema_b))


def test_the_prefix_keeps_namespaces_apart() -> None:
    request = ChatRequest.model_validate(BASE)
    assert chat_key("team=a:", request) != chat_key("team=b:", request)
    assert chat_key("team=a:", request).startswith("team=a:chat:")


def test_a_key_is_a_sha256_hex_digest_after_its_prefix() -> None:
    digest = key().removeprefix("chat:")
    assert len(digest) == 64 and int(digest, 16) >= 0


def test_the_semantic_scope_ignores_the_messages_but_not_the_parameters() -> None:
    def scope(**changes: Any) -> str:
        return semantic_scope("", ChatRequest.model_validate({**BASE, **changes}))

    assert scope(messages=[{"role": "user", "content": "Something else"}]) == scope()
    assert scope(temperature=0.9) != scope()
    assert scope(model="other") != scope()


def test_the_prompt_text_names_each_role() -> None:
    request = ChatRequest.model_validate(
        {"model": "m", "messages": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi"}]}
    )
    assert prompt_text(request) == "system: Be kind.\nuser: Hi"


def test_a_prompt_with_an_image_has_no_prompt_text() -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    request = ChatRequest.model_validate(
        {"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"}, image]}]}
    )
    assert prompt_text(request) is None


def embed_keys(**fields: Any) -> list[str]:
    return embedding_keys("", EmbeddingRequest.model_validate({"model": "emb", "input": ["a", "b", "a"], **fields}))


def test_each_embedding_item_has_its_own_key_and_equal_items_share_one() -> None:
    a, b, a_again = embed_keys()
    assert a != b and a == a_again


def test_an_embedding_items_key_does_not_depend_on_its_batch() -> None:
    alone = embedding_keys("", EmbeddingRequest(model="emb", input="b"))
    assert alone == [embed_keys()[1]]


@pytest.mark.parametrize(
    "changes", [{"model": "other"}, {"dimensions": 8}, {"encoding_format": "base64"}], ids=lambda c: next(iter(c))
)
def test_embedding_parameters_change_every_items_key(changes: dict[str, Any]) -> None:
    assert set(embed_keys(**changes)).isdisjoint(embed_keys())


def test_an_explicit_float_encoding_is_the_default_one() -> None:
    assert embed_keys(encoding_format="float") == embed_keys()
    assert embed_keys(user="alice") == embed_keys()
