from __future__ import annotations

import pytest

from switchboard.adapters.outbound.providers.multipart import encode_multipart, form_fields
from tests.support.openai_media_wire import form_parts


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", [("f", "x")]),
        (0.5, [("f", "0.5")]),
        (True, [("f", "true")]),
        (["word", "segment"], [("f[]", "word"), ("f[]", "segment")]),
        ({"type": "server_vad", "threshold": 0.5}, [("f[type]", "server_vad"), ("f[threshold]", "0.5")]),
        (None, []),
    ],
)
def test_form_values_are_flattened_as_openais_sdk_flattens_them(value: object, expected: list[tuple[str, str]]) -> None:
    assert list(form_fields("f", value)) == expected


def test_a_name_already_ending_in_brackets_keeps_them_once() -> None:
    assert list(form_fields("include[]", ["logprobs"])) == [("include[]", "logprobs")]


def test_an_unsendable_value_is_refused() -> None:
    with pytest.raises(TypeError):
        list(form_fields("f", object()))


def test_the_body_parses_back_to_its_fields_and_file() -> None:
    body, content_type = encode_multipart(
        {"model": "whisper-1", "timestamp_granularities": ["word", "segment"]},
        {"file": ("talk.mp3", b"ID3\x00binary", "audio/mpeg")},
    )
    assert content_type.startswith("multipart/form-data; boundary=")
    fields, files = form_parts(body, content_type)
    assert fields == {"model": ["whisper-1"], "timestamp_granularities[]": ["word", "segment"]}
    assert files == {"file": ("talk.mp3", b"ID3\x00binary", "audio/mpeg")}
