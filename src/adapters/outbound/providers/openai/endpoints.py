"""Wire bodies and answers for OpenAI's endpoints beyond chat and embeddings (pure): legacy
``/completions``, ``/images/generations``, ``/audio/transcriptions`` (multipart) and
``/audio/speech`` (binary audio)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from switchboard.adapters.outbound.providers.failures import protocol_error
from switchboard.adapters.outbound.providers.openai.request import GATEWAY_EXCLUDE, with_defaults_and_stream
from switchboard.adapters.outbound.providers.openai.stream import FinishCheckedDecoder
from switchboard.domain.audio import (
    SPEECH_CONTENT_TYPES,
    TEXT_FORMATS,
    SpeechRequest,
    Transcription,
    TranscriptionRequest,
)
from switchboard.domain.completions import CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.images import ImageRequest, ImageResponse

_UPLOAD_EXCLUDE: Mapping[str, bool] = MappingProxyType({"file": True, **GATEWAY_EXCLUDE})  # sent as its own part

COMPLETION_PARAMS = frozenset(
    {
        "best_of",
        "echo",
        "frequency_penalty",
        "presence_penalty",
        "logit_bias",
        "logprobs",
        "max_tokens",
        "n",
        "seed",
        "stop",
        "suffix",
        "temperature",
        "top_p",
        "user",
    }
)


def completion_body(
    request: CompletionRequest, model: str, *, stream: bool, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    body = request.model_dump(exclude_none=True, exclude=GATEWAY_EXCLUDE)
    body["model"] = model
    if "prompt" not in body:
        body["prompt"] = None  # OpenAI requires the key; null means an empty document
    return with_defaults_and_stream(body, defaults, COMPLETION_PARAMS, stream=stream)


def completion_response(body: bytes, provider: str) -> CompletionResponse:
    try:
        return CompletionResponse.model_validate_json(body)
    except ValidationError as exc:
        raise protocol_error(provider, "a completion we could not read") from exc


def completion_chunk(data: str, provider: str) -> CompletionChunk:
    try:
        return CompletionChunk.model_validate_json(data)
    except ValidationError as exc:
        raise protocol_error(provider, "a completion stream chunk we could not read") from exc


class CompletionChunkDecoder(FinishCheckedDecoder[CompletionChunk]):
    """Legacy completion chunks, finish checked as chat chunks are."""

    __slots__ = ()

    def __init__(self, provider: str, deployment: str | None = None) -> None:
        super().__init__(completion_chunk, provider, deployment)


def image_body(request: ImageRequest, model: str) -> dict[str, Any]:
    body = request.model_dump(exclude_none=True, exclude=GATEWAY_EXCLUDE)
    body["model"] = model
    return body


def image_response(body: bytes, provider: str) -> ImageResponse:
    try:
        return ImageResponse.model_validate_json(body)
    except ValidationError as exc:
        raise protocol_error(provider, "an image response we could not read") from exc


def transcription_form(
    request: TranscriptionRequest, model: str
) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
    """Form fields and the file for the multipart upload. Fields the gateway does not name
    (``include[]``, ``chunking_strategy``...) are forwarded with the names they came with."""
    fields = request.model_dump(exclude_none=True, exclude=_UPLOAD_EXCLUDE)
    fields["model"] = model
    upload = request.file
    return fields, {"file": (upload.filename, upload.content, upload.content_type)}


def transcription_response(body: bytes, request: TranscriptionRequest, provider: str) -> Transcription:
    """The answer in the requested format: a plain-text document is kept whole in ``text``."""
    fmt = request.format
    if fmt in TEXT_FORMATS:
        return Transcription(text=body.decode("utf-8", errors="replace"), format=fmt)
    try:
        transcription = Transcription.model_validate_json(body)
    except ValidationError as exc:
        raise protocol_error(provider, "a transcription we could not read") from exc
    transcription.format = fmt
    return transcription


def speech_body(request: SpeechRequest, model: str) -> dict[str, Any]:
    body = request.model_dump(exclude_none=True, exclude=GATEWAY_EXCLUDE)
    body["model"] = model
    return body


def speech_content_type(upstream: str | None, request: SpeechRequest) -> str:
    """The upstream's content type, else the one OpenAI uses for the requested format."""
    if upstream and upstream.startswith("audio/"):
        return upstream
    return SPEECH_CONTENT_TYPES[request.format]
