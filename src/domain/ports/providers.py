"""Provider ports: one upstream API family each (OpenAI Chat, Anthropic Messages, Bedrock...).

An adapter implements the ports for the endpoints its API offers. Every failure is raised as a
``domain.errors`` error with ``provider`` set; adapters never leak transport exceptions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse


@dataclass(frozen=True, slots=True)
class ChatCall:
    """One chat request bound for one deployment.

    ``timeout`` bounds the whole non-streaming call; for a stream it bounds the wait for the
    first chunk, and ``idle_timeout`` the wait between later chunks.
    """

    request: ChatRequest
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None
    idle_timeout: float | None = None


@dataclass(frozen=True, slots=True)
class EmbeddingCall:
    request: EmbeddingRequest
    deployment: Deployment
    request_id: str = ""
    timeout: float | None = None


class ChatProvider(Protocol):
    """Chat completions against one API family."""

    async def complete(self, call: ChatCall) -> ChatResponse:
        """Send one request and return the whole answer, with usage."""
        ...

    def stream(self, call: ChatCall) -> AbstractAsyncContextManager[AsyncIterator[ChatChunk]]:
        """Open a stream of chunks; leaving the context closes the upstream request.

        Failures before the stream is open raise on enter; later ones raise while iterating.
        Usage arrives on a chunk (normally the last) whenever the API reports it.
        """
        ...


class EmbeddingProvider(Protocol):
    """Embeddings against one API family."""

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        """Embed every input item; ``data`` keeps the input order."""
        ...


class ProviderDirectory(Protocol):
    """Finds the adapter serving a provider name for an endpoint, and what the provider takes."""

    def chat_params(self, provider: str, model: str) -> frozenset[str]:
        """The OpenAI request parameters ``provider``'s chat API accepts for ``model`` (besides
        model and messages); raises ``BadRequest`` for an unknown provider or one without chat."""
        ...

    def chat(self, provider: str) -> ChatProvider:
        """The chat adapter; raises ``BadRequest`` when the provider has no chat endpoint."""
        ...

    def embeddings(self, provider: str) -> EmbeddingProvider:
        """The embeddings adapter; raises ``BadRequest`` when the provider offers none."""
        ...
