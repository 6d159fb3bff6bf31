from __future__ import annotations

import struct
import zlib

import pytest

from switchboard.adapters.outbound.providers.mock.media import (
    PCM_RATE,
    completion_text,
    png_data_url,
    png_image,
    speech_audio,
    speech_seconds,
    transcript_document,
    transcript_json,
)


def test_a_completion_quotes_the_prompt_unless_a_reply_is_set() -> None:
    assert completion_text("Once upon", None, {}).endswith("You wrote: Once upon")
    assert completion_text("x", {"mock_response": "from the request"}, {"mock_response": "no"}) == "from the request"
    assert completion_text("x", None, {"mock_response": "from the deployment"}) == "from the deployment"


def test_an_image_is_a_valid_png_of_the_asked_side() -> None:
    png = png_image("a cat", side=8)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    _, kind = struct.unpack(">I4s", png[8:16])
    width, height = struct.unpack(">II", png[16:24])
    assert (kind, width, height) == (b"IHDR", 8, 8)
    idat_at = png.index(b"IDAT")
    (idat_length,) = struct.unpack(">I", png[idat_at - 4 : idat_at])
    pixels = zlib.decompress(png[idat_at + 4 : idat_at + 4 + idat_length])
    assert len(pixels) == 8 * (1 + 8 * 3)


def test_equal_prompts_make_equal_images_and_different_ones_differ() -> None:
    assert png_image("a cat") == png_image("a cat")
    assert png_image("a cat") != png_image("a dog")


def test_a_data_url_carries_the_png() -> None:
    assert png_data_url(b"\x89PNG").startswith("data:image/png;base64,iVBO")


def test_srt_and_vtt_documents_have_one_timed_cue() -> None:
    assert transcript_document("Hi", "srt", 2.5) == "1\n00:00:00,000 --> 00:00:02,500\nHi\n\n"
    assert transcript_document("Hi", "vtt", 61.0) == "WEBVTT\n\n00:00:00.000 --> 00:01:01.000\nHi\n\n"
    assert transcript_document("Hi", "text", 1.0) == "Hi"


def test_a_verbose_transcript_has_words_only_when_asked() -> None:
    without = transcript_json("one two", "verbose_json", 2.0, None, [])
    with_words = transcript_json("one two", "verbose_json", 2.0, "de", ["word"])
    assert "words" not in without and without["segments"][0]["end"] == 2.0
    assert [w["word"] for w in with_words["words"]] == ["one", "two"]
    assert with_words["words"][-1]["end"] == 2.0
    assert with_words["language"] == "de" and "segments" not in with_words


def test_wav_speech_is_a_valid_riff_file_of_the_right_length() -> None:
    audio = speech_audio("one two three", "wav")
    riff, size, wave = struct.unpack("<4sI4s", audio[:12])
    (rate,) = struct.unpack("<I", audio[24:28])
    assert (riff, wave, rate) == (b"RIFF", b"WAVE", PCM_RATE)
    assert size == len(audio) - 8
    assert len(audio) - 44 == int(speech_seconds("one two three", None) * PCM_RATE) * 2


def test_mp3_speech_is_made_of_mpeg_frames() -> None:
    audio = speech_audio("hello", "mp3")
    assert len(audio) % 417 == 0
    assert audio[:2] == b"\xff\xfb"


@pytest.mark.parametrize("fmt", ["opus", "aac", "flac", "pcm"])
def test_every_format_gives_deterministic_bytes(fmt: str) -> None:
    assert speech_audio("hi there", fmt) == speech_audio("hi there", fmt)
    assert speech_audio("hi there", fmt)


def test_faster_speech_is_shorter() -> None:
    assert len(speech_audio("a b c d", "pcm", speed=2.0)) < len(speech_audio("a b c d", "pcm"))
