"""A scriptable chat/embeddings provider and a directory to find it by name."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from switchboard.domain.chat import ChatChunk, ChatResponse, Choice, ChunkChoice, Delta, ResponseMessage
from switchboard.domain.embeddings import Embedding, EmbeddingResponse, EmbeddingUsage
from switchboard.domain.errors import BadRequest, SwitchboardError
from switchboard.domain.params import OPENAI_CHAT_PARAMS
from switchboard.domain.ports.providers import (
    ChatCall,
    ChatProvider,
    EmbeddingCall,
    EmbeddingProvider,
    ProviderDirectory,
)
from switchboard.domain.usage import Usage


@dataclass
class FakeChatProvider(ChatProvider, EmbeddingProvider):
    """Answers ``text`` (in ``pieces`` for streams), or raises ``error``; records every call."""

    text: str = "hello world"
    pieces: tuple[str, ...] = ("hello ", "world")
    usage: Usage | None = field(default_factory=lambda: Usage.of(3, 2))
    error: SwitchboardError | None = None
    delay: float = 0.0
    supported: frozenset[str] = OPENAI_CHAT_PARAMS  # what its directory says it takes
    calls: list[ChatCall] = field(default_factory=list)
    open_streams: int = 0

    async def complete(self, call: ChatCall) -> ChatResponse:
        self.calls.append(call)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error:
            raise self.error
        return ChatResponse(
            id="chatcmpl-fake",
            created=1,
            model=call.deployment.model,
            choices=[Choice(message=ResponseMessage(content=self.text))],
            usage=self.usage,
        )

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        self.calls.append(call)
        if self.error:
            raise self.error
        self.open_streams += 1
        try:
            yield self._chunks(call)
        finally:
            self.open_streams -= 1

    async def _chunks(self, call: ChatCall) -> AsyncIterator[ChatChunk]:
        def chunk(delta: Delta, finish: str | None = None) -> ChatChunk:
            return ChatChunk(
                id="c",
                created=1,
                model=call.deployment.model,
                choices=[ChunkChoice(delta=delta, finish_reason=finish)],
            )

        for piece in self.pieces:
            if self.delay:
                await asyncio.sleep(self.delay)
            yield chunk(Delta(content=piece))
        yield chunk(Delta(), "stop")
        if self.usage is not None:
            yield ChatChunk(id="c", created=1, model=call.deployment.model, usage=self.usage)

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        if self.error:
            raise self.error
        data = [Embedding(index=i, embedding=[float(i)]) for i, _ in enumerate(call.request.inputs)]
        return EmbeddingResponse(
            data=data, model=call.deployment.model, usage=EmbeddingUsage(prompt_tokens=4, total_tokens=4)
        )


class FakeProviderDirectory(ProviderDirectory):
    """Every provider name maps to the one given provider (or to a named one); ``embedders``
    serve the embeddings of the providers they name."""

    def __init__(
        self,
        default: FakeChatProvider,
        *,
        embedders: Mapping[str, EmbeddingProvider] | None = None,
        **named: FakeChatProvider,
    ) -> None:
        self._default = default
        self._named = named
        self._embedders = dict(embedders or {})

    def chat_params(self, provider: str, model: str) -> frozenset[str]:
        return self._named.get(provider, self._default).supported

    def chat(self, provider: str) -> ChatProvider:
        return self._named.get(provider, self._default)

    def embeddings(self, provider: str) -> EmbeddingProvider:
        if provider == "no-embeddings":
            raise BadRequest("no embeddings")
        if provider in self._embedders:
            return self._embedders[provider]
        return self._named.get(provider, self._default)
