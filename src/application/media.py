"""The image, transcription and speech use cases: each one kind of call on the call path
(``application.call_path``: admit, route within the timeouts, settle, say which deployment
answered). Images and transcriptions answer whole; speech streams its audio."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from switchboard.application.call_path import CallPath
from switchboard.application.streams import AudioStream
from switchboard.domain.audio import SpeechAudio, SpeechRequest, Transcription, TranscriptionRequest
from switchboard.domain.call_options import Timeouts
from switchboard.domain.calls import CallInfo, CallKind
from switchboard.domain.chat import RouteInfo
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import UnsupportedParameter
from switchboard.domain.images import ImageRequest, ImageResponse
from switchboard.domain.ports.endpoints import EndpointDirectory, ImageCall, SpeechCall, TranscriptionCall
from switchboard.domain.usage import Usage


def _no_streaming(what: str) -> UnsupportedParameter:
    return UnsupportedParameter(
        f"Streaming {what} is not supported by this gateway; leave 'stream' unset.",
        param="stream",
        code="unsupported_parameter",
    )


def image_usage(response: ImageResponse) -> Usage | None:
    """Token usage of GPT image models, as prompt and completion tokens; ``None`` for others."""
    if response.usage is None:
        return None
    return Usage.of(response.usage.input_tokens, response.usage.output_tokens)


def transcription_usage(transcription: Transcription) -> Usage | None:
    """Token usage when the model counts tokens (``gpt-4o-transcribe``); ``None`` when it bills
    by duration (whisper)."""
    usage = transcription.usage or {}
    if usage.get("type") != "tokens":
        return None
    return Usage.of(int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0)))


class _Media:
    """What the media kinds share: no prompt to count, no output cap, no cache."""

    count_prompt = None
    cache = None
    stream_cache = None

    def __init__(self, path: CallPath, providers: EndpointDirectory) -> None:
        self._path = path
        self._providers = providers

    def output_limit(self, request: object) -> int | None:
        return None


class ImageService(_Media):
    """Image generation through whichever deployment serves the model."""

    name: CallKind = "images"

    async def generate(self, request: ImageRequest, ctx: CallContext) -> ImageResponse:
        if request.stream:
            raise _no_streaming("image generation")
        return await self._path.answer(self, request, ctx)

    def send(
        self, request: ImageRequest, info: CallInfo[ImageRequest], deployment: Deployment, timeouts: Timeouts
    ) -> Awaitable[ImageResponse]:
        call = ImageCall(request=request, deployment=deployment, request_id=info.ctx.request_id, timeout=timeouts.total)
        return self._providers.images(deployment.provider).generate_images(call)

    def account(
        self, info: CallInfo[ImageRequest], deployment: Deployment, response: ImageResponse
    ) -> tuple[Usage | None, float | None]:
        return image_usage(response), None


class TranscriptionService(_Media):
    """Speech to text through whichever deployment serves the model."""

    name: CallKind = "transcriptions"

    async def transcribe(self, request: TranscriptionRequest, ctx: CallContext) -> Transcription:
        if request.stream:
            raise _no_streaming("transcription")
        return await self._path.answer(self, request, ctx)

    def send(
        self,
        request: TranscriptionRequest,
        info: CallInfo[TranscriptionRequest],
        deployment: Deployment,
        timeouts: Timeouts,
    ) -> Awaitable[Transcription]:
        call = TranscriptionCall(
            request=request, deployment=deployment, request_id=info.ctx.request_id, timeout=timeouts.total
        )
        return self._providers.transcriptions(deployment.provider).transcribe(call)

    def account(
        self, info: CallInfo[TranscriptionRequest], deployment: Deployment, response: Transcription
    ) -> tuple[Usage | None, float | None]:
        return transcription_usage(response), None


@dataclass(slots=True)
class OpenedAudio:
    """The provider's audio, its first piece arrived."""

    audio: SpeechAudio
    first: bytes | None


class SpeechService(_Media):
    """Text to speech through whichever deployment serves the model, streamed as it arrives."""

    name: CallKind = "speech"

    @asynccontextmanager
    async def speak(self, request: SpeechRequest, ctx: CallContext) -> AsyncIterator[SpeechAudio]:
        """Open audio. Errors before any audio arrives raise here; leaving closes the upstream and
        settles the call (``completed`` if every byte was read).

        The lesser of ``timeout`` and ``stream_timeout`` bounds the wait for the audio to start;
        ``stream_timeout`` each later wait.
        """
        if request.stream_format == "sse":
            raise UnsupportedParameter(
                "stream_format 'sse' is not supported by this gateway; use 'audio'.",
                param="stream_format",
                code="unsupported_parameter",
            )
        async with self._path.stream(self, request, ctx) as audio:
            yield SpeechAudio(audio.content_type, audio.chunks(), audio.route)

    async def open(
        self, info: CallInfo[SpeechRequest], deployment: Deployment, timeouts: Timeouts, exits: AsyncExitStack
    ) -> OpenedAudio:
        call = SpeechCall(
            request=info.request,
            deployment=deployment,
            request_id=info.ctx.request_id,
            timeout=timeouts.total,
            idle_timeout=timeouts.idle,
        )
        audio = await exits.enter_async_context(self._providers.speech(deployment.provider).speak(call))
        return OpenedAudio(audio, await anext(audio.chunks, None))

    def wrap(
        self, info: CallInfo[SpeechRequest], opened: OpenedAudio, route: RouteInfo, deployment: Deployment
    ) -> AudioStream:
        return AudioStream(opened.audio.content_type, opened.first, opened.audio.chunks, route=route)
