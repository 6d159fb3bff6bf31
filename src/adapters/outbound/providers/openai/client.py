"""OpenAIProvider: the I/O shell around the pure OpenAI mapping."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import orjson

from adapters.outbound.providers.failures import json_body, protocol_error, transport_failures
from adapters.outbound.providers.multipart import encode_multipart
from adapters.outbound.providers.openai.endpoints import (
    completion_body,
    completion_chunk,
    completion_response,
    image_body,
    image_response,
    speech_body,
    speech_content_type,
    transcription_form,
    transcription_response,
)
from adapters.outbound.providers.openai.errors import error_from_response
from adapters.outbound.providers.openai.request import chat_body, chat_params, embedding_body
from adapters.outbound.providers.openai.response import chat_chunk, chat_response, embedding_response
from adapters.outbound.providers.openai.target import Target
from adapters.outbound.providers.sse import SseDecoder
from adapters.outbound.transport import StreamReply, Transport
from domain.audio import SpeechAudio, Transcription
from domain.chat import ChatChunk, ChatResponse
from domain.completions import CompletionChunk, CompletionResponse
from domain.deployments import Deployment
from domain.embeddings import EmbeddingResponse
from domain.errors import AuthenticationError, ProviderUnavailable, SwitchboardError
from domain.images import ImageResponse
from domain.ports.endpoints import CompletionCall, ImageCall, SpeechCall, TranscriptionCall
from domain.ports.providers import ChatCall, EmbeddingCall

Chunk = TypeVar("Chunk", ChatChunk, CompletionChunk)

CHAT_ENDPOINTS = frozenset({"chat", "embeddings"})
ALL_ENDPOINTS = frozenset({"chat", "embeddings", "completions", "images", "transcriptions", "speech"})


class OpenAIProvider:
    """Every endpoint of OpenAI's wire format: chat (JSON and SSE), embeddings, legacy
    completions, images, transcriptions (multipart upload) and speech (streamed audio).

    ``api_base`` defaults to ``default_api_base``; the key comes from the deployment, else from
    the environment variable ``api_key_env``. ``endpoints`` says which of them this API really
    has (an OpenAI-compatible API often has chat only). Targets (URL and headers) are computed
    once per deployment; subclasses for APIs that address or authenticate differently override
    ``_target`` and ``_error``.
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
        endpoints: frozenset[str] = CHAT_ENDPOINTS,
    ) -> None:
        self.name = name
        self._transport = transport
        self._default_base = default_api_base
        self._key_env = api_key_env
        self._key_required = key_required
        self._environ = os.environ if environ is None else environ
        self._endpoints = endpoints
        self._targets: dict[str, Target] = {}

    def offers(self, endpoint: str) -> bool:
        return endpoint in self._endpoints

    def supported_params(self, model: str) -> frozenset[str]:
        return chat_params(model)

    async def _target(self, deployment: Deployment) -> Target:
        target = self._targets.get(deployment.id)
        if target is None:
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
            base = (deployment.api_base or self._default_base).rstrip("/")
            target = self._targets[deployment.id] = Target(base, headers, key)
        return target

    def _chat_chunk(self, data: str, provider: str) -> ChatChunk | None:
        """One SSE event's chunk; ``None`` for an event that carries nothing to pass on."""
        return chat_chunk(data, provider)

    def _error(
        self, status: int, headers: Mapping[str, str], body: bytes, deployment: str, key: str
    ) -> SwitchboardError:
        return error_from_response(status, headers, body, provider=self.name, deployment=deployment, secrets=(key,))

    async def _post(
        self,
        deployment: Deployment,
        path: str,
        body: bytes,
        timeout: float | None,
        content_type: str | None = None,
    ) -> tuple[bytes, Mapping[str, str]]:
        """POST and return the answer's body and headers; an error status raises."""
        target = await self._target(deployment)
        headers = target.headers_with(content_type) if content_type else target.headers
        async with transport_failures(self.name, deployment.id):
            reply = await self._transport.send("POST", target.url(path), headers=headers, body=body, timeout=timeout)
        if reply.status >= 400:
            raise self._error(reply.status, reply.headers, reply.body, deployment.id, target.key)
        return reply.body, reply.headers

    @asynccontextmanager
    async def _open(
        self, deployment: Deployment, path: str, body: bytes, idle_timeout: float | None
    ) -> AsyncIterator[tuple[StreamReply, str]]:
        """A streamed POST; an error status raises on enter. Yields the reply and the key."""
        target = await self._target(deployment)
        async with (
            transport_failures(self.name, deployment.id),
            self._transport.stream(
                "POST", target.url(path), headers=target.headers, body=body, idle_timeout=idle_timeout
            ) as reply,
        ):
            if reply.status >= 400:
                raise self._error(reply.status, reply.headers, await reply.read(), deployment.id, target.key)
            yield reply, target.key

    async def complete(self, call: ChatCall) -> ChatResponse:
        deployment = call.deployment
        body = chat_body(call.request, deployment.model, stream=False, defaults=deployment.params)
        data, _ = await self._post(deployment, "/chat/completions", orjson.dumps(body), call.timeout)
        return chat_response(data, self.name)

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        deployment = call.deployment
        body = chat_body(call.request, deployment.model, stream=True, defaults=deployment.params)
        async with self._open(deployment, "/chat/completions", orjson.dumps(body), call.idle_timeout) as (
            reply,
            key,
        ):
            yield self._events(reply.chunks(), deployment.id, key, self._chat_chunk)

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        deployment = call.deployment
        body = embedding_body(call.request, deployment.model)
        data, _ = await self._post(deployment, "/embeddings", orjson.dumps(body), call.timeout)
        return embedding_response(data, self.name)

    async def complete_text(self, call: CompletionCall) -> CompletionResponse:
        deployment = call.deployment
        body = completion_body(call.request, deployment.model, stream=False, defaults=deployment.params)
        data, _ = await self._post(deployment, "/completions", orjson.dumps(body), call.timeout)
        return completion_response(data, self.name)

    @asynccontextmanager
    async def stream_text(self, call: CompletionCall) -> AsyncIterator[AsyncIterator[CompletionChunk]]:
        deployment = call.deployment
        body = completion_body(call.request, deployment.model, stream=True, defaults=deployment.params)
        async with self._open(deployment, "/completions", orjson.dumps(body), call.idle_timeout) as (
            reply,
            key,
        ):
            yield self._events(reply.chunks(), deployment.id, key, completion_chunk)

    async def generate_images(self, call: ImageCall) -> ImageResponse:
        deployment = call.deployment
        body = image_body(call.request, deployment.model)
        data, _ = await self._post(deployment, "/images/generations", orjson.dumps(body), call.timeout)
        return image_response(data, self.name)

    async def transcribe(self, call: TranscriptionCall) -> Transcription:
        deployment = call.deployment
        fields, files = transcription_form(call.request, deployment.model)
        body, content_type = encode_multipart(fields, files)
        data, _ = await self._post(deployment, "/audio/transcriptions", body, call.timeout, content_type)
        return transcription_response(data, call.request, self.name)

    @asynccontextmanager
    async def speak(self, call: SpeechCall) -> AsyncIterator[SpeechAudio]:
        deployment = call.deployment
        body = speech_body(call.request, deployment.model)
        async with self._open(deployment, "/audio/speech", orjson.dumps(body), call.idle_timeout) as (
            reply,
            _,
        ):
            content_type = speech_content_type(reply.headers.get("content-type"), call.request)
            yield SpeechAudio(content_type, self._audio(reply.chunks(), deployment.id))

    async def _audio(self, raw: AsyncIterator[bytes], deployment_id: str) -> AsyncIterator[bytes]:
        async with transport_failures(self.name, deployment_id):
            async for data in raw:
                yield data

    async def _events(
        self,
        raw: AsyncIterator[bytes],
        deployment_id: str,
        key: str,
        parse: Callable[[str, str], Chunk | None],
    ) -> AsyncIterator[Chunk]:
        """SSE chunks up to ``[DONE]``; a stream that ends before a finish reason raises."""
        decoder = SseDecoder()
        name = self.name
        finished = False
        async with transport_failures(name, deployment_id):
            async for data in raw:
                for event in decoder.feed(data):
                    if event.data == "[DONE]":
                        return
                    if event.data.startswith('{"error"'):
                        raise self._stream_error(event.data, deployment_id, key)
                    chunk = parse(event.data, name)
                    if chunk is not None:
                        finished = finished or any(c.finish_reason for c in chunk.choices)
                        yield chunk
        for event in decoder.flush():
            if event.data != "[DONE]" and (chunk := parse(event.data, name)) is not None:
                yield chunk
        if not finished:
            raise ProviderUnavailable(
                f"the stream from {name} ended before the answer was complete",
                provider=name,
                deployment=deployment_id,
            )

    def _stream_error(self, data: str, deployment_id: str, key: str) -> SwitchboardError:
        payload = json_body(data.encode())
        error = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(error, dict):
            return protocol_error(self.name, "an error event we could not read", deployment_id)
        code = error.get("code")
        status = code if isinstance(code, int) else 500
        return self._error(status, {}, data.encode(), deployment_id, key)


def extra_headers(deployment: Deployment) -> dict[str, str]:
    """The deployment's ``extra_headers`` (or ``headers``) param, names lower-cased."""
    extra: Any = deployment.params.get("extra_headers") or deployment.params.get("headers")
    if isinstance(extra, Mapping):
        return {str(k).lower(): str(v) for k, v in extra.items()}
    return {}
