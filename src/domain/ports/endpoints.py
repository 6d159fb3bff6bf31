"""Provider ports for the endpoints beyond chat and embeddings: legacy text completions,
image generation, audio transcription and speech.

One adapter object may implement several of these besides ``ChatProvider``; the method names
differ so they never collide. As in ``domain.ports.providers``, every failure is a
``domain.errors`` error with ``provider`` set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from switchboard.domain.audio import SpeechAudio, SpeechRequest, Transcription, TranscriptionRequest
from switchboard.domain.completions import CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.images import ImageRequest, ImageResponse
from switchboard.domain.ports.providers import ProviderDirectory


@dataclass(frozen=True, slots=True)
class CompletionCall:
    """A legacy completion bound for one deployment; timeouts as in ``ChatCall``."""

    request: CompletionRequest
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None
    idle_timeout: float | None = None


@dataclass(frozen=True, slots=True)
class ImageCall:
    request: ImageRequest
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class TranscriptionCall:
    request: TranscriptionRequest
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class SpeechCall:
    """``idle_timeout`` bounds each wait for more audio once it flows."""

    request: SpeechRequest
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None
    idle_timeout: float | None = None


class CompletionProvider(Protocol):
    """A native legacy-completions endpoint (OpenAI's ``/v1/completions``)."""

    async def complete_text(self, call: CompletionCall) -> CompletionResponse:
        """Send one request and return every choice, with usage."""
        ...

    def stream_text(self, call: CompletionCall) -> AbstractAsyncContextManager[AsyncIterator[CompletionChunk]]:
        """Open a stream of chunks; leaving the context closes the upstream request.

        Failures before the stream is open raise on enter; later ones raise while iterating.
        Usage arrives on a chunk without choices whenever the API reports it.
        """
        ...


class ImageProvider(Protocol):
    async def generate_images(self, call: ImageCall) -> ImageResponse:
        """Generate ``n`` images; ``data`` holds URLs or base64 as the request asked."""
        ...


class TranscriptionProvider(Protocol):
    async def transcribe(self, call: TranscriptionCall) -> Transcription:
        """Transcribe the uploaded audio; the answer's ``format`` is the one requested."""
        ...


class SpeechProvider(Protocol):
    def speak(self, call: SpeechCall) -> AbstractAsyncContextManager[SpeechAudio]:
        """Open the audio stream; leaving the context closes the upstream request.

        Failures before any audio arrives raise on enter (so a caller can still answer with an
        error status); later ones raise while iterating ``chunks``.
        """
        ...


class EndpointDirectory(ProviderDirectory, Protocol):
    """Finds the adapters serving the endpoints beyond chat and embeddings."""

    def completions(self, provider: str) -> CompletionProvider | None:
        """The native completions adapter, or ``None`` when the provider has none (the use case
        then goes through chat)."""
        ...

    def images(self, provider: str) -> ImageProvider:
        """Raises ``BadRequest`` when the provider does not generate images."""
        ...

    def transcriptions(self, provider: str) -> TranscriptionProvider:
        """Raises ``BadRequest`` when the provider does not transcribe audio."""
        ...

    def speech(self, provider: str) -> SpeechProvider:
        """Raises ``BadRequest`` when the provider does not synthesize speech."""
        ...
