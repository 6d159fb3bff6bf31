"""A request's ``mock_response`` is the answer, as in LiteLLM: no upstream is called, and the call is
still admitted, routed to a deployment (for the record), settled and emitted, with usage estimated.

Chat and legacy completions (native, and through chat) honour it, whole or streamed."""

from __future__ import annotations

import pytest

from switchboard.domain.chat import ChatRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.errors import RateLimited
from switchboard.domain.usage import Usage
from tests.fakes.endpoints import FakeUpstream
from tests.fakes.hooks import RecordingHook
from tests.support.endpoints import CTX, Gateway, gateway

CANNED = "a canned answer"
PROMPT = "say three words"  # the fake token counter counts words: 3 answer tokens, and
CHAT_USAGE = Usage.of(9, 3)  # a chat prompt's 3 words, 3 for its message and 3 for the reply
COMPLETION_USAGE = Usage.of(3, 3)


def chat(**fields: object) -> ChatRequest:
    body = {"model": "m", "messages": [{"role": "user", "content": PROMPT}], "mock_response": CANNED, **fields}
    return ChatRequest.model_validate(body)


def completion(**fields: object) -> CompletionRequest:
    return CompletionRequest.model_validate({"model": "m", "prompt": PROMPT, "mock_response": CANNED, **fields})


def assert_settled_without_upstream(g: Gateway, kind: str, usage: Usage = CHAT_USAGE) -> None:
    assert g.upstream.calls == [] and g.upstream.opened == 0
    [(outcome, _)] = g.hook.settled
    assert g.sink.outcomes == [outcome]
    assert outcome.ok and outcome.completed and outcome.info.kind == kind
    assert outcome.deployment is not None and outcome.deployment.id == "d1"
    assert outcome.usage == usage


async def test_a_chat_answer_is_the_mock_response() -> None:
    g = gateway()
    response = await g.chat.complete(chat(), CTX)
    assert response.text == CANNED
    assert response.usage == CHAT_USAGE
    assert response.route is not None and response.route.deployment_id == "d1"
    assert_settled_without_upstream(g, "chat")


async def test_a_chat_stream_streams_the_mock_response() -> None:
    g = gateway()
    async with g.chat.stream(chat(stream=True, stream_options={"include_usage": True}), CTX) as stream:
        chunks = [chunk async for chunk in stream]
    assert "".join(c.text for c in chunks) == CANNED
    assert chunks[-1].usage == CHAT_USAGE
    assert_settled_without_upstream(g, "chat")


async def test_a_native_completion_is_the_mock_response() -> None:
    g = gateway()
    response = await g.completions.complete(completion(), CTX)
    assert response.text == CANNED
    assert_settled_without_upstream(g, "completions", COMPLETION_USAGE)


async def test_a_native_completion_stream_streams_the_mock_response() -> None:
    g = gateway()
    async with g.completions.stream(completion(stream=True, stream_options={"include_usage": True}), CTX) as stream:
        chunks = [chunk async for chunk in stream]
    assert "".join(c.text for c in chunks) == CANNED
    assert chunks[-1].usage == COMPLETION_USAGE and chunks[-1].choices == []
    assert_settled_without_upstream(g, "completions", COMPLETION_USAGE)


async def test_a_completion_through_chat_is_the_mock_response() -> None:
    g = gateway(FakeUpstream(native_completions=False))
    response = await g.completions.complete(completion(), CTX)
    assert response.text == CANNED
    assert_settled_without_upstream(g, "chat")


async def test_a_call_a_hook_refuses_is_refused_even_with_a_mock_response() -> None:
    g = gateway(hooks=[RecordingHook("limits", refuse=RateLimited("slow down"))])
    with pytest.raises(RateLimited):
        await g.chat.complete(chat(), CTX)
    [outcome] = g.sink.outcomes
    assert isinstance(outcome.error, RateLimited)
