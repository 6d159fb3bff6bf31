"""One fake upstream serving every endpoint (chat, completions, embeddings, images,
transcriptions, speech; streams included), and a directory that finds it by provider name.

It answers at once, fails with ``error``, or, with a ``gate``, waits until the gate is set before
anything arrives (a gate never set: an upstream that never answers). It remembers every call it
was given and counts the streams it opened and closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from switchboard.domain.audio import SpeechAudio, Transcription
from switchboard.domain.chat import ChatChunk, ChatResponse, Choice, ChunkChoice, Delta, ResponseMessage
from switchboard.domain.completions import CompletionChoice, CompletionChunk, CompletionResponse
from switchboard.domain.embeddings import Embedding, EmbeddingResponse, EmbeddingUsage
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.images import ImageData, ImageResponse
from switchboard.domain.params import OPENAI_CHAT_PARAMS
from switchboard.domain.ports.endpoints import (
    CompletionCall,
    CompletionProvider,
    EndpointDirectory,
    ImageCall,
    ImageProvider,
    SpeechCall,
    SpeechProvider,
    TranscriptionCall,
    TranscriptionProvider,
)
from switchboard.domain.ports.providers import ChatCall, ChatProvider, EmbeddingCall, EmbeddingProvider
from switchboard.domain.usage import Usage

AnyCall = ChatCall | CompletionCall | EmbeddingCall | ImageCall | TranscriptionCall | SpeechCall
WORDS = ("one ", "two ", "three")


@dataclass
class FakeUpstream(
    ChatProvider, EmbeddingProvider, CompletionProvider, ImageProvider, TranscriptionProvider, SpeechProvider
):
    """Every endpoint of one provider. ``native_completions=False`` makes it chat-only for
    legacy completions (the gateway then bridges them through chat)."""

    error: SwitchboardError | None = None
    gate: asyncio.Event | None = None
    native_completions: bool = True
    usage: Usage | None = field(default_factory=lambda: Usage.of(3, 3))
    calls: list[AnyCall] = field(default_factory=list)
    called: asyncio.Event = field(default_factory=asyncio.Event)  # set by the first call
    opened: int = 0
    closed: int = 0

    async def _arrive(self, call: AnyCall) -> None:
        """What every call does before anything arrives: record, wait for the gate, maybe fail."""
        self.calls.append(call)
        self.called.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error

    @asynccontextmanager
    async def _opening(self, call: AnyCall) -> AsyncIterator[None]:
        await self._arrive(call)
        self.opened += 1
        try:
            yield
        finally:
            self.closed += 1

    # chat
    async def complete(self, call: ChatCall) -> ChatResponse:
        await self._arrive(call)
        message = ResponseMessage(content="".join(WORDS))
        return ChatResponse(
            id="chatcmpl-up", created=1, model="up", choices=[Choice(message=message)], usage=self.usage
        )

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        async with self._opening(call):
            yield self._chat_chunks()

    async def _chat_chunks(self) -> AsyncIterator[ChatChunk]:
        for word in WORDS:
            yield ChatChunk(id="c", created=1, model="up", choices=[ChunkChoice(delta=Delta(content=word))])
        yield ChatChunk(id="c", created=1, model="up", choices=[ChunkChoice(delta=Delta(), finish_reason="stop")])
        if self.usage is not None:
            yield ChatChunk(id="c", created=1, model="up", usage=self.usage)

    # legacy completions
    def offers(self, endpoint: str) -> bool:
        return endpoint != "completions" or self.native_completions

    async def complete_text(self, call: CompletionCall) -> CompletionResponse:
        await self._arrive(call)
        choice = CompletionChoice(text="".join(WORDS), finish_reason="stop")
        return CompletionResponse(id="cmpl-up", created=1, model="up", choices=[choice], usage=self.usage)

    @asynccontextmanager
    async def stream_text(self, call: CompletionCall) -> AsyncIterator[AsyncIterator[CompletionChunk]]:
        async with self._opening(call):
            yield self._text_chunks()

    async def _text_chunks(self) -> AsyncIterator[CompletionChunk]:
        for word in WORDS:
            yield CompletionChunk(id="cmpl-up", created=1, model="up", choices=[CompletionChoice(text=word)])
        stop = CompletionChoice(finish_reason="stop")
        yield CompletionChunk(id="cmpl-up", created=1, model="up", choices=[stop])
        if self.usage is not None:
            yield CompletionChunk(id="cmpl-up", created=1, model="up", usage=self.usage)

    # embeddings
    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        await self._arrive(call)
        data = [Embedding(index=i, embedding=[float(i)]) for i, _ in enumerate(call.request.inputs)]
        return EmbeddingResponse(data=data, model="up", usage=EmbeddingUsage(prompt_tokens=4, total_tokens=4))

    # media
    async def generate_images(self, call: ImageCall) -> ImageResponse:
        await self._arrive(call)
        return ImageResponse(created=1, data=[ImageData(url="https://img.test/1")])

    async def transcribe(self, call: TranscriptionCall) -> Transcription:
        await self._arrive(call)
        return Transcription(text="".join(WORDS), format=call.request.format)

    @asynccontextmanager
    async def speak(self, call: SpeechCall) -> AsyncIterator[SpeechAudio]:
        async with self._opening(call):
            yield SpeechAudio("audio/mpeg", self._audio())

    async def _audio(self) -> AsyncIterator[bytes]:
        for word in WORDS:
            yield word.encode()


class FakeEndpointDirectory(EndpointDirectory):
    """Every provider name is served by the one given upstream, on every endpoint it offers."""

    def __init__(self, upstream: FakeUpstream) -> None:
        self.upstream = upstream

    def chat_params(self, provider: str, model: str) -> frozenset[str]:
        return OPENAI_CHAT_PARAMS

    def chat(self, provider: str) -> ChatProvider:
        return self.upstream

    def embeddings(self, provider: str) -> EmbeddingProvider:
        return self.upstream

    def completions(self, provider: str) -> CompletionProvider | None:
        return self.upstream if self.upstream.native_completions else None

    def images(self, provider: str) -> ImageProvider:
        return self.upstream

    def transcriptions(self, provider: str) -> TranscriptionProvider:
        return self.upstream

    def speech(self, provider: str) -> SpeechProvider:
        return self.upstream
