from __future__ import annotations

import pytest
from pydantic import ValidationError

from switchboard.domain.audio import (
    AudioFile,
    SpeechRequest,
    Transcription,
    TranscriptionFormat,
    TranscriptionRequest,
)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("speech.mp3", "speech.mp3"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\talk.wav", "talk.wav"),
        ("..", "audio"),
        ("", "audio"),
    ],
)
def test_an_uploaded_file_keeps_only_its_last_name_component(name: str, kept: str) -> None:
    assert AudioFile(filename=name, content=b"x").filename == kept


def test_an_empty_upload_is_rejected() -> None:
    with pytest.raises(ValidationError):
        AudioFile(filename="a.mp3", content=b"")


def test_the_file_bytes_never_show_in_a_repr() -> None:
    assert "secret-audio" not in repr(AudioFile(content=b"secret-audio"))


def test_a_transcription_defaults_to_json() -> None:
    request = TranscriptionRequest(file=AudioFile(content=b"x"), model="whisper-1")
    assert request.format == "json"


@pytest.mark.parametrize(
    ("fmt", "plain"), [("text", True), ("srt", True), ("vtt", True), ("json", False), ("verbose_json", False)]
)
def test_text_srt_and_vtt_answers_are_plain_text(fmt: TranscriptionFormat, plain: bool) -> None:
    assert Transcription(text="x", format=fmt).is_plain_text is plain


def test_the_format_and_route_never_reach_the_wire() -> None:
    assert Transcription(text="x", format="verbose_json").model_dump(exclude_none=True) == {"text": "x"}


def test_speech_speed_is_bounded_as_openai_bounds_it() -> None:
    with pytest.raises(ValidationError):
        SpeechRequest(model="tts-1", input="hi", voice="alloy", speed=5)


def test_speech_defaults_to_mp3() -> None:
    assert SpeechRequest(model="tts-1", input="hi", voice="alloy").format == "mp3"


def test_a_custom_voice_is_an_object() -> None:
    assert SpeechRequest(model="tts-1", input="hi", voice={"id": "voice_123"}).voice == {"id": "voice_123"}
