"""The error contract for bad input on the OpenAI routes and the management API: JSON nested
deeper than the parser goes is a 400 (not a 500 with a traceback), a body declared as another
media type is a 415, both in OpenAI's error shape (audit 2026-12, robustness 8 and 11)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.acceptance.governance.conftest import MASTER as MASTER_KEY
from tests.acceptance.governance.conftest import Gateway

DEEP = b"[" * 100_000 + b"]" * 100_000
CHAT = b'{"model": "cheap", "messages": [{"role": "user", "content": "hi"}]}'
JSON_ROUTES = [
    ("/v1/chat/completions", CHAT),
    ("/v1/embeddings", b'{"model": "mock-embedding", "input": "hi"}'),
    ("/v1/completions", b'{"model": "cheap", "prompt": "hi"}'),
    ("/team/new", b'{"team_alias": "a"}'),
]


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    return error


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/chat/completions", b'{"model": "cheap", "messages": ' + DEEP + b"}"),
        ("/v1/embeddings", b'{"model": "mock-embedding", "input": ' + DEEP + b"}"),
        ("/team/new", b'{"metadata": ' + DEEP + b"}"),
    ],
)
async def test_json_nested_100000_deep_is_a_400(gateway: Gateway, path: str, body: bytes) -> None:
    response = await gateway.call("POST", path, headers={"content-type": "application/json"}, content=body)
    assert "nested too deeply" in error_of(response, 400)["message"]


@pytest.mark.parametrize(("path", "body"), JSON_ROUTES)
async def test_a_body_declared_as_plain_text_is_a_415(gateway: Gateway, path: str, body: bytes) -> None:
    response = await gateway.call("POST", path, headers={"content-type": "text/plain"}, content=body)
    error = error_of(response, 415)
    assert error["code"] == "unsupported_media_type"
    assert "application/json" in error["message"]


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/vnd.api+json", None])
async def test_json_with_parameters_a_json_suffix_or_no_declared_type_is_read(
    gateway: Gateway, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await gateway.call("POST", "/v1/chat/completions", headers=headers, content=CHAT)
    assert response.status_code == 200, response.text


async def test_a_transcription_sent_as_json_is_a_415(gateway: Gateway) -> None:
    response = await gateway.call("POST", "/v1/audio/transcriptions", json={"model": "cheap"})
    assert error_of(response, 415)["code"] == "unsupported_media_type"


async def test_a_stream_flag_that_is_not_a_boolean_is_a_400_naming_it(gateway: Gateway) -> None:
    response = await gateway.chat(MASTER_KEY, stream="yes")
    assert error_of(response, 400)["param"] == "stream"


async def test_a_bad_role_names_the_role_field(gateway: Gateway) -> None:
    payload = {"model": "cheap", "messages": [{"role": "wizard", "content": "hi"}]}
    response = await gateway.call("POST", "/v1/chat/completions", json=payload)
    assert error_of(response, 400)["param"] == "messages[0].role"
