"""OpenAI's wire format for completions, images and audio, for fake upstreams.

Every body is checked by the official SDK's types, so a fake cannot drift from the real API.
"""

from __future__ import annotations

import io
from typing import Any

import orjson
from multipart import MultipartParser
from openai.types import Completion, ImagesResponse
from openai.types.audio import Transcription, TranscriptionVerbose

from tests.support.upstream import split_text

CREATED = 1_700_000_000
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-png-bytes"
PNG_B64 = "iVBORw0KGgpmYWtlLXBuZy1ieXRlcw=="
MP3 = b"\xff\xfb\x90\x64" + bytes(413)


def completion(model: str, texts: list[str], *, finish: str = "stop") -> dict[str, Any]:
    body = {
        "id": "cmpl-up",
        "object": "text_completion",
        "created": CREATED,
        "model": model,
        "choices": [
            {"index": i, "text": text, "logprobs": None, "finish_reason": finish} for i, text in enumerate(texts)
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9},
    }
    Completion.model_validate(body)
    return body


def completion_chunks(model: str, text: str, pieces: int = 3) -> list[dict[str, Any]]:
    """Streamed pieces, a piece with the finish reason, then the usage-only chunk."""

    def chunk(choices: list[dict[str, Any]], usage: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "id": "cmpl-up",
            "object": "text_completion",
            "created": CREATED,
            "model": model,
            "choices": choices,
            "usage": usage,
        }

    out = [
        chunk([{"index": 0, "text": piece, "logprobs": None, "finish_reason": None}])
        for piece in split_text(text, pieces)
    ]
    last = chunk([{"index": 0, "text": "", "logprobs": None, "finish_reason": "stop"}])
    Completion.model_validate(last)
    usage = chunk([], {"prompt_tokens": 5, "completion_tokens": 4, "total_tokens": 9})
    Completion.model_validate(usage)
    return [*out, last, usage]


def images(count: int, response_format: str | None) -> dict[str, Any]:
    item: dict[str, Any] = (
        {"b64_json": PNG_B64} if response_format == "b64_json" else {"url": "https://images.test/1.png"}
    )
    body = {"created": CREATED, "data": [dict(item, revised_prompt="a cat") for _ in range(count)]}
    ImagesResponse.model_validate(body)
    return body


def transcription(fmt: str, text: str) -> tuple[bytes, str]:
    """The body and content type OpenAI answers for ``fmt``."""
    if fmt == "text":
        return text.encode() + b"\n", "text/plain; charset=utf-8"
    if fmt == "srt":
        return f"1\n00:00:00,000 --> 00:00:01,500\n{text}\n\n".encode(), "text/plain; charset=utf-8"
    if fmt == "vtt":
        return f"WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n{text}\n\n".encode(), "text/plain; charset=utf-8"
    if fmt == "verbose_json":
        body: dict[str, Any] = {
            "task": "transcribe",
            "language": "english",
            "duration": 1.5,
            "text": text,
            "words": [{"word": w, "start": 0.1 * i, "end": 0.1 * (i + 1)} for i, w in enumerate(text.split())],
        }
        TranscriptionVerbose.model_validate(body)
    else:
        body = {"text": text, "usage": {"type": "duration", "seconds": 2}}
        Transcription.model_validate(body)
    return orjson.dumps(body), "application/json"


def form_parts(body: bytes, content_type: str) -> tuple[dict[str, list[str]], dict[str, tuple[str, bytes, str]]]:
    """A multipart body's text fields (name -> values) and files (name -> filename, bytes, type)."""
    boundary = content_type.split("boundary=", 1)[1].strip('"')
    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    for part in MultipartParser(io.BytesIO(body), boundary):
        if part.filename is not None:
            files[part.name] = (part.filename, part.raw, part.content_type)
        else:
            fields.setdefault(part.name, []).append(part.value)
    return fields, files
