"""The raw audio stream response: what it sends, and how it ends when things go wrong."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from switchboard.adapters.inbound.http.media_responses import ByteStreamResponse, TextResponse
from switchboard.domain.errors import ProviderUnavailable


class Recorder:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed_with: list[BaseException | None] = []

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    async def close(self, failure: BaseException | None) -> None:
        self.closed_with.append(failure)


async def never_disconnect() -> dict[str, Any]:
    await asyncio.Event().wait()
    return {}


async def pieces(*items: bytes, fail: bool = False) -> AsyncIterator[bytes]:
    for item in items:
        yield item
    if fail:
        raise ProviderUnavailable("the connection to up was lost", provider="up")


async def test_audio_is_sent_piece_by_piece_and_then_finished() -> None:
    recorder = Recorder()
    response = ByteStreamResponse(pieces(b"ab", b"", b"cd"), "audio/mpeg", recorder.close, [(b"x-a", b"1")])
    await response({}, never_disconnect, recorder.send)
    start, *body = recorder.sent
    assert start["status"] == 200
    assert (b"content-type", b"audio/mpeg") in start["headers"] and (b"x-a", b"1") in start["headers"]
    assert [m["body"] for m in body] == [b"ab", b"cd", b""]
    assert body[-1]["more_body"] is False
    assert recorder.closed_with == [None]


async def test_a_failure_after_the_start_leaves_the_body_unfinished() -> None:
    recorder = Recorder()
    response = ByteStreamResponse(pieces(b"ab", fail=True), "audio/mpeg", recorder.close)
    await response({}, never_disconnect, recorder.send)
    assert all(m.get("more_body", True) for m in recorder.sent[1:])  # the client sees a cut transfer
    assert isinstance(recorder.closed_with[0], ProviderUnavailable)


async def test_a_client_that_leaves_stops_the_upstream_reading() -> None:
    recorder = Recorder()
    read: list[bytes] = []

    async def endless() -> AsyncIterator[bytes]:
        while True:
            read.append(b"x")
            yield b"x"
            await asyncio.sleep(0.01)

    async def disconnect_soon() -> dict[str, Any]:
        await asyncio.sleep(0.05)
        return {"type": "http.disconnect"}

    await ByteStreamResponse(endless(), "audio/mpeg", recorder.close)({}, disconnect_soon, recorder.send)
    assert isinstance(recorder.closed_with[0], asyncio.CancelledError)
    count = len(read)
    await asyncio.sleep(0.05)
    assert len(read) == count


async def test_a_text_response_is_plain_utf8_with_its_length() -> None:
    recorder = Recorder()
    await TextResponse("héllo")({}, never_disconnect, recorder.send)
    start, body = recorder.sent
    assert (b"content-type", b"text/plain; charset=utf-8") in start["headers"]
    assert (b"content-length", b"6") in start["headers"]
    assert body["body"] == "héllo".encode()
