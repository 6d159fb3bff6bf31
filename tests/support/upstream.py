"""Fake upstreams for provider tests: a handler answers each request an adapter sends, through a
real server on 127.0.0.1 and the transport production uses (``tests/support/loopback.py``).
Request bodies and URLs are kept; streams are counted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import httpx
import orjson

from switchboard.adapters.outbound.transport.http1 import Http1Transport
from tests.support.loopback import LoopbackUpstream


class StreamCounter:
    """``opened``: streamed answers the upstream began. ``open``: exchanges the adapter began and
    never released, such as a stream whose context it did not leave."""

    def __init__(self, upstream: LoopbackUpstream) -> None:
        self.opened = 0
        self._upstream = upstream

    @property
    def open(self) -> int:
        return self._upstream.in_flight()


class TrackedStream(httpx.AsyncByteStream):
    """A streamed response body from ``pieces`` (each its own chunk on the wire), counted as opened."""

    def __init__(self, pieces: Iterable[bytes], counter: StreamCounter) -> None:
        self._pieces = list(pieces)
        counter.opened += 1

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._pieces:
            yield piece


class RecordingUpstream:
    """A fake upstream whose ``handler`` answers every request; requests are kept in order."""

    def __init__(self, handler: Callable[[httpx.Request, StreamCounter], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self._loopback = LoopbackUpstream(self._handle)
        self.counter = StreamCounter(self._loopback)
        self._handler = handler

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._handler(request, self.counter)

    def transport(self) -> Http1Transport:
        """A transport whose every request, to whatever URL, reaches this upstream."""
        return self._loopback.transport()

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
