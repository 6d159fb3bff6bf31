"""The I/O shell of the Google ``generateContent`` APIs, and ``GeminiProvider`` (AI Studio).

The Gemini API and Vertex AI speak the same wire format; they differ in where a request goes,
how it authenticates (``_endpoint``) and how embeddings are asked for (``embed``). Everything
else lives here once, around the pure mapping modules.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.access import api_key, extra_headers, missing_key
from switchboard.adapters.outbound.providers.failures import json_body, protocol_error, transport_failures
from switchboard.adapters.outbound.providers.gemini.embeddings import (
    batch_body,
    batch_vectors,
    task_type,
    texts_of,
)
from switchboard.adapters.outbound.providers.gemini.errors import error_from_response
from switchboard.adapters.outbound.providers.gemini.request import chat_body
from switchboard.adapters.outbound.providers.gemini.response import chat_response
from switchboard.adapters.outbound.providers.gemini.stream import GeminiStreamDecoder
from switchboard.adapters.outbound.providers.gemini.urls import gemini_url, model_id
from switchboard.adapters.outbound.providers.upstream import Endpoint, Upstream
from switchboard.adapters.outbound.providers.vectors import to_embedding_response
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.chat import ChatChunk, ChatResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from switchboard.domain.ports.tokens import TokenCounter


class GenerateContentClient:
    """Chat (JSON and SSE) over ``generateContent``; subclasses say where and how to call."""

    def __init__(self, transport: Transport, clock: Clock, ids: IdSource, tokens: TokenCounter, *, name: str) -> None:
        self.name = name
        self._transport = transport
        self._upstream = Upstream(transport, name, error_from_response)
        self._clock = clock
        self._ids = ids
        self._tokens = tokens

    async def _endpoint(self, deployment: Deployment, method: str) -> Endpoint:
        raise NotImplementedError

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        body = orjson.dumps(chat_body(call.request, model_id(deployment.model), deployment.params))
        endpoint = await self._endpoint(deployment, "generateContent")
        reply = await self._upstream.post(endpoint, body, call.timeout, deployment.id)
        payload = self._parsed(reply.body, deployment, "a chat response")
        return chat_response(
            payload,
            response_id=str(payload.get("responseId") or self._ids.new()),
            created=int(self._clock.now()),
            model=deployment.model,
            provider=self.name,
            deployment=deployment.id,
        )

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        body = orjson.dumps(chat_body(call.request, model_id(deployment.model), deployment.params))
        endpoint = await self._endpoint(deployment, "streamGenerateContent")
        decoder = GeminiStreamDecoder(
            model=deployment.model,
            fallback_id=self._ids.new(),
            created=int(self._clock.now()),
            provider=self.name,
            deployment=deployment.id,
            secrets=endpoint.secrets,
        )
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            yield self._chunks(reply.chunks(), decoder, deployment)

    async def _chunks(
        self, raw: AsyncIterator[bytes], decoder: GeminiStreamDecoder, deployment: Deployment
    ) -> AsyncIterator[ChatChunk]:
        async with transport_failures(self.name, deployment.id):
            async for data in raw:
                for chunk in decoder.feed(data):
                    yield chunk
        for chunk in decoder.finish():
            yield chunk

    def _parsed(self, body: bytes, deployment: Deployment, what: str) -> dict[str, Any]:
        payload = json_body(body)
        if not isinstance(payload, dict):
            raise protocol_error(self.name, f"{what} that is not a JSON object", deployment.id)
        return payload

    def _estimate(self, texts: list[str], model: str) -> int:
        return sum(self._tokens.count(text, model) for text in texts)


class GeminiProvider(GenerateContentClient):
    """The Gemini API (Google AI Studio): ``x-goog-api-key`` auth, ``batchEmbedContents``.

    The key comes from the deployment's ``api_key``, else ``GEMINI_API_KEY``, else
    ``GOOGLE_API_KEY``. A custom ``api_base`` (a proxy that holds the key itself) needs none.
    """

    KEY_VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY")

    def __init__(
        self,
        transport: Transport,
        clock: Clock,
        ids: IdSource,
        tokens: TokenCounter,
        *,
        environ: Mapping[str, str] | None = None,
        name: str = "gemini",
    ) -> None:
        super().__init__(transport, clock, ids, tokens, name=name)
        self._environ = os.environ if environ is None else environ
        self._endpoints: dict[tuple[str, str], Endpoint] = {}

    async def _endpoint(self, deployment: Deployment, method: str) -> Endpoint:
        endpoint = self._endpoints.get((deployment.id, method))
        if endpoint is None:
            key = api_key(deployment, self._environ, self.KEY_VARIABLES)
            if not key and not deployment.api_base:
                raise missing_key(self.name, deployment.id, self.KEY_VARIABLES[0])
            headers = {"content-type": "application/json", **extra_headers(deployment)}
            if key:
                headers["x-goog-api-key"] = key
            url = gemini_url(deployment.api_base, deployment.api_version, deployment.model, method)
            endpoint = self._endpoints[(deployment.id, method)] = Endpoint(url, headers, (key,))
        return endpoint

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        request = call.request
        texts = texts_of(request)
        model = model_id(deployment.model)
        body = batch_body(texts, model, request.dimensions, task_type(request, deployment.params))
        endpoint = await self._endpoint(deployment, "batchEmbedContents")
        reply = await self._upstream.post(endpoint, orjson.dumps(body), call.timeout, deployment.id)
        vectors, tokens = batch_vectors(self._parsed(reply.body, deployment, "an embeddings response"), self.name)
        if len(vectors) != len(texts):
            raise protocol_error(self.name, f"{len(vectors)} embeddings for {len(texts)} inputs", deployment.id)
        if tokens is None:
            tokens = self._estimate(texts, model)
        return to_embedding_response(vectors, deployment.model, tokens, request.encoding_format)
