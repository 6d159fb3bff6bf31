"""MockProvider: answers every endpoint without any network."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from switchboard.adapters.outbound.providers.failures import KNOWN_CODES, error_from_status
from switchboard.adapters.outbound.providers.mock.media import (
    audio_seconds,
    completion_text,
    png_data_url,
    png_image,
    speech_audio,
    transcript_document,
    transcript_json,
    transcript_text,
)
from switchboard.adapters.outbound.providers.mock.replies import (
    DEFAULT_DIMENSIONS,
    embedding_vector,
    reply_text,
    split_words,
)
from switchboard.adapters.outbound.providers.vectors import to_embedding_response
from switchboard.domain.audio import SPEECH_CONTENT_TYPES, TEXT_FORMATS, SpeechAudio, Transcription
from switchboard.domain.chat import ChatChunk, ChatResponse, Choice, ChunkChoice, Delta, ResponseMessage
from switchboard.domain.completions import CompletionChoice, CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.embeddings import EmbeddingResponse
from switchboard.domain.estimates import prompt_tokens
from switchboard.domain.images import ImageData, ImageResponse
from switchboard.domain.ports.clock import Clock
from switchboard.domain.ports.endpoints import CompletionCall, ImageCall, SpeechCall, TranscriptionCall
from switchboard.domain.ports.ids import IdSource
from switchboard.domain.ports.providers import ChatCall, EmbeddingCall
from switchboard.domain.ports.tokens import TokenCounter
from switchboard.domain.usage import Usage

_AUDIO_PIECE = 16 * 1024
MOCK_PARAMS = frozenset({"mock_response", "mock_latency_ms", "mock_chunk_delay_ms", "mock_chunk_size"})


def _setting(call_extra: Mapping[str, Any] | None, params: Mapping[str, Any], name: str) -> Any:
    if call_extra and name in call_extra:
        return call_extra[name]
    return params.get(name)


class MockProvider:
    """Deterministic, offline; every OpenAI chat parameter is accepted (and ignored)."""

    name = "mock"

    def __init__(self, clock: Clock, ids: IdSource, tokens: TokenCounter) -> None:
        self._clock = clock
        self._ids = ids
        self._tokens = tokens

    async def _wait(self, milliseconds: Any) -> None:
        if milliseconds:
            await asyncio.sleep(float(milliseconds) / 1000)

    def _fail_if_told(self, call_params: Mapping[str, Any], deployment_id: str) -> None:
        error = call_params.get("mock_error")
        if not error:
            return
        spec: Mapping[str, Any] = error if isinstance(error, Mapping) else {"status": int(error)}
        status = int(spec.get("status", 500))
        headers = {"retry-after": str(spec["retry_after"])} if spec.get("retry_after") is not None else {}
        code = None if spec.get("code") is None else str(spec["code"])  # a YAML code may be a number
        raise error_from_status(
            status,
            str(spec.get("message", f"mock failure {status}")),
            provider="mock",
            deployment=deployment_id,
            headers=headers,
            code=code,
            kind=KNOWN_CODES.get(str(code)),
        )

    def _usage(self, call: ChatCall, text: str) -> Usage:
        model = call.deployment.model
        return Usage.of(prompt_tokens(call.request, self._tokens, model), self._tokens.count(text, model))

    async def complete(self, call: ChatCall) -> ChatResponse:
        params = call.deployment.params
        extra = call.request.model_extra
        self._fail_if_told(params, call.deployment.id)
        await self._wait(_setting(extra, params, "mock_latency_ms"))
        text = reply_text(call.request, params)
        choices = [
            Choice(index=i, message=ResponseMessage(content=text), finish_reason="stop")
            for i in range(call.request.n or 1)
        ]
        return ChatResponse(
            id=self._ids.new("chatcmpl-"),
            created=int(self._clock.now()),
            model=call.deployment.model,
            choices=choices,
            usage=self._usage(call, text),
        )

    @asynccontextmanager
    async def stream(self, call: ChatCall) -> AsyncIterator[AsyncIterator[ChatChunk]]:
        params = call.deployment.params
        self._fail_if_told(params, call.deployment.id)
        yield self._chunks(call)

    async def _chunks(self, call: ChatCall) -> AsyncIterator[ChatChunk]:
        params = call.deployment.params
        extra = call.request.model_extra
        await self._wait(_setting(extra, params, "mock_latency_ms"))
        text = reply_text(call.request, params)
        pieces = split_words(text, int(_setting(extra, params, "mock_chunk_size") or 1))
        delay = _setting(extra, params, "mock_chunk_delay_ms")
        ident, created, model = self._ids.new("chatcmpl-"), int(self._clock.now()), call.deployment.model

        def chunk(delta: Delta, finish: Any = None) -> ChatChunk:
            return ChatChunk(
                id=ident,
                created=created,
                model=model,
                choices=[ChunkChoice(delta=delta, finish_reason=finish)],
            )

        yield chunk(Delta(role="assistant", content=""))
        for piece in pieces:
            await self._wait(delay)
            yield chunk(Delta(content=piece))
        yield chunk(Delta(), "stop")
        yield ChatChunk(id=ident, created=created, model=model, usage=self._usage(call, text))

    async def embed(self, call: EmbeddingCall) -> EmbeddingResponse:
        params = call.deployment.params
        self._fail_if_told(params, call.deployment.id)
        await self._wait(params.get("mock_latency_ms"))
        dimensions = call.request.dimensions or int(params.get("mock_dimensions") or DEFAULT_DIMENSIONS)
        items = [item if isinstance(item, str) else " ".join(map(str, item)) for item in call.request.inputs]
        vectors = [embedding_vector(item, dimensions) for item in items]
        tokens = sum(self._tokens.count(item) for item in items)
        return to_embedding_response(vectors, call.deployment.model, tokens, call.request.encoding_format)

    def _prompt_texts(self, request: CompletionRequest) -> list[str]:
        return [p if isinstance(p, str) else " ".join(map(str, p)) for p in request.prompts]

    async def complete_text(self, call: CompletionCall) -> CompletionResponse:
        params, request = call.deployment.params, call.request
        self._fail_if_told(params, call.deployment.id)
        await self._wait(_setting(request.model_extra, params, "mock_latency_ms"))
        n = request.n or 1
        choices: list[CompletionChoice] = []
        prompt_tokens = completion_tokens = 0
        model = call.deployment.model
        for index, prompt in enumerate(self._prompt_texts(request)):
            text = completion_text(prompt, request.model_extra, params)
            prompt_tokens += self._tokens.count(prompt, model)
            completion_tokens += n * self._tokens.count(text, model)
            for i in range(n):
                shown = prompt + text if request.echo else text
                choices.append(CompletionChoice(index=index * n + i, text=shown, finish_reason="stop"))
        return CompletionResponse(
            id=self._ids.new("cmpl-"),
            created=int(self._clock.now()),
            model=model,
            choices=choices,
            usage=Usage.of(prompt_tokens, completion_tokens),
        )

    @asynccontextmanager
    async def stream_text(self, call: CompletionCall) -> AsyncIterator[AsyncIterator[CompletionChunk]]:
        self._fail_if_told(call.deployment.params, call.deployment.id)
        yield self._text_chunks(call)

    async def _text_chunks(self, call: CompletionCall) -> AsyncIterator[CompletionChunk]:
        params, request = call.deployment.params, call.request
        extra = request.model_extra
        await self._wait(_setting(extra, params, "mock_latency_ms"))
        prompt = self._prompt_texts(request)[0]
        text = completion_text(prompt, extra, params)
        pieces = split_words(text, int(_setting(extra, params, "mock_chunk_size") or 1))
        if request.echo:
            pieces.insert(0, prompt)
        delay = _setting(extra, params, "mock_chunk_delay_ms")
        ident, created, model = self._ids.new("cmpl-"), int(self._clock.now()), call.deployment.model
        for piece in pieces:
            await self._wait(delay)
            yield CompletionChunk(id=ident, created=created, model=model, choices=[CompletionChoice(text=piece)])
        yield CompletionChunk(id=ident, created=created, model=model, choices=[CompletionChoice(finish_reason="stop")])
        usage = Usage.of(self._tokens.count(prompt, model), self._tokens.count(text, model))
        yield CompletionChunk(id=ident, created=created, model=model, usage=usage)

    async def generate_images(self, call: ImageCall) -> ImageResponse:
        params, request = call.deployment.params, call.request
        self._fail_if_told(params, call.deployment.id)
        await self._wait(_setting(request.model_extra, params, "mock_latency_ms"))
        data = []
        for index in range(request.n or 1):
            png = png_image(f"{index}:{request.prompt}")
            if request.response_format == "b64_json":
                data.append(ImageData(b64_json=base64.b64encode(png).decode()))
            else:
                data.append(ImageData(url=png_data_url(png)))
        return ImageResponse(created=int(self._clock.now()), data=data, size=request.size)

    async def transcribe(self, call: TranscriptionCall) -> Transcription:
        params, request = call.deployment.params, call.request
        self._fail_if_told(params, call.deployment.id)
        await self._wait(_setting(request.model_extra, params, "mock_latency_ms"))
        upload = request.file
        text = transcript_text(upload.filename, len(upload.content), request.model_extra, params)
        seconds = audio_seconds(len(upload.content))
        fmt = request.format
        if fmt in TEXT_FORMATS:
            return Transcription(text=transcript_document(text, fmt, seconds), format=fmt)
        body = transcript_json(text, fmt, seconds, request.language, list(request.timestamp_granularities or ()))
        return Transcription.model_validate({**body, "format": fmt})

    @asynccontextmanager
    async def speak(self, call: SpeechCall) -> AsyncIterator[SpeechAudio]:
        params, request = call.deployment.params, call.request
        self._fail_if_told(params, call.deployment.id)
        await self._wait(_setting(request.model_extra, params, "mock_latency_ms"))
        audio = speech_audio(request.input, request.format, request.speed)
        yield SpeechAudio(SPEECH_CONTENT_TYPES[request.format], self._audio_pieces(audio, params, request))

    async def _audio_pieces(self, audio: bytes, params: Mapping[str, Any], request: Any) -> AsyncIterator[bytes]:
        delay = _setting(request.model_extra, params, "mock_chunk_delay_ms")
        for start in range(0, len(audio), _AUDIO_PIECE):
            if start:
                await self._wait(delay)
            yield audio[start : start + _AUDIO_PIECE]
