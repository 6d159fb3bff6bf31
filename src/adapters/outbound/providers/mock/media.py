"""Pure parts of the mock provider's completions, images and audio: deterministic fakes.

- completions: the ``mock_response``, else a sentence quoting the prompt
- images: a small solid-colour PNG whose colour comes from the prompt, as base64 or a data URL
- transcriptions: the ``mock_response``, else a sentence naming the file, in every format
- speech: silence as long as the text would take to say; real WAV, PCM (24 kHz, 16-bit mono,
  as OpenAI's) and MP3 (silent MPEG frames); for opus/aac/flac, placeholder bytes
"""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from collections.abc import Mapping
from typing import Any

from switchboard.domain.audio import TranscriptionFormat

PCM_RATE = 24_000
_SECONDS_PER_WORD = 0.4
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no CRC: 417 bytes per frame of 1152 samples. A frame
# whose side information is all zero decodes as silence.
_MP3_FRAME = b"\xff\xfb\x90\x64" + bytes(413)
_MP3_FRAME_SECONDS = 1152 / 44_100


def chosen_reply(extra: Mapping[str, Any] | None, params: Mapping[str, Any]) -> str | None:
    """The request's ``mock_response``, else the deployment's, else ``None``."""
    value = (extra or {}).get("mock_response", params.get("mock_response"))
    return None if value is None else str(value)


def completion_text(prompt: str, extra: Mapping[str, Any] | None, params: Mapping[str, Any]) -> str:
    chosen = chosen_reply(extra, params)
    if chosen is not None:
        return chosen
    return f"This is a mock completion from Switchboard. You wrote: {prompt[:200]}"


def png_image(seed: str, side: int = 8) -> bytes:
    """A ``side`` x ``side`` PNG of one colour taken from ``seed``: equal seeds, equal images."""
    red, green, blue = hashlib.sha256(seed.encode()).digest()[:3]
    row = b"\x00" + bytes((red, green, blue)) * side  # filter byte, then RGB pixels
    pixels = zlib.compress(row * side)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def transcript_text(filename: str, size: int, extra: Mapping[str, Any] | None, params: Mapping[str, Any]) -> str:
    chosen = chosen_reply(extra, params)
    if chosen is not None:
        return chosen
    return f"This is a mock transcription of {filename} ({size} bytes)."


def audio_seconds(size: int) -> float:
    """A plausible length for an upload of ``size`` bytes (16 kB per second), at least 1 s."""
    return max(1.0, round(size / 16_000, 2))


def _clock(seconds: float, separator: str) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{separator}{millis:03d}"


def transcript_document(text: str, fmt: TranscriptionFormat, seconds: float) -> str:
    """``text`` as a ``text``, ``srt`` or ``vtt`` document with one cue spanning ``seconds``."""
    if fmt == "srt":
        return f"1\n{_clock(0, ',')} --> {_clock(seconds, ',')}\n{text}\n\n"
    if fmt == "vtt":
        return f"WEBVTT\n\n{_clock(0, '.')} --> {_clock(seconds, '.')}\n{text}\n\n"
    return text


def transcript_json(
    text: str, fmt: TranscriptionFormat, seconds: float, language: str | None, granularities: list[str]
) -> dict[str, Any]:
    """The JSON answer: ``{text}`` for ``json``, with segments (and words) for ``verbose_json``."""
    if fmt not in ("verbose_json", "diarized_json"):
        return {"text": text, "usage": {"type": "duration", "seconds": seconds}}
    words = text.split()
    step = seconds / max(len(words), 1)
    body: dict[str, Any] = {
        "task": "transcribe",
        "language": language or "english",
        "duration": seconds,
        "text": text,
    }
    if not granularities or "segment" in granularities:
        body["segments"] = [
            {
                "id": 0,
                "seek": 0,
                "start": 0.0,
                "end": seconds,
                "text": text,
                "tokens": [],
                "temperature": 0.0,
                "avg_logprob": 0.0,
                "compression_ratio": 1.0,
                "no_speech_prob": 0.0,
            }
        ]
    if "word" in granularities:
        body["words"] = [
            {"word": word, "start": round(i * step, 3), "end": round((i + 1) * step, 3)} for i, word in enumerate(words)
        ]
    return body


def speech_seconds(text: str, speed: float | None) -> float:
    return max(0.5, len(text.split()) * _SECONDS_PER_WORD) / (speed or 1.0)


def speech_audio(text: str, fmt: str, speed: float | None = None) -> bytes:
    """Silence as long as saying ``text`` would take, encoded as ``fmt``."""
    seconds = speech_seconds(text, speed)
    if fmt == "mp3":
        return _MP3_FRAME * max(1, round(seconds / _MP3_FRAME_SECONDS))
    pcm = bytes(int(seconds * PCM_RATE) * 2)
    if fmt == "pcm":
        return pcm
    if fmt == "wav":
        return _wav_header(len(pcm)) + pcm
    digest = hashlib.sha256(f"{fmt}:{text}".encode()).digest()
    return digest * max(1, int(seconds * 64))  # placeholder bytes, deterministic


def _wav_header(data_size: int) -> bytes:
    byte_rate = PCM_RATE * 2
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_size)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, PCM_RATE, byte_rate, 2, 16)
        + b"data"
        + struct.pack("<I", data_size)
    )
