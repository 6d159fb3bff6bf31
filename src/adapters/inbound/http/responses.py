"""Minimal ASGI responses for the hot path: a JSON body, and an SSE stream in OpenAI's framing.

Litestar hands an ASGI callable returned by a handler straight to the server, so these skip the
framework's response machinery. The stream runs under a ``DisconnectWatch``: when the client
goes, the stream is cancelled, and leaving its ``async with`` closes the upstream request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, ClassVar, Protocol

from switchboard.adapters.inbound.http.disconnects import DisconnectWatch
from switchboard.adapters.inbound.http.errors import render, render_unexpected
from switchboard.domain.errors import SwitchboardError

log = logging.getLogger(__name__)

# The ASGI callables as these responses use them: they read the scope and build each message as
# a plain dict (Litestar's own types, which these accept, spell every message as a TypedDict).
Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Any], Awaitable[None]]
Close = Callable[[BaseException | None], Awaitable[None]]


class Reply(Protocol):
    """What a raw route answers: an ASGI callable that sends the whole response itself (Litestar
    hands it to the server untouched)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...


JSON = b"application/json"
EVENT_STREAM = b"text/event-stream; charset=utf-8"
DONE = b"data: [DONE]\n\n"


class BodyResponse:
    """A complete response whose content type each kind names (``content_type``)."""

    __slots__ = ("body", "headers", "status")
    content_type: ClassVar[bytes]

    def __init__(self, body: bytes, status: int = 200, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        self.body = body
        self.status = status
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [
                    (b"content-type", self.content_type),
                    (b"content-length", str(len(self.body)).encode()),
                    *self.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": self.body})


class JsonResponse(BodyResponse):
    """A complete JSON response."""

    __slots__ = ()
    content_type = JSON


class _ClientGone:
    """The answer to a client that has left: nothing to send."""

    __slots__ = ()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


CLIENT_GONE: Reply = _ClientGone()


def error_response(error: BaseException) -> JsonResponse:
    if isinstance(error, SwitchboardError):
        status, body, headers = render(error)
    else:
        status, body, headers = render_unexpected(error)
    return JsonResponse(body, status, headers)


class SseResponse:
    """Streams ``events`` (already framed as ``data: ...\\n\\n`` bytes) and then ``[DONE]``.

    ``close`` runs exactly once whatever happens: the stream ends, fails, or the client leaves.
    An error after the first event can no longer change the status: it is sent as an error
    event in OpenAI's shape and the stream ends without ``[DONE]``.
    """

    __slots__ = ("_close", "_events", "_headers")

    def __init__(
        self,
        events: AsyncIterator[bytes],
        close: Close,
        headers: Iterable[tuple[bytes, bytes]] = (),
    ) -> None:
        self._events = events
        self._close = close
        self._headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with DisconnectWatch(receive) as watch:
            await self.send_to(send, watch)

    async def send_to(self, send: Send, watch: DisconnectWatch) -> None:
        """Send the stream under ``watch`` (the chat route's runs from before the first byte),
        then stop it and ``close`` the stream with what ended it. A failure of the stream has
        been sent as its last event; only a cancellation (the client left, the server stops)
        goes on."""
        failure: BaseException | None = None
        try:
            await self._produce(send)
        except Exception as exc:
            failure = exc
        except BaseException as exc:
            failure = exc
            raise
        finally:
            watch.stop()  # a client that leaves once it has [DONE] must not interrupt the settling
            await self._close(failure)

    async def _produce(self, send: Send) -> None:
        await send(sse_start(self._headers))
        try:
            async for event in self._events:
                await send({"type": "http.response.body", "body": event, "more_body": True})
        except Exception as exc:
            _, body, _ = render(exc) if isinstance(exc, SwitchboardError) else render_unexpected(exc)
            await send({"type": "http.response.body", "body": b"data: " + body + b"\n\n", "more_body": False})
            raise
        await send({"type": "http.response.body", "body": DONE, "more_body": False})


def sse_start(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The start of every event stream the gateway answers: 200, SSE, never cached or buffered
    by a proxy, then ``headers`` (the route's ``x-switchboard-*``)."""
    return {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", EVENT_STREAM),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
            *headers,
        ],
    }


async def until_disconnect(
    produce: Coroutine[Any, Any, None],
    receive: Receive,
    close: Close,
    on_failure: Callable[[BaseException], None] | None = None,
) -> None:
    """Runs ``produce`` (it sends the response) until it ends or the client disconnects, then
    ``close`` exactly once with what ended it: ``None``, the producer's failure (shown to
    ``on_failure`` first), a ``CancelledError`` for a client that left (the producer is
    cancelled, which stops reading upstream), or the server's cancellation, raised again."""
    failure: BaseException | None = None
    producer = asyncio.ensure_future(produce)
    watcher = asyncio.ensure_future(_wait_for_disconnect(receive))
    try:
        done, _ = await asyncio.wait({producer, watcher}, return_when=asyncio.FIRST_COMPLETED)
        if producer not in done:
            producer.cancel()  # the client left: stop reading upstream
            failure = asyncio.CancelledError("client disconnected")
        await asyncio.gather(producer, return_exceptions=True)
        if producer.done() and not producer.cancelled() and producer.exception() is not None:
            failure = producer.exception()
            if on_failure is not None and failure is not None:
                on_failure(failure)
    except BaseException as exc:  # the server cancelled us (shutdown)
        producer.cancel()
        failure = exc
        raise
    finally:
        watcher.cancel()
        await close(failure)


def closing(opened: AbstractAsyncContextManager[Any]) -> Close:
    """The ``close`` of a streamed response over ``opened`` (already entered): it leaves
    ``opened`` with the failure that ended the response, or cleanly."""

    async def close(failure: BaseException | None) -> None:
        if failure is None:
            await opened.__aexit__(None, None, None)
        else:
            await opened.__aexit__(type(failure), failure, failure.__traceback__)

    return close


async def _wait_for_disconnect(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
