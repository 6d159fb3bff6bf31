"""Raw ASGI responses for the media routes: a plain-text body, and audio streamed as it arrives.

Like ``responses.SseResponse``, the audio stream watches for ``http.disconnect`` and stops
reading upstream when the client goes; ``close`` runs exactly once whatever happens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

from adapters.inbound.http.responses import Receive, Scope, Send
from domain.errors import SwitchboardError

log = logging.getLogger(__name__)

PLAIN_TEXT = b"text/plain; charset=utf-8"


class TextResponse:
    """A complete ``text/plain`` response (transcripts in the text, srt and vtt formats)."""

    __slots__ = ("body", "headers")

    def __init__(self, text: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        self.body = text.encode()
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", PLAIN_TEXT),
                    (b"content-length", str(len(self.body)).encode()),
                    *self.headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": self.body})


class ByteStreamResponse:
    """Streams ``chunks`` as the body, chunked, with ``content_type``.

    The status is sent before the first byte, so a failure later cannot become an error
    response: the body is then left unfinished, and the server closes the connection, so the
    client sees a cut transfer rather than audio that silently ends early.
    """

    __slots__ = ("_chunks", "_close", "_content_type", "_headers")

    def __init__(
        self,
        chunks: AsyncIterator[bytes],
        content_type: str,
        close: Callable[[BaseException | None], Awaitable[None]],
        headers: Iterable[tuple[bytes, bytes]] = (),
    ) -> None:
        self._chunks = chunks
        self._content_type = content_type.encode()
        self._close = close
        self._headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        failure: BaseException | None = None
        producer = asyncio.ensure_future(self._produce(send))
        watcher = asyncio.ensure_future(_wait_for_disconnect(receive))
        try:
            done, _ = await asyncio.wait({producer, watcher}, return_when=asyncio.FIRST_COMPLETED)
            if producer not in done:
                producer.cancel()  # the client left: stop reading upstream
                failure = asyncio.CancelledError("client disconnected")
            await asyncio.gather(producer, return_exceptions=True)
            if producer.done() and not producer.cancelled() and producer.exception() is not None:
                failure = producer.exception()
                log.warning("audio stream failed after it started: %s", _describe(failure))
        except BaseException as exc:  # the server cancelled us (shutdown)
            producer.cancel()
            failure = exc
            raise
        finally:
            watcher.cancel()
            await self._close(failure)

    async def _produce(self, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", self._content_type), *self._headers],
            }
        )
        async for data in self._chunks:
            if data:
                await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _describe(error: BaseException | None) -> str:
    if isinstance(error, SwitchboardError):
        return f"{type(error).__name__}: {error.message}"
    return type(error).__name__


async def _wait_for_disconnect(receive: Receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
