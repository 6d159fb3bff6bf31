"""OpenAIProvider: the I/O shell around the pure OpenAI mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import orjson

from switchboard.adapters.outbound.providers.access import api_key, extra_headers, missing_key
from switchboard.adapters.outbound.providers.failures import json_body, protocol_error, transport_failures
from switchboard.adapters.outbound.providers.multipart import encode_multipart
from switchboard.adapters.outbound.providers.openai.endpoints import (
    CompletionChunkDecoder,
    completion_body,
    completion_response,
    image_body,
    image_response,
    speech_body,
    speech_content_type,
    transcription_form,
    transcription_response,
)
from switchboard.adapters.outbound.providers.openai.errors import error_from_fields, error_from_response
from switchboard.adapters.outbound.providers.openai.request import chat_body, embedding_body
from switchboard.adapters.outbound.providers.openai.response import chat_response, embedding_response
from switchboard.adapters.outbound.providers.openai.responses import (
    ResponseEventDecoder,
    response_from_wire,
    responses_body,
)
from switchboard.adapters.outbound.providers.openai.stream import OpenAIChunkDecoder
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.adapters.outbound.providers.upstream import Endpoint, ErrorReader, Upstream
from switchboard.adapters.outbound.transport import Transport
from switchboard.domain.audio import SpeechAudio, Transcription
from switchboard.domain.chat import ChatChunk, ChatRequest, ChatResponse
from switchboard.domain.completions import CompletionChunk, CompletionResponse
from switchboard.domain.deployments import Deployment
from switchboard.domain.embeddings import EmbeddingRequest, EmbeddingResponse
from switchboard.domain.errors import SwitchboardError
from switchboard.domain.images import ImageResponse
from switchboard.domain.ports.endpoints import CompletionCall, ImageCall, SpeechCall, TranscriptionCall
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from switchboard.domain.ports.responses import ResponsesCall
from switchboard.domain.responses.wire import ResponseObject

Chunk = TypeVar("Chunk")  # invariant: the decoders hand back lists of it


class ChunkDecoder(Protocol):
    """Turns the data of each SSE event into chunks; ``finish`` runs when the body ends
    without ``[DONE]`` and raises if the answer was cut short."""

    def feed(self, data: str) -> list[ChatChunk]: ...

    def finish(self) -> list[ChatChunk]: ...


class _Decoder(Protocol[Chunk]):
    def feed(self, data: str) -> list[Chunk]: ...

    def finish(self) -> list[Chunk]: ...


@dataclass(frozen=True, slots=True)
class Target:
    """Where one deployment's requests go: ``url(path)`` is ``base + path + query`` (the base
    without a trailing slash), the headers, and the key (kept to redact it from upstream error
    messages). ``endpoint(path)`` is made once per path."""

    base: str
    headers: dict[str, str]
    key: str
    query: str = ""
    _endpoints: dict[str, Endpoint] = field(default_factory=dict, init=False, repr=False, compare=False)

    def url(self, path: str) -> str:
        return self.base + path + self.query

    def endpoint(self, path: str, content_type: str | None = None) -> Endpoint:
        """The endpoint for ``path``; with ``content_type`` (a multipart upload's boundary), a
        new one with that ``content-type``."""
        if content_type is not None:
            return Endpoint(self.url(path), {**self.headers, "content-type": content_type}, (self.key,))
        endpoint = self._endpoints.get(path)
        if endpoint is None:
            endpoint = self._endpoints[path] = Endpoint(self.url(path), self.headers, (self.key,))
        return endpoint


class OpenAIProvider:
    """Every endpoint of OpenAI's wire format: chat (JSON and SSE), embeddings, legacy
    completions, images, transcriptions (multipart upload) and speech (streamed audio).

    ``api_base`` defaults to ``default_api_base``; the key comes from the deployment, else from
    the environment variable ``api_key_env``. Which of the endpoints an API really has is said
    by its declaration (``ProviderInfo.endpoints``), not here. Targets (URL and headers) are
    computed once per deployment. An API that shares this I/O but not every detail of the wire
    format (Mistral) subclasses it, overrides the ``_chat_body`` ... ``_embedding_response``
    mapping hooks and passes its own ``errors`` reader (the body of an error answer -> domain
    error); one that addresses or signs requests differently overrides ``_build_target``, or
    ``_resolve_target`` when that needs I/O (Azure's Entra ID tokens).
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
        errors: ErrorReader = error_from_response,
    ) -> None:
        self.name = name
        self._upstream = Upstream(transport, name, errors)
        self._default_base = default_api_base
        self._key_env = api_key_env
        self._key_required = key_required
        self._environ = os.environ if environ is None else environ
        self._targets: dict[str, Target] = {}

    def _target(self, deployment: Deployment) -> Target:
        target = self._targets.get(deployment.id)
        if target is None:
            target = self._targets[deployment.id] = self._build_target(deployment)
        return target

    async def _resolve_target(self, deployment: Deployment) -> Target:
        """The target for the next request; an override may do I/O (fetch a token)."""
        return self._target(deployment)

    def _build_target(self, deployment: Deployment) -> Target:
        """URL and headers for ``deployment``; OpenAI-compatible subclasses override it."""
        key = api_key(deployment, self._environ, (self._key_env,) if self._key_env else ())
        if not key and self._key_required:
            raise missing_key(self.name, deployment.id, self._key_env)
        headers = {"content-type": "application/json"}
        if key:
            headers["authorization"] = f"Bearer {key}"
        organization = deployment.params.get("organization")
        if organization:
            headers["openai-organization"] = str(organization)
        headers.update(extra_headers(deployment))
        return Target((deployment.api_base or self._default_base).rstrip("/"), headers, key)

    async def _post(
        self,
        deployment: Deployment,
        path: str,
        body: bytes,
        timeout: float | None,
        content_type: str | None = None,
    ) -> bytes:
        """POST and return the answer's body; an error status raises."""
        target = await self._resolve_target(deployment)
        reply = await self._upstream.post(target.endpoint(path, content_type), body, timeout, deployment.id)
        return reply.body

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        body = self._chat_body(call.request, deployment, stream=False)
        data = await self._post(deployment, "/chat/completions", orjson.dumps(body), call.timeout)
        return self._chat_response(data, deployment)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        body = orjson.dumps(self._chat_body(call.request, deployment, stream=True))
        target = await self._resolve_target(deployment)
        endpoint = target.endpoint("/chat/completions")
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            yield self._chunks(reply.chunks(), deployment, target.key, self._chunk_decoder(deployment))

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        body = self._embedding_body(call.request, deployment)
        data = await self._post(deployment, "/embeddings", orjson.dumps(body), call.timeout)
        return self._embedding_response(data, call.request)

    async def complete_text(self, call: CompletionCall) -> CompletionResponse:
        deployment = call.deployment
        body = completion_body(call.request, deployment.model, stream=False, defaults=deployment.params)
        data = await self._post(deployment, "/completions", orjson.dumps(body), call.timeout)
        return completion_response(data, self.name)

    @asynccontextmanager
    async def stream_text(self, call: CompletionCall) -> AsyncIterator[AsyncIterator[CompletionChunk]]:
        deployment = call.deployment
        body = orjson.dumps(completion_body(call.request, deployment.model, stream=True, defaults=deployment.params))
        target = await self._resolve_target(deployment)
        endpoint = target.endpoint("/completions")
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            decoder = CompletionChunkDecoder(self.name, deployment.id)
            yield self._chunks(reply.chunks(), deployment, target.key, decoder)

    async def generate_images(self, call: ImageCall) -> ImageResponse:
        deployment = call.deployment
        body = image_body(call.request, deployment.model)
        data = await self._post(deployment, "/images/generations", orjson.dumps(body), call.timeout)
        return image_response(data, self.name)

    async def transcribe(self, call: TranscriptionCall) -> Transcription:
        deployment = call.deployment
        fields, files = transcription_form(call.request, deployment.model)
        body, content_type = encode_multipart(fields, files)
        data = await self._post(deployment, "/audio/transcriptions", body, call.timeout, content_type)
        return transcription_response(data, call.request, self.name)

    @asynccontextmanager
    async def speak(self, call: SpeechCall) -> AsyncIterator[SpeechAudio]:
        deployment = call.deployment
        body = orjson.dumps(speech_body(call.request, deployment.model))
        endpoint = (await self._resolve_target(deployment)).endpoint("/audio/speech")
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            content_type = speech_content_type(reply.headers.get("content-type"), call.request)
            yield SpeechAudio(content_type, self._audio(reply.chunks(), deployment.id))

    async def create_response(self, call: ResponsesCall) -> ResponseObject:
        deployment = call.deployment
        body = orjson.dumps(responses_body(call.body, deployment.model))
        endpoint = await self._responses_endpoint(deployment)
        reply = await self._upstream.post(endpoint, body, call.timeout, deployment.id)
        return response_from_wire(reply.body, self.name, deployment.id)

    @asynccontextmanager
    async def stream_response(self, call: ResponsesCall) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        deployment = call.deployment
        body = orjson.dumps(responses_body(call.body, deployment.model))
        endpoint = await self._responses_endpoint(deployment)
        async with self._upstream.stream(endpoint, body, call.idle_timeout, deployment.id) as reply:
            yield self._response_events(reply.chunks(), deployment)

    async def _responses_endpoint(self, deployment: Deployment) -> Endpoint:
        """Where ``/responses`` is for ``deployment`` (Azure's dated API has it outside the
        deployment's path)."""
        return (await self._resolve_target(deployment)).endpoint("/responses")

    async def _response_events(
        self, raw: AsyncIterator[bytes], deployment: Deployment
    ) -> AsyncIterator[dict[str, Any]]:
        sse, decoder = SseDecoder(), ResponseEventDecoder(self.name, deployment.id)
        async with transport_failures(self.name, deployment.id):
            async for data in raw:
                for event in sse.feed(data):
                    for item in decoder.feed(event):
                        yield item
        for event in sse.flush():
            for item in decoder.feed(event):
                yield item
        for item in decoder.finish():
            yield item

    async def _audio(self, raw: AsyncIterator[bytes], deployment_id: str) -> AsyncIterator[bytes]:
        async with transport_failures(self.name, deployment_id):
            async for data in raw:
                yield data

    async def _chunks(
        self, raw: AsyncIterator[bytes], deployment: Deployment, key: str, decoder: _Decoder[Chunk]
    ) -> AsyncIterator[Chunk]:
        sse = SseDecoder()
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

    # --- wire mapping hooks: pure functions of the OpenAI format; subclasses swap them ---

    def _chat_body(self, request: ChatRequest, deployment: Deployment, *, stream: bool) -> dict[str, Any]:
        return chat_body(request, deployment.model, stream=stream, defaults=deployment.params)

    def _chat_response(self, body: bytes, deployment: Deployment) -> ChatResponse:
        return chat_response(body, self.name)

    def _chunk_decoder(self, deployment: Deployment) -> ChunkDecoder:
        return OpenAIChunkDecoder(self.name, deployment.id)

    def _embedding_body(self, request: EmbeddingRequest, deployment: Deployment) -> dict[str, Any]:
        return embedding_body(request, deployment.model)

    def _embedding_response(self, body: bytes, request: EmbeddingRequest) -> EmbeddingResponse:
        return embedding_response(body, self.name)
