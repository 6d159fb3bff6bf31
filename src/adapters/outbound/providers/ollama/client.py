"""OllamaProvider: the I/O shell around the pure Ollama mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import orjson

from switchboard.adapters.outbound.providers.access import api_key, extra_headers
from switchboard.adapters.outbound.providers.failures import protocol_error, transport_failures
from switchboard.adapters.outbound.providers.ndjson import NdjsonDecoder
from switchboard.adapters.outbound.providers.ollama.errors import error_from_response
from switchboard.adapters.outbound.providers.ollama.request import chat_body, embedding_body
from switchboard.adapters.outbound.providers.ollama.response import chat_response, embedding_response
from switchboard.adapters.outbound.providers.ollama.stream import OllamaStreamDecoder
from switchboard.adapters.outbound.providers.upstream import Endpoint, Upstream
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall

DEFAULT_API_BASE = "http://localhost:11434"
BASE_VARIABLE = "OLLAMA_API_BASE"
KEY_VARIABLE = "OLLAMA_API_KEY"


@dataclass(frozen=True, slots=True)
class _Target:
    chat: Endpoint
    embed: Endpoint


class OllamaProvider:
    """Chat (JSON and NDJSON stream) and embeddings over Ollama's native API.

    Serves both ``ollama/`` and ``ollama_chat/`` model strings, always through ``/api/chat``.
    No key is needed for a local server; a key (deployment ``api_key`` or ``OLLAMA_API_KEY``)
    is sent as a bearer token, as Ollama's hosted API and authenticating proxies expect.
    """

    name = "ollama"

    def __init__(
        self, transport: Transport, clock: Clock, ids: IdSource, *, environ: Mapping[str, str] | None = None
    ) -> None:
        self._upstream = Upstream(transport, self.name, error_from_response)
        self._clock = clock
        self._ids = ids
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, _Target] = {}

    def _target(self, deployment: Deployment) -> _Target:
        target = self._targets.get(deployment.id)
        if target is None:
            key = api_key(deployment, self._environ, (KEY_VARIABLE,))
            headers = {"content-type": "application/json"}
            if key:
                headers["authorization"] = f"Bearer {key}"
            headers.update(extra_headers(deployment))
            base = (deployment.api_base or self._environ.get(BASE_VARIABLE) or DEFAULT_API_BASE).rstrip("/")
            base = base.removesuffix("/api")
            target = self._targets[deployment.id] = _Target(
                Endpoint(base + "/api/chat", headers, (key,)), Endpoint(base + "/api/embed", headers, (key,))
            )
        return target

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = chat_body(call.request, deployment.model, stream=False, defaults=deployment.params)
        reply = await self._upstream.post(target.chat, orjson.dumps(body), call.timeout, deployment.id)
        return chat_response(
            reply.body, self._ids.new("chatcmpl-"), deployment.model, int(self._clock.now()), deployment.id
        )

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        target = self._target(deployment)
        body = chat_body(call.request, deployment.model, stream=True, defaults=deployment.params)
        async with self._upstream.stream(target.chat, orjson.dumps(body), call.idle_timeout, deployment.id) as reply:
            decoder = OllamaStreamDecoder(
                self._ids.new("chatcmpl-"), deployment.model, int(self._clock.now()), deployment.id
            )
            yield self._chunks(reply.chunks(), decoder, deployment.id)

    async def _chunks(
        self, raw: AsyncIterator[bytes], decoder: OllamaStreamDecoder, deployment_id: str
    ) -> AsyncIterator[ChatChunk]:
        lines = NdjsonDecoder()
        try:
            async with transport_failures(self.name, deployment_id):
                async for data in raw:
                    for line in lines.feed(data):
                        for chunk in decoder.feed(line):
                            yield chunk
            for line in lines.flush():
                for chunk in decoder.feed(line):
                    yield chunk
        except orjson.JSONDecodeError as exc:
            raise protocol_error(self.name, "a stream line that is not JSON", deployment_id) from exc
        for chunk in decoder.finish():
            yield chunk

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = embedding_body(call.request, deployment.model, deployment.params)
        reply = await self._upstream.post(target.embed, orjson.dumps(body), call.timeout, deployment.id)
        return embedding_response(reply.body, deployment.model, call.request.encoding_format, deployment.id)
