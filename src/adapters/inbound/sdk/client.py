"""``AsyncClient`` (the one async core) and ``Client`` (a synchronous facade over it).

``Client`` runs the async core on a private event loop in a daemon thread, so it works from
plain scripts, from threads and from inside notebooks that already run a loop.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Literal, Self, TypeVar, overload

from switchboard.adapters.inbound.sdk.streams import AsyncStream, blocking_chunks

if TYPE_CHECKING:  # the use cases and domain types load with the first client, not with this module
    from pydantic import BaseModel

    from switchboard.application.chat import ChatService
    from switchboard.application.completions import CompletionService
    from switchboard.application.embeddings import EmbeddingService
    from switchboard.application.media import ImageService, SpeechService, TranscriptionService
    from switchboard.application.messages import MessagesService
    from switchboard.application.models import ModelEntry
    from switchboard.application.responses import ResponsesService
    from switchboard.domain.anthropic_messages.events import AnyEvent
    from switchboard.domain.anthropic_messages.wire import MessagesResponse
    from switchboard.domain.audio import AudioFile, Speech, Transcription
    from switchboard.domain.chat import ChatChunk, ChatResponse, RouteInfo
    from switchboard.domain.completions import CompletionChunk, CompletionResponse
    from switchboard.domain.context import CallContext
    from switchboard.domain.embeddings import EmbeddingResponse
    from switchboard.domain.images import ImageResponse
    from switchboard.domain.responses.wire import ResponseObject

T = TypeVar("T")
Service = TypeVar("Service")
# What ``transcribe`` takes as the audio: bytes, a path, an open binary file, or
# ``(filename, bytes)`` / ``(filename, bytes, content_type)``.
AudioInput = bytes | str | os.PathLike[str] | IO[bytes] | tuple[str, bytes] | tuple[str, bytes, str]


@dataclass
class SdkServices:
    chat: ChatService
    embeddings: EmbeddingService
    models: Callable[[], list[ModelEntry]]
    completions: CompletionService | None = None
    images: ImageService | None = None
    transcriptions: TranscriptionService | None = None
    speech: SpeechService | None = None
    messages: MessagesService | None = None
    responses: ResponsesService | None = None


M = TypeVar("M", bound="BaseModel")


def parse_mapping(model: type[M], data: dict[str, Any]) -> M:
    """``domain.validation.parse_mapping``, loaded on first use."""
    from switchboard.domain.validation import parse_mapping as parse  # lazy: pydantic, with the first call

    return parse(model, data)


def _context() -> CallContext:
    from switchboard.domain.context import CallContext  # lazy: the domain, with the first call

    return CallContext(request_id=uuid.uuid4().hex)


class AsyncChatStream(AsyncStream["ChatChunk"]):
    """Chunks of one streamed chat answer: an ``AsyncStream`` whose ``route`` is the chat's."""

    @property
    def route(self) -> RouteInfo:
        route: RouteInfo = self._stream.route
        return route


class AsyncClient:
    """The facade's async core. Services are opened on first use and closed by ``aclose()``."""

    def __init__(
        self,
        open_services: Callable[[], Awaitable[SdkServices]],
        close_services: Callable[[], Awaitable[None]],
    ) -> None:
        self._open = open_services
        self._close = close_services
        self._services: SdkServices | None = None
        self._lock = asyncio.Lock()

    async def _ready(self) -> SdkServices:
        if self._services is None:
            async with self._lock:
                if self._services is None:
                    self._services = await self._open()
        return self._services

    @overload
    async def chat(
        self, model: str, messages: list[dict[str, Any]], *, stream: Literal[False] = False, **params: Any
    ) -> ChatResponse: ...

    @overload
    async def chat(
        self, model: str, messages: list[dict[str, Any]], *, stream: Literal[True], **params: Any
    ) -> AsyncChatStream: ...

    async def chat(
        self, model: str, messages: list[dict[str, Any]], *, stream: bool = False, **params: Any
    ) -> ChatResponse | AsyncChatStream:
        """A chat completion with OpenAI's parameters; ``stream=True`` returns chunks as they come."""
        services = await self._ready()
        from switchboard.domain.chat import ChatRequest  # lazy: the domain, with the first call

        request = parse_mapping(ChatRequest, {"model": model, "messages": messages, "stream": stream, **params})
        if not stream:
            return await services.chat.complete(request, _context())
        opened = services.chat.stream(request, _context())
        return AsyncChatStream(opened, await opened.__aenter__())

    async def embed(self, model: str, input: Any, **params: Any) -> EmbeddingResponse:
        services = await self._ready()
        from switchboard.domain.embeddings import EmbeddingRequest  # lazy: the domain, with the first call

        request = parse_mapping(EmbeddingRequest, {"model": model, "input": input, **params})
        return await services.embeddings.embed(request, _context())

    async def models(self) -> list[str]:
        services = await self._ready()
        return [entry.id for entry in services.models()]

    @overload
    async def complete(
        self, model: str, prompt: Any, *, stream: Literal[False] = False, **params: Any
    ) -> CompletionResponse: ...

    @overload
    async def complete(
        self, model: str, prompt: Any, *, stream: Literal[True], **params: Any
    ) -> AsyncStream[CompletionChunk]: ...

    async def complete(
        self, model: str, prompt: Any, *, stream: bool = False, **params: Any
    ) -> CompletionResponse | AsyncStream[CompletionChunk]:
        """A legacy text completion; ``stream=True`` returns chunks as they come."""
        service = _served((await self._ready()).completions, "completions")
        from switchboard.domain.completions import CompletionRequest  # lazy: the domain, with the first call

        request = parse_mapping(CompletionRequest, {"model": model, "prompt": prompt, "stream": stream, **params})
        if not stream:
            return await service.complete(request, _context())
        opened = service.stream(request, _context())
        return AsyncStream(opened, await opened.__aenter__())

    async def image(self, model: str, prompt: str, **params: Any) -> ImageResponse:
        """Generate images (``n``, ``size``, ``response_format``... as OpenAI takes them)."""
        service = _served((await self._ready()).images, "image generation")
        from switchboard.domain.images import ImageRequest  # lazy: the domain, with the first call

        request = parse_mapping(ImageRequest, {"model": model, "prompt": prompt, **params})
        return await service.generate(request, _context())

    async def transcribe(self, model: str, file: AudioInput, **params: Any) -> Transcription:
        """Transcribe audio; for ``response_format`` text, srt or vtt, ``.text`` is the document."""
        service = _served((await self._ready()).transcriptions, "transcription")
        audio = await _audio_file(file)
        from switchboard.domain.audio import TranscriptionRequest  # lazy: the domain, with the first call

        request = parse_mapping(TranscriptionRequest, {"model": model, **params, "file": audio})
        return await service.transcribe(request, _context())

    async def speech(self, model: str, input: str, *, voice: str | dict[str, Any] = "alloy", **params: Any) -> Speech:
        """Speak ``input``; the whole audio and its content type."""
        service = _served((await self._ready()).speech, "speech")
        from switchboard.domain.audio import Speech, SpeechRequest  # lazy: the domain, with the first call

        request = parse_mapping(SpeechRequest, {"model": model, "input": input, "voice": voice, **params})
        async with service.speak(request, _context()) as audio:
            content = b"".join([piece async for piece in audio.chunks])
        return Speech(content=content, content_type=audio.content_type, route=audio.route)

    @overload
    async def messages(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        max_tokens: int,
        stream: Literal[False] = False,
        **params: Any,
    ) -> MessagesResponse: ...

    @overload
    async def messages(
        self, model: str, messages: list[dict[str, Any]], *, max_tokens: int, stream: Literal[True], **params: Any
    ) -> AsyncStream[AnyEvent]: ...

    async def messages(
        self, model: str, messages: list[dict[str, Any]], *, max_tokens: int, stream: bool = False, **params: Any
    ) -> MessagesResponse | AsyncStream[AnyEvent]:
        """A message in Anthropic's format (``system``, ``tools``, ``thinking``... as Anthropic takes
        them); ``stream=True`` returns Anthropic's stream events as they come."""
        service = _served((await self._ready()).messages, "Anthropic messages")
        from switchboard.domain.anthropic_messages.wire import MessagesRequest

        fields = {"model": model, "messages": messages, "max_tokens": max_tokens, **params}
        if stream:
            fields["stream"] = True
        request = parse_mapping(MessagesRequest, fields)
        if not stream:
            answer = await service.create(request, _context())
            message = answer.message()
            message.route = answer.route
            return message
        from switchboard.adapters.inbound.sdk.messages import MessageEvents

        opened = service.stream(request, _context())
        return AsyncStream(opened, MessageEvents(await opened.__aenter__()))

    @overload
    async def responses(
        self, model: str, input: Any = None, *, stream: Literal[False] = False, **params: Any
    ) -> ResponseObject: ...

    @overload
    async def responses(
        self, model: str, input: Any = None, *, stream: Literal[True], **params: Any
    ) -> AsyncStream[dict[str, Any]]: ...

    async def responses(
        self, model: str, input: Any = None, *, stream: bool = False, **params: Any
    ) -> ResponseObject | AsyncStream[dict[str, Any]]:
        """A response in OpenAI's Responses format (``instructions``, ``tools``,
        ``previous_response_id``...); ``stream=True`` returns its events (dicts with ``type``)."""
        service = _served((await self._ready()).responses, "responses")
        from switchboard.domain.responses.wire import ResponsesRequest

        request = parse_mapping(ResponsesRequest, {"model": model, "input": input, "stream": stream, **params})
        if not stream:
            return await service.create(request, _context())
        opened = service.stream(request, _context())
        return AsyncStream(opened, await opened.__aenter__())

    async def aclose(self) -> None:
        if self._services is not None:
            self._services = None
            await self._close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


class Client:
    """The synchronous facade: the same calls as ``AsyncClient``, blocking."""

    def __init__(self, core: AsyncClient) -> None:
        self._core = core
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="switchboard-client", daemon=True)
        self._thread.start()
        # A client dropped without close() still closes its services, stops its thread and
        # closes its loop when it is collected.
        self._closer = weakref.finalize(self, _shut_down, core, self._loop, self._thread)

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    @overload
    def chat(
        self, model: str, messages: list[dict[str, Any]], *, stream: Literal[False] = False, **params: Any
    ) -> ChatResponse: ...

    @overload
    def chat(
        self, model: str, messages: list[dict[str, Any]], *, stream: Literal[True], **params: Any
    ) -> Iterator[ChatChunk]: ...

    def chat(
        self, model: str, messages: list[dict[str, Any]], *, stream: bool = False, **params: Any
    ) -> ChatResponse | Iterator[ChatChunk]:
        if not stream:
            return self._run(self._core.chat(model, messages, stream=False, **params))
        opened = self._run(self._core.chat(model, messages, stream=True, **params))
        return blocking_chunks(opened, self._run)

    def embed(self, model: str, input: Any, **params: Any) -> EmbeddingResponse:
        return self._run(self._core.embed(model, input, **params))

    def models(self) -> list[str]:
        return self._run(self._core.models())

    @overload
    def complete(
        self, model: str, prompt: Any, *, stream: Literal[False] = False, **params: Any
    ) -> CompletionResponse: ...

    @overload
    def complete(
        self, model: str, prompt: Any, *, stream: Literal[True], **params: Any
    ) -> Iterator[CompletionChunk]: ...

    def complete(
        self, model: str, prompt: Any, *, stream: bool = False, **params: Any
    ) -> CompletionResponse | Iterator[CompletionChunk]:
        if not stream:
            return self._run(self._core.complete(model, prompt, stream=False, **params))
        opened = self._run(self._core.complete(model, prompt, stream=True, **params))
        return blocking_chunks(opened, self._run)

    def image(self, model: str, prompt: str, **params: Any) -> ImageResponse:
        return self._run(self._core.image(model, prompt, **params))

    def transcribe(self, model: str, file: AudioInput, **params: Any) -> Transcription:
        return self._run(self._core.transcribe(model, file, **params))

    def speech(self, model: str, input: str, *, voice: str | dict[str, Any] = "alloy", **params: Any) -> Speech:
        return self._run(self._core.speech(model, input, voice=voice, **params))

    @overload
    def messages(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        max_tokens: int,
        stream: Literal[False] = False,
        **params: Any,
    ) -> MessagesResponse: ...

    @overload
    def messages(
        self, model: str, messages: list[dict[str, Any]], *, max_tokens: int, stream: Literal[True], **params: Any
    ) -> Iterator[AnyEvent]: ...

    def messages(
        self, model: str, messages: list[dict[str, Any]], *, max_tokens: int, stream: bool = False, **params: Any
    ) -> MessagesResponse | Iterator[AnyEvent]:
        if not stream:
            return self._run(self._core.messages(model, messages, max_tokens=max_tokens, stream=False, **params))
        opened = self._run(self._core.messages(model, messages, max_tokens=max_tokens, stream=True, **params))
        return blocking_chunks(opened, self._run)

    @overload
    def responses(
        self, model: str, input: Any = None, *, stream: Literal[False] = False, **params: Any
    ) -> ResponseObject: ...

    @overload
    def responses(
        self, model: str, input: Any = None, *, stream: Literal[True], **params: Any
    ) -> Iterator[dict[str, Any]]: ...

    def responses(
        self, model: str, input: Any = None, *, stream: bool = False, **params: Any
    ) -> ResponseObject | Iterator[dict[str, Any]]:
        if not stream:
            return self._run(self._core.responses(model, input, stream=False, **params))
        opened = self._run(self._core.responses(model, input, stream=True, **params))
        return blocking_chunks(opened, self._run)

    def close(self) -> None:
        """Close the services, stop the client's thread and close its event loop. Idempotent."""
        self._closer()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _shut_down(core: AsyncClient, loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    if loop.is_running():
        if threading.current_thread() is thread:  # collected on the client's own thread: cannot wait for it
            loop.call_soon(loop.stop)
            return
        asyncio.run_coroutine_threadsafe(_finish(core), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
    if not loop.is_running() and not loop.is_closed():
        loop.close()


async def _finish(core: AsyncClient) -> None:
    """On the client's loop, as ``asyncio.run`` ends one: close the services, end what is left,
    and let closing transports finish closing before the loop stops."""
    await core.aclose()
    current = asyncio.current_task()
    left = [task for task in asyncio.all_tasks() if task is not current]
    for task in left:
        task.cancel()
    await asyncio.gather(*left, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()
    for _ in range(3):  # a transport closes over a few callbacks of the loop
        await asyncio.sleep(0)


def _served(service: Service | None, what: str) -> Service:
    if service is None:
        from switchboard.domain.errors import NotFound  # lazy: the domain, with the first call

        raise NotFound(f"This client does not offer {what}.")
    return service


async def _audio_file(file: AudioInput) -> AudioFile:
    """The audio as an in-memory upload; a path is read off the event loop."""
    from switchboard.domain.audio import AudioFile  # lazy: the domain, with the first call

    if isinstance(file, bytes):
        return AudioFile(content=file)
    if isinstance(file, tuple):
        return AudioFile(
            filename=file[0],
            content=file[1],
            content_type=file[2] if len(file) == 3 else "application/octet-stream",
        )
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        return AudioFile(filename=path.name, content=await asyncio.to_thread(path.read_bytes))
    name = getattr(file, "name", "audio")
    content = await asyncio.to_thread(file.read)
    return AudioFile(filename=os.path.basename(str(name)), content=content)
