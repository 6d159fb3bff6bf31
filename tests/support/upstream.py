"""Helpers for fake upstreams behind ``httpx.MockTransport``: count open streams, record bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpx
import orjson

from switchboard.adapters.outbound.transport.httpx_transport import HttpxTransport


class StreamCounter:
    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0

    @property
    def open(self) -> int:
        return self.opened - self.closed


class TrackedStream(httpx.AsyncByteStream):
    """A response body from ``pieces`` that counts itself open until closed."""

    def __init__(self, pieces: Iterable[bytes], counter: StreamCounter) -> None:
        self._pieces = list(pieces)
        self._counter = counter
        counter.opened += 1
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._pieces:
            yield piece

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._counter.closed += 1


class RecordingUpstream:
    """An httpx transport whose ``handler`` answers; request bodies and URLs are kept."""

    def __init__(self, handler: Callable[[httpx.Request, StreamCounter], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self.counter = StreamCounter()
        self._handler = handler

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request, self.counter)

    def transport(self) -> HttpxTransport:
        return HttpxTransport(httpx.AsyncClient(transport=httpx.MockTransport(self._handle)))

    def bodies(self) -> list[dict[str, Any]]:
        return [orjson.loads(r.content) for r in self.requests if r.content]


def sse(events: Iterable[str | dict[str, Any]], *, done: bool = True) -> list[bytes]:
    """SSE frames (``data: ...\\n\\n``) for each event; dicts are JSON-encoded."""
    frames = [b"data: " + (e.encode() if isinstance(e, str) else orjson.dumps(e)) + b"\n\n" for e in events]
    if done:
        frames.append(b"data: [DONE]\n\n")
    return frames


def retry_after_headers(seconds: float | None) -> dict[str, str]:
    """The ``Retry-After`` header a fake upstream sends with an error, if it asks for a wait."""
    return {"retry-after": str(seconds)} if seconds is not None else {}


def split_text(text: str, pieces: int) -> list[str]:
    """``text`` in ``pieces`` roughly equal parts that join back exactly."""
    size = max(1, -(-len(text) // max(pieces, 1)))
    return [text[i : i + size] for i in range(0, len(text), size)]
