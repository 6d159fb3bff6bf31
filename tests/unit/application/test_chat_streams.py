"""ChatService streams: usage always known, usage chunk only when asked, upstream always closed."""

from __future__ import annotations

import pytest

from switchboard.application.hooks import HookPipeline
from switchboard.domain.errors import ProviderUnavailable
from switchboard.domain.usage import Usage
from tests.fakes.hooks import RecordingHook
from tests.fakes.providers import FakeChatProvider
from tests.unit.application.test_chat_service import CTX, chat, service


async def test_a_stream_delivers_every_piece_in_order() -> None:
    async with service().stream(chat(stream=True), CTX) as stream:
        texts = [c.text async for c in stream]
    assert "".join(texts) == "hello world"


async def test_the_usage_chunk_reaches_only_callers_who_asked() -> None:
    async with service().stream(chat(stream=True), CTX) as stream:
        quiet = [c async for c in stream]
    request = chat(stream=True, stream_options={"include_usage": True})
    async with service().stream(request, CTX) as stream:
        asked = [c async for c in stream]
    assert all(c.usage is None for c in quiet)
    assert asked[-1].usage == Usage.of(3, 2)


async def test_a_provider_without_usage_gets_an_estimated_usage_chunk() -> None:
    request = chat(stream=True, stream_options={"include_usage": True})
    async with service(FakeChatProvider(usage=None)).stream(request, CTX) as stream:
        chunks = [c async for c in stream]
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 2
    assert stream.usage == chunks[-1].usage


async def test_leaving_a_stream_early_closes_the_provider_stream() -> None:
    provider = FakeChatProvider(pieces=("a ", "b ", "c"))
    async with service(provider).stream(chat(stream=True), CTX) as stream:
        async for _ in stream:
            break
    assert provider.open_streams == 0


async def test_an_abandoned_stream_is_settled_as_not_completed() -> None:
    hook = RecordingHook()
    async with service(hooks=HookPipeline([hook])).stream(chat(stream=True), CTX) as stream:
        async for _ in stream:
            break
    [(outcome, _)] = hook.settled
    assert not outcome.completed
    assert outcome.usage is not None


async def test_a_finished_stream_is_settled_with_the_providers_usage() -> None:
    hook = RecordingHook()
    async with service(hooks=HookPipeline([hook])).stream(chat(stream=True), CTX) as stream:
        async for _ in stream:
            pass
    [(outcome, _)] = hook.settled
    assert outcome.completed
    assert outcome.usage == Usage.of(3, 2)
    assert outcome.time_to_first_token is not None


async def test_a_stream_that_cannot_open_raises_and_is_settled() -> None:
    hook = RecordingHook()
    provider = FakeChatProvider(error=ProviderUnavailable("down", provider="fake"))
    with pytest.raises(ProviderUnavailable):
        async with service(provider, hooks=HookPipeline([hook])).stream(chat(stream=True), CTX):
            pass
    [(outcome, _)] = hook.settled
    assert isinstance(outcome.error, ProviderUnavailable)
