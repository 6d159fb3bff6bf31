"""The image, transcription and speech use cases: admit the call, route it to a deployment of
the model group, call its provider within the timeout, settle, and say which deployment answered."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from switchboard.application.hooks import HookPipeline
from switchboard.application.routed_calls import RoutedCalls, route_info, within
from switchboard.application.router import Router
from switchboard.domain.audio import SpeechAudio, SpeechRequest, Transcription, TranscriptionRequest
from switchboard.domain.calls import CallOutcome
from switchboard.domain.context import CallContext
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import UnsupportedParameter
from switchboard.domain.images import ImageRequest, ImageResponse
from switchboard.domain.ports.clock import Clock
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


class ImageService:
    """Image generation through whichever deployment serves the model."""

    def __init__(
        self,
        router: Router,
        providers: EndpointDirectory,
        clock: Clock,
        hooks: HookPipeline | None = None,
        timeout: float | None = 600.0,
    ) -> None:
        self._calls = RoutedCalls(router, clock, hooks, timeout)
        self._providers = providers

    async def generate(self, request: ImageRequest, ctx: CallContext) -> ImageResponse:
        if request.stream:
            raise _no_streaming("image generation")

        def send(deployment: Deployment, timeout: float | None) -> Awaitable[ImageResponse]:
            call = ImageCall(request=request, deployment=deployment, request_id=ctx.request_id, timeout=timeout)
            return self._providers.images(deployment.provider).generate_images(call)

        return await self._calls.answer("images", request, ctx, send, image_usage)


class TranscriptionService:
    """Speech to text through whichever deployment serves the model."""

    def __init__(
        self,
        router: Router,
        providers: EndpointDirectory,
        clock: Clock,
        hooks: HookPipeline | None = None,
        timeout: float | None = 600.0,
    ) -> None:
        self._calls = RoutedCalls(router, clock, hooks, timeout)
        self._providers = providers

    async def transcribe(self, request: TranscriptionRequest, ctx: CallContext) -> Transcription:
        if request.stream:
            raise _no_streaming("transcription")

        def send(deployment: Deployment, timeout: float | None) -> Awaitable[Transcription]:
            call = TranscriptionCall(request=request, deployment=deployment, request_id=ctx.request_id, timeout=timeout)
            return self._providers.transcriptions(deployment.provider).transcribe(call)

        return await self._calls.answer("transcriptions", request, ctx, send, transcription_usage)


@dataclass(slots=True)
class _OpenAudio:
    exits: AsyncExitStack
    audio: SpeechAudio


class SpeechService:
    """Text to speech through whichever deployment serves the model, streamed as it arrives."""

    def __init__(
        self,
        router: Router,
        providers: EndpointDirectory,
        clock: Clock,
        hooks: HookPipeline | None = None,
        timeout: float | None = 600.0,
        stream_timeout: float | None = None,
    ) -> None:
        self._calls = RoutedCalls(router, clock, hooks, timeout, stream_timeout)
        self._providers = providers

    @asynccontextmanager
    async def speak(self, request: SpeechRequest, ctx: CallContext) -> AsyncIterator[SpeechAudio]:
        """Open audio. Errors before any audio arrives raise here; leaving closes the upstream and
        settles the call (``completed`` if every byte was read).

        The timeout bounds the wait for the audio to start; ``stream_timeout`` each later wait.
        """
        if request.stream_format == "sse":
            raise UnsupportedParameter(
                "stream_format 'sse' is not supported by this gateway; use 'audio'.",
                param="stream_format",
                code="unsupported_parameter",
            )
        info = self._calls.info("speech", request, ctx, stream=True)
        outcome = CallOutcome(info=info, completed=False, extra={"characters": len(request.input)})
        async with self._calls.streamed(info, lambda d: self._open_on(request, d, ctx), outcome) as routed:
            opened = routed.value

            async def chunks() -> AsyncIterator[bytes]:
                async for piece in opened.audio.chunks:
                    yield piece
                outcome.completed = True  # every byte was read

            yield SpeechAudio(opened.audio.content_type, chunks(), route_info(request.model, routed))

    async def _open_on(self, request: SpeechRequest, deployment: Deployment, ctx: CallContext) -> _OpenAudio:
        provider = self._providers.speech(deployment.provider)
        timeout = self._calls.timeout(deployment)
        call = SpeechCall(
            request=request,
            deployment=deployment,
            request_id=ctx.request_id,
            timeout=timeout,
            idle_timeout=self._calls.idle_timeout(deployment),
        )
        exits = AsyncExitStack()
        try:
            audio = await within(timeout, deployment, exits.enter_async_context(provider.speak(call)))
        except BaseException:
            await exits.aclose()
            raise
        return _OpenAudio(exits, audio)
