"""OpenAIProvider: the I/O shell around the pure OpenAI mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from adapters.outbound.providers.failures import json_body, protocol_error, transport_failures
from adapters.outbound.providers.openai.errors import error_from_fields, error_from_response
from adapters.outbound.providers.openai.request import chat_body, chat_params, embedding_body
from adapters.outbound.providers.openai.response import chat_response, embedding_response
from adapters.outbound.providers.openai.stream import OpenAIChunkDecoder
from adapters.outbound.providers.sse import SseDecoder
from adapters.outbound.transport import Transport
from domain.chat import ChatChunk, ChatRequest, ChatResponse
from domain.deployments import Deployment
from domain.embeddings import EmbeddingRequest, EmbeddingResponse
from domain.errors import AuthenticationError, SwitchboardError
from domain.ports.providers import ChatCall, EmbeddingCall


class ChunkDecoder(Protocol):
    """Turns the data of each SSE event into chunks; ``finish`` runs when the body ends
    without ``[DONE]`` and raises if the answer was cut short."""

    def feed(self, data: str) -> list[ChatChunk]: ...

    def finish(self) -> list[ChatChunk]: ...


@dataclass(frozen=True, slots=True)
class Target:
    """Where one deployment's requests go: base URL (no trailing slash), headers, and the key
    (kept to redact it from upstream error messages)."""

    base: str
    headers: dict[str, str]
    key: str


def extra_headers(deployment: Deployment) -> dict[str, str]:
    """``extra_headers`` (or ``headers``) from the deployment's ``litellm_params``, lower-cased."""
    extra = deployment.params.get("extra_headers") or deployment.params.get("headers")
    if isinstance(extra, Mapping):
        return {str(k).lower(): str(v) for k, v in extra.items()}
    return {}


class OpenAIProvider:
    """Chat (JSON and SSE) and embeddings over OpenAI's wire format.

    ``api_base`` defaults to ``default_api_base``; the key comes from the deployment, else from
    the environment variable ``api_key_env``. Targets (URL and headers) are computed once per
    deployment. An API that shares this I/O but not every detail of the wire format (Mistral)
    subclasses it and overrides the ``_chat_body`` ... ``_embedding_response`` mapping hooks.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        name: str = "openai",
        default_api_base: str = "https://api.openai.com/v1",
        api_key_env: str | None = "OPENAI_API_KEY",
        key_required: bool = True,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self._transport = transport
        self._default_base = default_api_base
        self._key_env = api_key_env
        self._key_required = key_required
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, Target] = {}

    def supported_params(self, model: str) -> frozenset[str]:
        return chat_params(model)

    def _target(self, deployment: Deployment) -> Target:
        target = self._targets.get(deployment.id)
        if target is None:
            target = self._targets[deployment.id] = self._build_target(deployment)
        return target

    def _build_target(self, deployment: Deployment) -> Target:
        """URL and headers for ``deployment``; OpenAI-compatible subclasses override it."""
        key = deployment.key or (self._environ.get(self._key_env, "") if self._key_env else "")
        if not key and self._key_required:
            raise AuthenticationError(
                f"No API key for {self.name}: set api_key on the deployment"
                + (f" or the {self._key_env} environment variable." if self._key_env else "."),
                provider=self.name,
                deployment=deployment.id,
            )
        headers = {"content-type": "application/json"}
        if key:
            headers["authorization"] = f"Bearer {key}"
        organization = deployment.params.get("organization")
        if organization:
            headers["openai-organization"] = str(organization)
        headers.update(extra_headers(deployment))
        return Target((deployment.api_base or self._default_base).rstrip("/"), headers, key)

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = self._chat_body(call.request, deployment, stream=False)
        async with transport_failures(self.name, deployment.id):
            reply = await self._transport.send(
                "POST",
                target.base + "/chat/completions",
                headers=target.headers,
                body=orjson.dumps(body),
                timeout=call.timeout,
            )
        if reply.status >= 400:
            raise self._error(reply.status, reply.headers, reply.body, deployment.id, target.key)
        return self._chat_response(reply.body, deployment)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        target = self._target(deployment)
        body = self._chat_body(call.request, deployment, stream=True)
        async with (
            transport_failures(self.name, deployment.id),
            self._transport.stream(
                "POST",
                target.base + "/chat/completions",
                headers=target.headers,
                body=orjson.dumps(body),
                idle_timeout=call.idle_timeout,
            ) as reply,
        ):
            if reply.status >= 400:
                raise self._error(reply.status, reply.headers, await reply.read(), deployment.id, target.key)
            yield self._chunks(reply.chunks(), deployment, target.key)

    async def _chunks(self, raw: AsyncIterator[bytes], deployment: Deployment, key: str) -> AsyncIterator[ChatChunk]:
        sse = SseDecoder()
        decoder = self._chunk_decoder(deployment)
        async with transport_failures(self.name, deployment.id):
            async for data in raw:
                for event in sse.feed(data):
                    if event.data == "[DONE]":
                        return
                    if event.data.startswith('{"error"'):
                        raise self._stream_error(event.data, deployment.id, key)
                    for chunk in decoder.feed(event.data):
                        yield chunk
        for event in sse.flush():
            if event.data == "[DONE]":
                return
            for chunk in decoder.feed(event.data):
                yield chunk
        for chunk in decoder.finish():
            yield chunk

    def _stream_error(self, data: str, deployment_id: str, key: str) -> SwitchboardError:
        payload = json_body(data.encode())
        error = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(error, dict):
            return protocol_error(self.name, "an error event we could not read", deployment_id)
        code = error.get("code")
        status = code if isinstance(code, int) else 500
        return error_from_fields(status, {}, error, provider=self.name, deployment=deployment_id, secrets=(key,))

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        target = self._target(deployment)
        body = self._embedding_body(call.request, deployment)
        async with transport_failures(self.name, deployment.id):
            reply = await self._transport.send(
                "POST",
                target.base + "/embeddings",
                headers=target.headers,
                body=orjson.dumps(body),
                timeout=call.timeout,
            )
        if reply.status >= 400:
            raise self._error(reply.status, reply.headers, reply.body, deployment.id, target.key)
        return self._embedding_response(reply.body, call.request)

    # --- wire mapping hooks: pure functions of the OpenAI format; subclasses swap them ---

    def _chat_body(self, request: ChatRequest, deployment: Deployment, *, stream: bool) -> dict[str, Any]:
        return chat_body(request, deployment.model, stream=stream, defaults=deployment.params)

    def _chat_response(self, body: bytes, deployment: Deployment) -> ChatResponse:
        return chat_response(body, self.name)

    def _chunk_decoder(self, deployment: Deployment) -> ChunkDecoder:
        return OpenAIChunkDecoder(self.name, deployment.id)

    def _error(
        self, status: int, headers: Mapping[str, str], body: bytes, deployment_id: str, key: str
    ) -> SwitchboardError:
        return error_from_response(status, headers, body, provider=self.name, deployment=deployment_id, secrets=(key,))

    def _embedding_body(self, request: EmbeddingRequest, deployment: Deployment) -> dict[str, Any]:
        return embedding_body(request, deployment.model)

    def _embedding_response(self, body: bytes, request: EmbeddingRequest) -> EmbeddingResponse:
        return embedding_response(body, self.name)
