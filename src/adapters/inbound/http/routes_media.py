"""The OpenAI-compatible routes beyond chat and embeddings: legacy completions (JSON and SSE),
image generation, audio transcription (multipart upload) and speech (streamed audio).
Each path also answers without its ``/v1`` prefix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, TypeVar

from litestar import post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency

from switchboard.adapters.inbound.http.access import ACCESS
from switchboard.adapters.inbound.http.credentials import read_body
from switchboard.adapters.inbound.http.disconnects import DisconnectWatch
from switchboard.adapters.inbound.http.media_responses import ByteStreamResponse, TextResponse
from switchboard.adapters.inbound.http.request import HttpRequest
from switchboard.adapters.inbound.http.responses import CLIENT_GONE, JsonResponse, Reply, SseResponse, closing
from switchboard.adapters.inbound.http.routes import both, call_context, route_headers
from switchboard.adapters.inbound.http.schema import DOC, RawRoute
from switchboard.adapters.inbound.http.services import HttpServices
from switchboard.application.streams import CompletionStream
from switchboard.domain.audio import AudioFile, SpeechRequest, Transcription, TranscriptionFormat, TranscriptionRequest
from switchboard.domain.completions import CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.context import CallContext
from switchboard.domain.errors import BadRequest, NotFound, UnsupportedMediaType
from switchboard.domain.governance.access import LLM_ROUTES
from switchboard.domain.images import ImageRequest, ImageResponse
from switchboard.domain.validation import parse_json, parse_mapping

Service = TypeVar("Service")

# Form fields that are lists even when sent once.
_LIST_FIELDS = frozenset({"timestamp_granularities", "include"})


async def _context(request: HttpRequest, services: HttpServices) -> CallContext:
    return await call_context(request, services)


async def _body(request: HttpRequest, services: HttpServices) -> bytes:
    return await read_body(request.receive, request.scope, services.max_body_bytes)


def _served(service: Service | None, path: str) -> Service:
    if service is None:
        raise NotFound(f"This gateway does not serve {path}.")
    return service


def _json(model: Any) -> JsonResponse:
    body = model.__pydantic_serializer__.to_json(model, exclude_none=True)
    return JsonResponse(body, 200, route_headers(model.route))


_CHUNK_JSON = CompletionChunk.__pydantic_serializer__.to_json


async def _events(stream: CompletionStream) -> AsyncIterator[bytes]:
    serialize = _CHUNK_JSON
    async for chunk in stream:
        yield b"data: " + serialize(chunk, exclude_none=True) + b"\n\n"


@post(
    both("/completions"),
    include_in_schema=False,
    opt={
        DOC: RawRoute(
            "Create a legacy text completion",
            CompletionResponse,
            CompletionRequest,
            stream=CompletionChunk,
            description="With `stream: true` the answer is `text/event-stream`: one `data:` event per chunk, "
            "then `data: [DONE]`.",
        ),
        ACCESS: LLM_ROUTES,
    },
)
async def completions(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await _context(request, services)
    service = _served(services.completions, "/v1/completions")
    body = parse_json(CompletionRequest, await _body(request, services))
    async with DisconnectWatch(request.receive):
        if not body.stream:
            return _json(await service.complete(body, ctx))
        opened = service.stream(body, ctx)
        stream = await opened.__aenter__()
        return SseResponse(_events(stream), closing(opened), route_headers(stream.route))
    return CLIENT_GONE


@post(
    both("/images/generations"),
    include_in_schema=False,
    opt={DOC: RawRoute("Generate images", ImageResponse, ImageRequest), ACCESS: LLM_ROUTES},
)
async def image_generations(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await _context(request, services)
    service = _served(services.images, "/v1/images/generations")
    body = parse_json(ImageRequest, await _body(request, services))
    async with DisconnectWatch(request.receive):
        return _json(await service.generate(body, ctx))
    return CLIENT_GONE


async def transcription_request(form: FormMultiDict) -> TranscriptionRequest:
    """The upload as a request. ``name[]`` fields become lists named ``name``; fields the
    gateway does not know keep their names and are forwarded upstream."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise BadRequest("Missing required parameter: 'file' (an audio file upload).", param="file")
    content = await upload.read()
    if not content:
        raise BadRequest("The uploaded file is empty.", param="file")
    fields: dict[str, Any] = {}
    for key in dict.fromkeys(form.keys()):
        if key == "file":
            continue
        values = [v for v in form.getall(key) if not isinstance(v, UploadFile)]
        name = key.removesuffix("[]")
        if key.endswith("[]") or name in _LIST_FIELDS or len(values) > 1:
            fields.setdefault(name, []).extend(values)
        elif values:
            fields[name] = values[0]
    audio = AudioFile(
        filename=upload.filename or "audio",
        content=content,
        content_type=upload.content_type or "application/octet-stream",
    )
    return parse_mapping(TranscriptionRequest, {**fields, "file": audio})


@dataclass
class TranscriptionUpload:
    """The multipart form of a transcription, as the document shows it; fields it does not name
    are forwarded upstream (``transcription_request``)."""

    file: UploadFile
    model: str
    language: str | None = None
    prompt: str | None = None
    response_format: TranscriptionFormat | None = None
    temperature: float | None = None


@post(
    both("/audio/transcriptions"),
    include_in_schema=False,
    opt={
        DOC: RawRoute(
            "Transcribe audio (multipart/form-data upload)",
            Transcription,
            TranscriptionUpload,
            form=True,
            description="JSON for `json` and `verbose_json`; plain text for `text`, `srt` and `vtt`.",
        ),
        ACCESS: LLM_ROUTES,
    },
)
async def audio_transcriptions(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await _context(request, services)  # the guard ran before the body: strangers never reach the parser
    service = _served(services.transcriptions, "/v1/audio/transcriptions")
    if request.content_type[0] != "multipart/form-data":
        raise UnsupportedMediaType("Send the audio as multipart/form-data, with the file in the 'file' field.")
    form = await request.form()
    try:
        body = await transcription_request(form)
    finally:
        for value in form.values():
            if isinstance(value, UploadFile):
                await value.close()
    async with DisconnectWatch(request.receive):
        transcription = await service.transcribe(body, ctx)
        if transcription.is_plain_text:
            return TextResponse(transcription.text, route_headers(transcription.route))
        return _json(transcription)
    return CLIENT_GONE


@post(
    both("/audio/speech"),
    include_in_schema=False,
    opt={
        DOC: RawRoute(
            "Turn text into speech (binary audio, streamed)", bytes, SpeechRequest, answer_media_type="audio/*"
        ),
        ACCESS: LLM_ROUTES,
    },
)
async def audio_speech(request: HttpRequest, services: NamedDependency[HttpServices]) -> Reply:
    ctx = await _context(request, services)
    service = _served(services.speech, "/v1/audio/speech")
    body = parse_json(SpeechRequest, await _body(request, services))
    async with DisconnectWatch(request.receive):
        opened = service.speak(body, ctx)
        audio = await opened.__aenter__()
        return ByteStreamResponse(audio.chunks, audio.content_type, closing(opened), route_headers(audio.route))
    return CLIENT_GONE


MEDIA_ROUTES = [completions, image_generations, audio_transcriptions, audio_speech]
