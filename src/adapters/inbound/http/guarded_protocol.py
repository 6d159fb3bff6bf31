"""uvicorn's httptools protocol with the limits a public server needs and uvicorn lacks.

- **Header timeout**: a request's headers must arrive within ``header_timeout`` seconds of its
  first byte (of the connection, for the first request). A client that trickles them
  (slowloris) is answered ``408`` and disconnected, instead of holding a connection forever.
- **Body timeout**: while a request body is being read, ``body_timeout`` seconds at most may pass
  between two parts of it (``408`` and disconnect).
- **Connections per client**: at most ``max_connections_per_client`` open connections from one
  address; one more is closed at once.

The limits are class attributes, set once per process by ``configure`` (the server's app
factory does it from ``general_settings``) before the first connection. The protocol is named to
uvicorn by its import path, so every worker process finds it. Nothing here runs per request
beyond two timer handles; requests that behave pay nothing else.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

PATH = "switchboard.adapters.inbound.http.guarded_protocol:GuardedHttpToolsProtocol"

_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: application/json\r\n"
    b"connection: close\r\n"
    b"content-length: %d\r\n\r\n%s"
)
_BODY = (
    b'{"error":{"message":"The request was not received in time.","type":"invalid_request_error",'
    b'"param":null,"code":"request_timeout"}}'
)


def configure(*, header_timeout: float, body_timeout: float, max_connections_per_client: int) -> None:
    """The limits for every connection this process accepts from now on."""
    GuardedHttpToolsProtocol.header_timeout = header_timeout
    GuardedHttpToolsProtocol.body_timeout = body_timeout
    GuardedHttpToolsProtocol.max_connections_per_client = max_connections_per_client


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    header_timeout: ClassVar[float] = 10.0
    body_timeout: ClassVar[float] = 30.0
    max_connections_per_client: ClassVar[int] = 256
    open_per_client: ClassVar[dict[str, int]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._client_host: str | None = None
        self._in_body = False

    # --- connections per client -----------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # uvicorn narrows BaseTransport
        super().connection_made(transport)
        host = self.client[0] if self.client else None
        if host is not None:
            count = self.open_per_client.get(host, 0) + 1
            self.open_per_client[host] = count
            self._client_host = host
            if count > self.max_connections_per_client:
                transport.close()
                return
        self._arm(self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        host, self._client_host = self._client_host, None
        if host is not None:
            left = self.open_per_client.get(host, 1) - 1
            if left > 0:
                self.open_per_client[host] = left
            else:
                self.open_per_client.pop(host, None)
        super().connection_lost(exc)

    # --- header and body timeouts ---------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # the next request on a kept-alive connection
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._disarm()
        self._in_body = True
        self._arm(self.body_timeout)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if self._in_body:
            self._disarm()
            self._arm(self.body_timeout)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._in_body = False
        self._disarm()
        super().on_message_complete()

    def _arm(self, seconds: float) -> None:
        self._deadline = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(_TIMED_OUT % (len(_BODY), _BODY))
        if cycle is not None:
            cycle.disconnected = True  # the app's next receive() sees the client gone
            cycle.message_event.set()
        self.transport.close()
