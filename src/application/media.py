"""The image, transcription and speech use cases: pick a deployment of the model group, call its
provider within the timeout, say which deployment answered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from application.deployments import DeploymentDirectory
from domain.audio import SpeechAudio, SpeechRequest, Transcription, TranscriptionRequest
from domain.chat import RouteInfo
from domain.context import CallContext
from domain.deployments import Deployment
from domain.errors import Timeout, UnsupportedParameter
from domain.images import ImageRequest, ImageResponse
from domain.ports.endpoints import EndpointDirectory, ImageCall, SpeechCall, TranscriptionCall
from domain.ports.randomness import RandomSource
from domain.routing import weighted_pick


class _EndpointService:
    """What the three use cases share: choosing a deployment, its timeout, the route info."""

    def __init__(
        self,
        directory: DeploymentDirectory,
        providers: EndpointDirectory,
        rng: RandomSource,
        timeout: float | None = 600.0,
        stream_timeout: float | None = None,
    ) -> None:
        self._directory = directory
        self._providers = providers
        self._rng = rng
        self._default_timeout = timeout
        self._default_stream_timeout = stream_timeout

    def _pick(self, model: str) -> Deployment:
        return weighted_pick(self._directory.candidates(model), self._rng)

    def _timeout(self, deployment: Deployment) -> float | None:
        return deployment.timeout if deployment.timeout is not None else self._default_timeout

    def _idle_timeout(self, deployment: Deployment) -> float | None:
        if deployment.stream_timeout is not None:
            return deployment.stream_timeout
        return self._default_stream_timeout

    @staticmethod
    def _route(model: str, deployment: Deployment) -> RouteInfo:
        return RouteInfo(model_group=model, deployment_id=deployment.id, provider=deployment.provider)

    @staticmethod
    def _timed_out(deployment: Deployment, seconds: float | None) -> Timeout:
        return Timeout(
            f"{deployment.provider} did not answer within {seconds:g}s; the request was cancelled.",
            provider=deployment.provider,
            deployment=deployment.id,
        )


def _no_streaming(what: str) -> UnsupportedParameter:
    return UnsupportedParameter(
        f"Streaming {what} is not supported by this gateway; leave 'stream' unset.",
        param="stream",
        code="unsupported_parameter",
    )


class ImageService(_EndpointService):
    """Image generation through whichever deployment serves the model."""

    async def generate(self, request: ImageRequest, ctx: CallContext) -> ImageResponse:
        if request.stream:
            raise _no_streaming("image generation")
        deployment = self._pick(request.model)
        provider = self._providers.images(deployment.provider)
        timeout = self._timeout(deployment)
        call = ImageCall(request=request, deployment=deployment, request_id=ctx.request_id, timeout=timeout)
        try:
            async with asyncio.timeout(timeout):
                response = await provider.generate_images(call)
        except TimeoutError as exc:
            raise self._timed_out(deployment, timeout) from exc
        response.route = self._route(request.model, deployment)
        return response


class TranscriptionService(_EndpointService):
    """Speech to text through whichever deployment serves the model."""

    async def transcribe(self, request: TranscriptionRequest, ctx: CallContext) -> Transcription:
        if request.stream:
            raise _no_streaming("transcription")
        deployment = self._pick(request.model)
        provider = self._providers.transcriptions(deployment.provider)
        timeout = self._timeout(deployment)
        call = TranscriptionCall(
            request=request, deployment=deployment, request_id=ctx.request_id, timeout=timeout
        )
        try:
            async with asyncio.timeout(timeout):
                transcription = await provider.transcribe(call)
        except TimeoutError as exc:
            raise self._timed_out(deployment, timeout) from exc
        transcription.route = self._route(request.model, deployment)
        return transcription


class SpeechService(_EndpointService):
    """Text to speech through whichever deployment serves the model, streamed as it arrives."""

    @asynccontextmanager
    async def speak(self, request: SpeechRequest, ctx: CallContext) -> AsyncIterator[SpeechAudio]:
        """Open audio. Errors before any audio arrives raise here; leaving closes the upstream.

        The timeout bounds the wait for the audio to start; ``stream_timeout`` each later wait.
        """
        if request.stream_format == "sse":
            raise UnsupportedParameter(
                "stream_format 'sse' is not supported by this gateway; use 'audio'.",
                param="stream_format",
                code="unsupported_parameter",
            )
        deployment = self._pick(request.model)
        provider = self._providers.speech(deployment.provider)
        timeout = self._timeout(deployment)
        call = SpeechCall(
            request=request,
            deployment=deployment,
            request_id=ctx.request_id,
            timeout=timeout,
            idle_timeout=self._idle_timeout(deployment),
        )
        async with AsyncExitStack() as upstream:
            try:
                async with asyncio.timeout(timeout):
                    audio = await upstream.enter_async_context(provider.speak(call))
            except TimeoutError as exc:
                raise self._timed_out(deployment, timeout) from exc
            audio.route = self._route(request.model, deployment)
            yield audio
