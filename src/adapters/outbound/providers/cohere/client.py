"""CohereProvider: the I/O shell around the pure Cohere v2 mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import orjson

from switchboard.adapters.outbound.providers.access import api_key, extra_headers, missing_key
from switchboard.adapters.outbound.providers.cohere.errors import error_from_response
from switchboard.adapters.outbound.providers.cohere.request import chat_body, embedding_body
from switchboard.adapters.outbound.providers.cohere.response import chat_response, embedding_response
from switchboard.adapters.outbound.providers.cohere.stream import CohereStreamDecoder
from switchboard.adapters.outbound.providers.failures import transport_failures
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.adapters.outbound.providers.upstream import Endpoint, Upstream
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall

DEFAULT_API_BASE = "https://api.cohere.com"
KEY_VARIABLES = ("COHERE_API_KEY", "CO_API_KEY")


@dataclass(frozen=True, slots=True)
class _Target:
    chat: Endpoint
    embed: Endpoint


def api_root(api_base: str | None) -> str:
    """The host root from ``api_base``; ``https://api.cohere.com``, ``.../v2`` and LiteLLM's
    full ``.../v2/chat`` all name the same API."""
    base = (api_base or DEFAULT_API_BASE).rstrip("/")
    for suffix in ("/chat", "/embed", "/v2", "/v1"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    return base


class CohereProvider:
    """Chat (JSON and SSE) and embeddings over Cohere's v2 API."""

    name = "cohere"

    def __init__(self, transport: Transport, clock: Clock, *, environ: Mapping[str, str] | None = None) -> None:
        self._upstream = Upstream(transport, self.name, error_from_response)
        self._clock = clock
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, _Target] = {}

    def _target(self, deployment: Deployment) -> _Target:
        target = self._targets.get(deployment.id)
        if target is None:
            key = api_key(deployment, self._environ, KEY_VARIABLES)
            if not key:
                raise missing_key(self.name, deployment.id, KEY_VARIABLES[0])
            headers = {"content-type": "application/json", "authorization": f"Bearer {key}"}
            headers.update(extra_headers(deployment))
            root = api_root(deployment.api_base)
            target = self._targets[deployment.id] = _Target(
                Endpoint(root + "/v2/chat", headers, (key,)), Endpoint(root + "/v2/embed", headers, (key,))
            )
        return target

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = chat_body(call.request, deployment.model, stream=False, defaults=deployment.params)
        reply = await self._upstream.post(target.chat, orjson.dumps(body), call.timeout, deployment.id)
        return chat_response(reply.body, deployment.model, int(self._clock.now()), deployment.id)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        target = self._target(deployment)
        body = chat_body(call.request, deployment.model, stream=True, defaults=deployment.params)
        async with self._upstream.stream(target.chat, orjson.dumps(body), call.idle_timeout, deployment.id) as reply:
            decoder = CohereStreamDecoder(deployment.model, int(self._clock.now()), deployment.id)
            yield self._chunks(reply.chunks(), decoder, deployment.id)

    async def _chunks(
        self, raw: AsyncIterator[bytes], decoder: CohereStreamDecoder, deployment_id: str
    ) -> AsyncIterator[ChatChunk]:
        sse = SseDecoder()
        async with transport_failures(self.name, deployment_id):
            async for data in raw:
                for event in sse.feed(data):
                    for chunk in decoder.feed(event.data):
                        yield chunk
        for event in sse.flush():
            for chunk in decoder.feed(event.data):
                yield chunk
        for chunk in decoder.finish():
            yield chunk

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = embedding_body(call.request, deployment.model, deployment.params)
        reply = await self._upstream.post(target.embed, orjson.dumps(body), call.timeout, deployment.id)
        return embedding_response(reply.body, deployment.model, call.request.encoding_format, deployment.id)
