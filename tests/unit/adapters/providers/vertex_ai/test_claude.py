"""Claude on Vertex AI, spoken natively for the Messages door: which deployments, the
rawPredict body, and the client's calls (the SSE relayed as Anthropic sent it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.adapters.outbound.providers.vertex_ai import PROVIDER
from switchboard.adapters.outbound.providers.vertex_ai.claude import raw_predict_body, speaks_messages
from switchboard.domain.deployments import Deployment
from switchboard.domain.errors import BadRequest
from switchboard.domain.ports.messages import MessagesCall
from tests.support import bedrock_claude
from tests.support.anthropic_wire import sse_frames, validate_request
from tests.unit.adapters.providers.vertex_ai.test_client import CREDENTIALS, FakeGoogle, deployment

MODEL = "claude-sonnet-4-5@20250929"
PREFIX = "https://us-east5-aiplatform.googleapis.com/v1/projects/proj/locations/us-east5/publishers/anthropic/models"
BODY: dict[str, Any] = {
    "model": MODEL,
    "max_tokens": 2048,
    "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
    "thinking": {"type": "enabled", "budget_tokens": 1024},
    "messages": [{"role": "user", "content": [{"type": "text", "text": "how are you"}]}],
    "metadata": {"user_id": "user-7"},
}


@pytest.mark.parametrize(
    ("model", "native"),
    [(MODEL, True), ("claude-3-5-haiku@20241022", True), ("gemini-2.5-flash", False), ("models/gemini-2.0", False)],
)
def test_claude_models_on_vertex_speak_messages_natively(model: str, native: bool) -> None:
    assert speaks_messages(model) is native
    assert PROVIDER.messages_models(model) is native


def test_the_raw_predict_body_is_the_callers_body_without_model_with_the_vertex_version() -> None:
    wire = raw_predict_body({**BODY, "stream": True})
    assert wire == {
        "anthropic_version": "vertex-2023-10-16",
        **{k: v for k, v in BODY.items() if k != "model"},
        "stream": True,
    }


def _vertex(request: httpx.Request) -> httpx.Response:
    body = orjson.loads(request.content)
    assert body.pop("anthropic_version") == "vertex-2023-10-16"
    if request.url.path.endswith("/count-tokens:rawPredict"):
        validate_request({**body, "max_tokens": 1})
        return httpx.Response(200, json={"input_tokens": 21})
    validate_request({**body, "model": MODEL})
    if request.url.path.endswith(":streamRawPredict"):
        data = b"".join(sse_frames(bedrock_claude.stream_events(body)))
        pieces = [data[i : i + 11] for i in range(0, len(data), 11)]
        return httpx.Response(200, stream=_Pieces(pieces), headers={"content-type": "text/event-stream"})
    return httpx.Response(200, json=bedrock_claude.invoke_answer(body))


class _Pieces(httpx.AsyncByteStream):
    """An SSE body in small reads, cutting events apart."""

    def __init__(self, pieces: list[bytes]) -> None:
        self._pieces = pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._pieces:
            yield piece


def _call(body: dict[str, Any], **headers: str) -> MessagesCall:
    d = deployment(MODEL, vertex_project="proj", vertex_location="us-east5", vertex_credentials=CREDENTIALS)
    return MessagesCall(body=body, deployment=d, headers=headers)


async def test_a_message_goes_to_raw_predict_of_the_anthropic_publisher() -> None:
    google = FakeGoogle(_vertex)
    call = _call(BODY, **{"anthropic-beta": "context-1m-2025-08-07"})
    answer = await google.provider().send_messages(call)
    [sent] = google.calls()
    assert str(sent.url) == f"{PREFIX}/{MODEL}:rawPredict"
    assert sent.headers["anthropic-beta"] == "context-1m-2025-08-07"
    assert orjson.loads(sent.content) == raw_predict_body(BODY)
    assert orjson.loads(answer)["content"][0]["text"] == "echo: how are you"
    assert call.meter.usage["input_tokens"] == 9


async def test_a_stream_goes_to_stream_raw_predict_and_its_events_are_relayed_as_sent() -> None:
    google = FakeGoogle(_vertex)
    call = _call({**BODY, "stream": True})
    async with google.provider().stream_messages(call) as pieces:
        data = b"".join([piece async for piece in pieces])
    [sent] = google.calls()
    assert str(sent.url) == f"{PREFIX}/{MODEL}:streamRawPredict"
    assert orjson.loads(sent.content)["stream"] is True
    assert data == b"".join(sse_frames(bedrock_claude.stream_events(BODY)))
    assert [e.event for e in SseDecoder().feed(data)][-1] == "message_stop"
    assert call.meter.stopped and call.meter.text == "echo: how are you"


async def test_count_tokens_goes_to_the_count_tokens_model_naming_the_model_in_the_body() -> None:
    google = FakeGoogle(_vertex)
    body = {k: v for k, v in BODY.items() if k != "max_tokens"}
    assert await google.provider().count_message_tokens(_call(body)) == 21
    [sent] = google.calls()
    assert str(sent.url) == f"{PREFIX}/count-tokens:rawPredict"
    assert orjson.loads(sent.content)["model"] == MODEL


async def test_claude_in_express_mode_is_refused_naming_the_api_key() -> None:
    google = FakeGoogle(_vertex)
    d = Deployment(id="d1", model_name="g", provider="vertex_ai", model=MODEL, api_key="AIza-express")
    with pytest.raises(BadRequest) as caught:
        await google.provider().send_messages(MessagesCall(body=BODY, deployment=d))
    assert caught.value.param == "api_key"
    assert google.upstream.requests == []
