"""Audio in OpenAI's format: transcription (speech to text) and speech (text to speech).

A transcription request carries the uploaded file's bytes; its answer is JSON, or for the
``text``, ``srt`` and ``vtt`` formats a plain-text document. A speech answer is audio bytes with
their content type, streamed as they arrive.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from switchboard.domain.chat import RouteInfo
from switchboard.domain.messages import WireModel

TranscriptionFormat = Literal["json", "text", "srt", "verbose_json", "vtt", "diarized_json"]
TEXT_FORMATS: frozenset[str] = frozenset({"text", "srt", "vtt"})

SpeechFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
# What OpenAI answers for each format; used when an upstream sends no content type.
SPEECH_CONTENT_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/opus",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


class AudioFile(BaseModel):
    """An uploaded file, held in memory. ``filename`` keeps only its last path component: it
    names the upload for the upstream (which reads the format from its extension), never a path."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    filename: str = "audio"
    content: bytes = Field(repr=False, min_length=1)
    content_type: str = "application/octet-stream"

    @field_validator("filename")
    @classmethod
    def _basename(cls, value: str) -> str:
        name = PurePosixPath(value.replace("\\", "/")).name
        return name if name not in ("", ".", "..") else "audio"


class TranscriptionRequest(WireModel):
    """``POST /v1/audio/transcriptions``. Fields it does not name are forwarded upstream as is."""

    file: AudioFile
    model: str = Field(min_length=1)
    language: str | None = None
    prompt: str | None = None
    response_format: TranscriptionFormat | None = None
    temperature: float | None = Field(default=None, ge=0, le=1)
    timestamp_granularities: list[Literal["word", "segment"]] | None = None
    stream: bool | None = None

    @property
    def format(self) -> TranscriptionFormat:
        return self.response_format or "json"


class Transcription(WireModel):
    """The answer. For ``text``/``srt``/``vtt`` (``is_plain_text``), ``text`` is the whole document."""

    text: str
    task: str | None = None
    language: str | None = None
    duration: float | None = None
    words: list[dict[str, Any]] | None = None
    segments: list[dict[str, Any]] | None = None
    usage: dict[str, Any] | None = None
    logprobs: list[dict[str, Any]] | None = None
    format: TranscriptionFormat = Field(default="json", exclude=True)
    route: RouteInfo | None = Field(default=None, exclude=True)

    @property
    def is_plain_text(self) -> bool:
        return self.format in TEXT_FORMATS


class SpeechRequest(WireModel):
    """``POST /v1/audio/speech``. ``voice`` is a name or ``{"id": ...}`` for a custom voice."""

    model: str = Field(min_length=1)
    input: str = Field(min_length=1)
    voice: str | dict[str, Any]
    response_format: SpeechFormat | None = None
    speed: float | None = Field(default=None, ge=0.25, le=4.0)
    instructions: str | None = None
    stream_format: Literal["audio", "sse"] | None = None

    @property
    def format(self) -> SpeechFormat:
        return self.response_format or "mp3"


@dataclass(slots=True)
class SpeechAudio:
    """Audio as it arrives from the provider: iterate ``chunks`` once."""

    content_type: str
    chunks: AsyncIterator[bytes]
    route: RouteInfo | None = None


@dataclass(frozen=True, slots=True)
class Speech:
    """A whole spoken answer, for callers that want the bytes at once (the Python facade)."""

    content: bytes
    content_type: str
    route: RouteInfo | None = None
