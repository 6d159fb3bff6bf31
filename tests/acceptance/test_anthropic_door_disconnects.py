"""The Anthropic door never leaks a stream: a client that leaves mid-stream cancels the upstream
request, relayed natively or translated from chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support.anthropic_wire import sse_frames
from tests.support.asgi import Receive, Scope, Send, lifespan, read_body
from tests.support.openai_upstream import OpenAIUpstream
from tests.support.servers import serve_asgi, serve_gateway


@dataclass
class SlowAnthropic:
    """An Anthropic Messages stream of 60 text deltas, 50 ms apart; counts open and cancelled streams."""

    open_streams: int = 0
    cancelled: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        await read_body(receive)
        streaming = asyncio.ensure_future(self._stream(send))

        async def disconnected() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        watcher = asyncio.ensure_future(disconnected())
        await asyncio.wait({streaming, watcher}, return_when=asyncio.FIRST_COMPLETED)
        streaming.cancel()
        watcher.cancel()
        await asyncio.gather(streaming, watcher, return_exceptions=True)

    async def _stream(self, send: Send) -> None:
        self.open_streams += 1
        try:
            start: dict[str, Any] = {
                "id": "msg_slow",
                "type": "message",
                "role": "assistant",
                "model": "claude-slow",
                "content": [],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {"input_tokens": 3, "output_tokens": 1},
            }
            head: list[dict[str, Any]] = [
                {"type": "message_start", "message": start},
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            ]
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]}
            )
            for frame in sse_frames(head):
                await send({"type": "http.response.body", "body": frame, "more_body": True})
            for i in range(60):
                delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": f"w{i} "}}
                await send({"type": "http.response.body", "body": sse_frames([delta])[0], "more_body": True})
                await asyncio.sleep(0.05)
            await send({"type": "http.response.body", "body": b""})
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.open_streams -= 1


@pytest.fixture(scope="module")
def upstreams() -> Iterator[tuple[SlowAnthropic, OpenAIUpstream, str]]:
    anthropic_app, openai_app = SlowAnthropic(), OpenAIUpstream(chunk_delay=0.05)
    with serve_asgi(anthropic_app) as anthropic_url, serve_asgi(openai_app) as openai_url:
        config = {
            "model_list": [
                {
                    "model_name": "native",
                    "litellm_params": {"model": "anthropic/claude-slow", "api_base": anthropic_url, "api_key": "k"},
                },
                {
                    "model_name": "translated",
                    "litellm_params": {"model": "openai/slow", "api_base": f"{openai_url}/v1", "api_key": "k"},
                },
            ]
        }
        with serve_gateway(config) as gateway:
            yield anthropic_app, openai_app, gateway


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _leave_after_the_first_words(gateway: str, model: str) -> None:
    words = " ".join(f"w{i}" for i in range(60))
    body = {"model": model, "max_tokens": 100, "stream": True, "messages": [{"role": "user", "content": words}]}
    with (
        httpx.Client(timeout=10) as client,
        client.stream("POST", f"{gateway}/v1/messages", json=body) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data: ") and "w1" in line:
                break


def test_leaving_a_native_stream_cancels_the_anthropic_request(
    upstreams: tuple[SlowAnthropic, OpenAIUpstream, str],
) -> None:
    app, _, gateway = upstreams
    before = app.cancelled
    _leave_after_the_first_words(gateway, "native")
    assert wait_until(lambda: app.open_streams == 0 and app.cancelled > before)


def test_leaving_a_translated_stream_cancels_the_chat_request(
    upstreams: tuple[SlowAnthropic, OpenAIUpstream, str],
) -> None:
    _, app, gateway = upstreams
    before = app.state.cancelled
    _leave_after_the_first_words(gateway, "translated")
    assert wait_until(lambda: app.state.open_streams == 0 and app.state.cancelled > before)
