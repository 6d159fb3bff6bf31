"""Raw ASGI responses for the media routes: a plain-text body, and audio streamed as it arrives.

Like ``responses.SseResponse``, the audio stream runs ``until_disconnect``: it stops reading
upstream when the client goes, and ``close`` runs exactly once whatever happens.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable

from switchboard.adapters.inbound.http.responses import BodyResponse, Close, Receive, Scope, Send, until_disconnect
from switchboard.domain.errors import SwitchboardError

log = logging.getLogger(__name__)

PLAIN_TEXT = b"text/plain; charset=utf-8"


class TextResponse(BodyResponse):
    """A complete ``text/plain`` response (transcripts in the text, srt and vtt formats)."""

    __slots__ = ()
    content_type = PLAIN_TEXT

    def __init__(self, text: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        super().__init__(text.encode(), 200, headers)


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
        close: Close,
        headers: Iterable[tuple[bytes, bytes]] = (),
    ) -> None:
        self._chunks = chunks
        self._content_type = content_type.encode()
        self._close = close
        self._headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await until_disconnect(self._produce(send), receive, self._close, _log_failure)

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


def _log_failure(error: BaseException) -> None:
    log.warning("audio stream failed after it started: %s", _describe(error))


def _describe(error: BaseException | None) -> str:
    if isinstance(error, SwitchboardError):
        return f"{type(error).__name__}: {error.message}"
    return type(error).__name__
