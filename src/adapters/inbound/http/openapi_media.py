"""The OpenAPI operations of the media routes (legacy completions, images, audio)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from switchboard.domain.audio import SpeechRequest, Transcription
from switchboard.domain.completions import CompletionChunk, CompletionRequest, CompletionResponse
from switchboard.domain.images import ImageRequest, ImageResponse

# (model, mode) pairs whose JSON schemas the document needs.
MEDIA_SCHEMA_MODELS: list[tuple[type[BaseModel], Any]] = [
    (CompletionRequest, "validation"),
    (CompletionResponse, "serialization"),
    (CompletionChunk, "serialization"),
    (ImageRequest, "validation"),
    (ImageResponse, "serialization"),
    (SpeechRequest, "validation"),
    (Transcription, "serialization"),
]

_FAILURES = (400, 401, 403, 404, 413, 429, 502, 503, 504)

_TRANSCRIPTION_FORM = {
    "type": "object",
    "required": ["file", "model"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "The audio file"},
        "model": {"type": "string"},
        "language": {"type": "string", "description": "ISO-639-1 code of the spoken language"},
        "prompt": {"type": "string"},
        "response_format": {
            "type": "string",
            "enum": ["json", "text", "srt", "verbose_json", "vtt", "diarized_json"],
        },
        "temperature": {"type": "number", "minimum": 0, "maximum": 1},
        "timestamp_granularities[]": {
            "type": "array",
            "items": {"type": "string", "enum": ["word", "segment"]},
        },
    },
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(summary: str, request: dict[str, Any], ok: dict[str, Any]) -> dict[str, Any]:
    errors = {
        str(status): {"description": "Error", "content": {"application/json": {"schema": _ref("Error")}}}
        for status in _FAILURES
    }
    return {
        "summary": summary,
        "requestBody": {"required": True, "content": request},
        "responses": {"200": ok, **errors},
        "security": [{"bearer": []}],
    }


def _json_body(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(name)}}


def media_paths(prefix: str) -> dict[str, Any]:
    """The four operations under ``prefix`` (``/v1`` or empty)."""
    completions = _operation(
        "Create a legacy text completion",
        _json_body("CompletionRequest"),
        {
            "description": "The completion, or with stream=true an SSE stream of chunks ending in [DONE]",
            "content": {
                **_json_body("CompletionResponse"),
                "text/event-stream": {"schema": _ref("CompletionChunk")},
            },
        },
    )
    images = _operation(
        "Generate images",
        _json_body("ImageRequest"),
        {"description": "The images, as URLs or base64", "content": _json_body("ImageResponse")},
    )
    transcriptions = _operation(
        "Transcribe audio",
        {"multipart/form-data": {"schema": _TRANSCRIPTION_FORM}},
        {
            "description": "JSON for json/verbose_json, plain text for text/srt/vtt",
            "content": {**_json_body("Transcription"), "text/plain": {"schema": {"type": "string"}}},
        },
    )
    speech = _operation(
        "Turn text into speech",
        _json_body("SpeechRequest"),
        {
            "description": "The audio, streamed, in the requested format",
            "content": {"audio/*": {"schema": {"type": "string", "format": "binary"}}},
        },
    )
    return {
        f"{prefix}/completions": {"post": completions},
        f"{prefix}/images/generations": {"post": images},
        f"{prefix}/audio/transcriptions": {"post": transcriptions},
        f"{prefix}/audio/speech": {"post": speech},
    }
