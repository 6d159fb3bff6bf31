"""Every endpoint of the gateway's use cases over one fake upstream, for suites that must hold for
all of them (the call path's contract, per-request timeouts, what sinks see).

``gateway(...)`` builds the services the inbound adapters call; ``ENDPOINTS`` says how to make
one call of each kind through them (streams read to their end), and for streams how to leave
after the first piece.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from switchboard.application.call_path import CallPath
from switchboard.application.chat import ChatService
from switchboard.application.completions import CompletionService
from switchboard.application.deployments import DeploymentDirectory
from switchboard.application.embeddings import EmbeddingService
from switchboard.application.hooks import HookPipeline
from switchboard.application.media import ImageService, SpeechService, TranscriptionService
from switchboard.application.router import Router, RouterPolicy
from switchboard.domain.audio import AudioFile, SpeechRequest, TranscriptionRequest
from switchboard.domain.call_options import CallDefaults
from switchboard.domain.calls import CallKind
from switchboard.domain.chat import ChatRequest
from switchboard.domain.completions import CompletionRequest
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest
from switchboard.domain.images import ImageRequest
from switchboard.domain.ports.events import EventSink
from switchboard.domain.ports.hooks import CallHook
from tests.fakes import FakeClock, FakeRandom, FakeTokenCounter
from tests.fakes.endpoints import FakeEndpointDirectory, FakeUpstream
from tests.fakes.hooks import RecordingHook, RecordingSink
from tests.fakes.routing import RecordingSleep

CTX = CallContext(request_id="req-1")
MODEL = "m"


def deployment(id: str = "d1", group: str = MODEL, **fields: Any) -> Deployment:
    return Deployment(id=id, model_name=group, provider="up", model=f"up-{id}", **fields)


@dataclass
class Gateway:
    """The use cases over one upstream, with a hook and a sink that record every call."""

    upstream: FakeUpstream
    hook: RecordingHook
    sink: RecordingSink
    chat: ChatService
    completions: CompletionService
    embeddings: EmbeddingService
    images: ImageService
    transcriptions: TranscriptionService
    speech: SpeechService


def gateway(
    upstream: FakeUpstream | None = None,
    *,
    deployments: Sequence[Deployment] = (),
    hooks: Sequence[CallHook] = (),
    sinks: Sequence[EventSink] = (),
    defaults: CallDefaults = CallDefaults(),  # noqa: B008
    policy: RouterPolicy | None = None,
) -> Gateway:
    """``hooks`` run after the recording hook; ``sinks`` see every outcome besides the recording sink."""
    upstream = upstream or FakeUpstream()
    hook, sink = RecordingHook(), RecordingSink()
    clock = FakeClock()
    router = Router(
        DeploymentDirectory(list(deployments) or [deployment()]),
        FakeRandom(),
        clock,
        policy=policy,
        sleep=RecordingSleep(),
    )
    path = CallPath(router, clock, HookPipeline([hook, *hooks], [sink, *sinks]), defaults)
    providers = FakeEndpointDirectory(upstream)
    tokens = FakeTokenCounter()
    chat = ChatService(path, providers, tokens)
    return Gateway(
        upstream=upstream,
        hook=hook,
        sink=sink,
        chat=chat,
        completions=CompletionService(path, providers, chat, tokens),
        embeddings=EmbeddingService(path, providers),
        images=ImageService(path, providers),
        transcriptions=TranscriptionService(path, providers),
        speech=SpeechService(path, providers),
    )


Options = Mapping[str, Any]
Run = Callable[[Gateway, Options], Coroutine[Any, Any, None]]
Leave = Callable[[Gateway, Options, BaseException | None], Coroutine[Any, Any, None]]
"""Open a stream, read its first piece, then leave: by ``break``, or by raising the exception."""


@dataclass(frozen=True)
class Endpoint:
    """One way into the gateway. ``kind`` is how its calls are recorded (a legacy completion
    bridged through chat is a chat call); ``native`` whether the upstream has the endpoint itself."""

    name: str
    kind: CallKind
    run: Run
    leave_early: Leave | None = None
    native: bool = True

    @property
    def stream(self) -> bool:
        return self.leave_early is not None

    def upstream(self, **fields: Any) -> FakeUpstream:
        return FakeUpstream(native_completions=self.native, **fields)

    def __str__(self) -> str:
        return self.name


def _chat(options: Options, stream: bool = False) -> ChatRequest:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "say three words"}], **options}
    return ChatRequest.model_validate({**body, "stream": True} if stream else body)


def _completion(options: Options, stream: bool = False) -> CompletionRequest:
    body = {"model": MODEL, "prompt": "say three words", **options}
    return CompletionRequest.model_validate({**body, "stream": True} if stream else body)


async def _chat_answer(g: Gateway, options: Options) -> None:
    await g.chat.complete(_chat(options), CTX)


async def _chat_stream(g: Gateway, options: Options) -> None:
    async with g.chat.stream(_chat(options, stream=True), CTX) as stream:
        [chunk async for chunk in stream]


async def _chat_stream_left(g: Gateway, options: Options, raising: BaseException | None) -> None:
    async with g.chat.stream(_chat(options, stream=True), CTX) as stream:
        async for _ in stream:
            _leave(raising)
            break


async def _completion_answer(g: Gateway, options: Options) -> None:
    await g.completions.complete(_completion(options), CTX)


async def _completion_stream(g: Gateway, options: Options) -> None:
    async with g.completions.stream(_completion(options, stream=True), CTX) as stream:
        [chunk async for chunk in stream]


async def _completion_stream_left(g: Gateway, options: Options, raising: BaseException | None) -> None:
    async with g.completions.stream(_completion(options, stream=True), CTX) as stream:
        async for _ in stream:
            _leave(raising)
            break


async def _embeddings(g: Gateway, options: Options) -> None:
    await g.embeddings.embed(EmbeddingRequest.model_validate({"model": MODEL, "input": ["a", "b"], **options}), CTX)


async def _images(g: Gateway, options: Options) -> None:
    await g.images.generate(ImageRequest.model_validate({"model": MODEL, "prompt": "a cat", **options}), CTX)


async def _transcriptions(g: Gateway, options: Options) -> None:
    request = TranscriptionRequest.model_validate({"model": MODEL, "file": AudioFile(content=b"RIFF"), **options})
    await g.transcriptions.transcribe(request, CTX)


def _speech_request(options: Options) -> SpeechRequest:
    return SpeechRequest.model_validate({"model": MODEL, "input": "three words here", "voice": "alloy", **options})


async def _speech(g: Gateway, options: Options) -> None:
    async with g.speech.speak(_speech_request(options), CTX) as audio:
        [piece async for piece in audio.chunks]


async def _speech_left(g: Gateway, options: Options, raising: BaseException | None) -> None:
    async with g.speech.speak(_speech_request(options), CTX) as audio:
        async for _ in audio.chunks:
            _leave(raising)
            break


def _leave(raising: BaseException | None) -> None:
    if raising is not None:
        raise raising


ENDPOINTS = (
    Endpoint("chat", "chat", _chat_answer),
    Endpoint("chat-stream", "chat", _chat_stream, _chat_stream_left),
    Endpoint("completions", "completions", _completion_answer),
    Endpoint("completions-stream", "completions", _completion_stream, _completion_stream_left),
    Endpoint("completions-through-chat", "chat", _completion_answer, native=False),
    Endpoint("completions-through-chat-stream", "chat", _completion_stream, _completion_stream_left, native=False),
    Endpoint("embeddings", "embeddings", _embeddings),
    Endpoint("images", "images", _images),
    Endpoint("transcriptions", "transcriptions", _transcriptions),
    Endpoint("speech", "speech", _speech, _speech_left),
)
STREAMS = tuple(e for e in ENDPOINTS if e.stream)
