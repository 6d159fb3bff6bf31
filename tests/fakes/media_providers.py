"""Fake adapters for the endpoints beyond chat: a chat-only provider that echoes the prompt,
one with a native completions endpoint, and one for images and audio. Each remembers what it
was asked. ``registry_serving`` declares one of them as a provider of the real registry."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from switchboard.adapters.outbound.providers.info import Adapters, Declarations, ProviderDeps, ProviderInfo
from switchboard.adapters.outbound.providers.registry import ProviderRegistry
from switchboard.domain.audio import SpeechAudio, Transcription
from switchboard.domain.chat import ChatChunk, ChatResponse, Choice, ChunkChoice, Delta, FinishReason, ResponseMessage
from switchboard.domain.completions import CompletionChoice, CompletionChunk, CompletionResponse
from switchboard.domain.images import ImageData, ImageResponse
from switchboard.domain.params import OPENAI_CHAT_PARAMS
from switchboard.domain.ports.endpoints import (
    CompletionCall,
    CompletionProvider,
    ImageCall,
    ImageProvider,
    SpeechCall,
    SpeechProvider,
    TranscriptionCall,
    TranscriptionProvider,
)
from switchboard.domain.ports.providers import ChatCall, ChatProvider
from switchboard.domain.usage import Usage
from tests.fakes.system import FakeClock, FakeIds, FakeTokenCounter
from tests.fakes.transport import UnusedTransport

# What the echo provider's declaration says its chat takes.
ECHO_CHAT_PARAMS = OPENAI_CHAT_PARAMS - {"logprobs", "top_logprobs"}


class EchoChatProvider(ChatProvider):
    """Chat only. Answers ``reply: <the user's text>`` in every choice; streams it word by word."""

    def __init__(self, *, usage: Usage | None = None, delay: float = 0.0) -> None:
        self.calls: list[ChatCall] = []
        self.closed_streams = 0
        self._usage = usage
        self._delay = delay

    def adapters(self) -> Adapters:
        return Adapters(chat=self)

    def _text(self, call: ChatCall) -> str:
        return f"reply: {call.request.messages[-1].content}"

    async def complete(self, call: ChatCall) -> ChatResponse:
        self.calls.append(call)
        await asyncio.sleep(self._delay)
        choices = [
            Choice(index=i, message=ResponseMessage(content=self._text(call))) for i in range(call.request.n or 1)
        ]
        return ChatResponse(id="chatcmpl-fake", created=1, model="up", choices=choices, usage=self._usage)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        self.calls.append(call)
        try:
            yield self._chunks(call)
        finally:
            self.closed_streams += 1

    async def _chunks(self, call: ChatCall) -> AsyncIterator[ChatChunk]:
        def chunk(delta: Delta, finish: FinishReason | None = None) -> ChatChunk:
            return ChatChunk(
                id="chatcmpl-fake",
                created=1,
                model="up",
                choices=[ChunkChoice(delta=delta, finish_reason=finish)],
            )

        yield chunk(Delta(role="assistant", content=""))
        for word in self._text(call).split(" "):
            await asyncio.sleep(self._delay)
            yield chunk(Delta(content=word + " "))
        yield chunk(Delta(), "stop")
        if self._usage is not None:
            yield ChatChunk(id="chatcmpl-fake", created=1, model="up", usage=self._usage)


class FakeTextProvider(EchoChatProvider, CompletionProvider):
    """Chat and a native completions endpoint, answering ``native: <prompt>``."""

    def __init__(self, *, usage: Usage | None = None, delay: float = 0.0) -> None:
        super().__init__(usage=usage, delay=delay)
        self.text_calls: list[CompletionCall] = []

    def adapters(self) -> Adapters:
        return Adapters(chat=self, completions=self)

    async def complete_text(self, call: CompletionCall) -> CompletionResponse:
        self.text_calls.append(call)
        await asyncio.sleep(self._delay)
        choice = CompletionChoice(text=f"native: {call.request.prompts[0]}", finish_reason="stop")
        return CompletionResponse(id="cmpl-fake", created=1, model="up", choices=[choice], usage=self._usage)

    @asynccontextmanager
    async def stream_text(self, call: CompletionCall) -> AsyncIterator[AsyncIterator[CompletionChunk]]:
        self.text_calls.append(call)
        try:
            yield self._text_chunks(call)
        finally:
            self.closed_streams += 1

    async def _text_chunks(self, call: CompletionCall) -> AsyncIterator[CompletionChunk]:
        await asyncio.sleep(self._delay)
        for piece in ("native: ", str(call.request.prompts[0])):
            yield CompletionChunk(id="cmpl-fake", created=1, model="up", choices=[CompletionChoice(text=piece)])
        yield CompletionChunk(id="cmpl-fake", created=1, model="up", choices=[CompletionChoice(finish_reason="stop")])
        if self._usage is not None:
            yield CompletionChunk(id="cmpl-fake", created=1, model="up", usage=self._usage)


class FakeMediaProvider(ImageProvider, TranscriptionProvider, SpeechProvider):
    """Images, transcriptions and speech; ``delay`` seconds before each answer."""

    def __init__(self, *, delay: float = 0.0) -> None:
        self.calls: list[ImageCall | TranscriptionCall | SpeechCall] = []
        self.closed_streams = 0
        self._delay = delay

    def adapters(self) -> Adapters:
        return Adapters(images=self, transcriptions=self, speech=self)

    async def generate_images(self, call: ImageCall) -> ImageResponse:
        self.calls.append(call)
        await asyncio.sleep(self._delay)
        return ImageResponse(
            created=1, data=[ImageData(url=f"https://img.test/{i}") for i in range(call.request.n or 1)]
        )

    async def transcribe(self, call: TranscriptionCall) -> Transcription:
        self.calls.append(call)
        await asyncio.sleep(self._delay)
        return Transcription(text=f"heard {len(call.request.file.content)} bytes", format=call.request.format)

    @asynccontextmanager
    async def speak(self, call: SpeechCall) -> AsyncIterator[SpeechAudio]:
        self.calls.append(call)
        await asyncio.sleep(self._delay)
        try:
            yield SpeechAudio("audio/mpeg", self._audio(call.request.input))
        finally:
            self.closed_streams += 1

    async def _audio(self, text: str) -> AsyncIterator[bytes]:
        for word in text.split():
            yield word.encode()


FakeAdapter = EchoChatProvider | FakeMediaProvider


def registry_serving(name: str, fake: FakeAdapter) -> ProviderRegistry:
    """The real registry, with ``fake`` declared as the one provider ``name``."""
    adapters = fake.adapters()
    info = ProviderInfo(
        name=name,
        title=name,
        endpoints=adapters.endpoints(),
        chat_params=lambda model: ECHO_CHAT_PARAMS,
        build=lambda deps: adapters,
    )
    deps = ProviderDeps(transport=UnusedTransport(), clock=FakeClock(), ids=FakeIds(), tokens=FakeTokenCounter())
    return ProviderRegistry(Declarations.of(info), deps)
