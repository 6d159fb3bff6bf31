"""CohereProvider: the I/O shell around the pure Cohere v2 mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import orjson

from adapters.outbound.providers.cohere.errors import error_from_response
from adapters.outbound.providers.cohere.request import SUPPORTED_PARAMS, chat_body, embedding_body
from adapters.outbound.providers.cohere.response import chat_response, embedding_response
from adapters.outbound.providers.cohere.stream import CohereStreamDecoder
from adapters.outbound.providers.failures import transport_failures
from adapters.outbound.providers.sse import SseDecoder
from adapters.outbound.transport import Transport
from domain.chat import ChatChunk, ChatResponse
from domain.deployments import Deployment
from domain.embeddings import EmbeddingResponse
from domain.errors import AuthenticationError, SwitchboardError
from domain.ports.clock import Clock
from domain.ports.providers import ChatCall, EmbeddingCall

DEFAULT_API_BASE = "https://api.cohere.com"
KEY_VARIABLES = ("COHERE_API_KEY", "CO_API_KEY")


@dataclass(frozen=True, slots=True)
class _Target:
    chat_url: str
    embed_url: str
    headers: dict[str, str]
    key: str


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
        self._transport = transport
        self._clock = clock
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, _Target] = {}

    def supported_params(self, model: str) -> frozenset[str]:
        return SUPPORTED_PARAMS

    def _target(self, deployment: Deployment) -> _Target:
        target = self._targets.get(deployment.id)
        if target is None:
            key = deployment.key or next((self._environ[v] for v in KEY_VARIABLES if self._environ.get(v)), "")
            if not key:
                raise AuthenticationError(
                    "No API key for cohere: set api_key on the deployment or the COHERE_API_KEY environment variable.",
                    provider=self.name,
                    deployment=deployment.id,
                )
            headers = {"content-type": "application/json", "authorization": f"Bearer {key}"}
            extra = deployment.params.get("extra_headers") or deployment.params.get("headers")
            if isinstance(extra, Mapping):
                headers.update({str(k).lower(): str(v) for k, v in extra.items()})
            root = api_root(deployment.api_base)
            target = self._targets[deployment.id] = _Target(root + "/v2/chat", root + "/v2/embed", headers, key)
        return target

    def _error(
        self, status: int, headers: Mapping[str, str], body: bytes, deployment: str, key: str
    ) -> SwitchboardError:
        return error_from_response(status, headers, body, deployment=deployment, secrets=(key,))

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = chat_body(call.request, deployment.model, stream=False, defaults=deployment.params)
        async with transport_failures(self.name, deployment.id):
            reply = await self._transport.send(
                "POST", target.chat_url, headers=target.headers, body=orjson.dumps(body), timeout=call.timeout
            )
        if reply.status >= 400:
            raise self._error(reply.status, reply.headers, reply.body, deployment.id, target.key)
        return chat_response(reply.body, deployment.model, int(self._clock.now()), deployment.id)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        target = self._target(deployment)
        body = chat_body(call.request, deployment.model, stream=True, defaults=deployment.params)
        async with (
            transport_failures(self.name, deployment.id),
            self._transport.stream(
                "POST",
                target.chat_url,
                headers=target.headers,
                body=orjson.dumps(body),
                idle_timeout=call.idle_timeout,
            ) as reply,
        ):
            if reply.status >= 400:
                raise self._error(reply.status, reply.headers, await reply.read(), deployment.id, target.key)
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
        async with transport_failures(self.name, deployment.id):
            reply = await self._transport.send(
                "POST",
                target.embed_url,
                headers=target.headers,
                body=orjson.dumps(body),
                timeout=call.timeout,
            )
        if reply.status >= 400:
            raise self._error(reply.status, reply.headers, reply.body, deployment.id, target.key)
        return embedding_response(reply.body, deployment.model, call.request.encoding_format, deployment.id)
