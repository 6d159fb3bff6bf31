"""The upstream HTTP transport: one small interface, a fast aiohttp implementation for the hot
path and an httpx one for tests (``httpx.MockTransport``) and tools. Provider adapters depend on
the interface only, so the client library can change without touching them.
"""

from adapters.outbound.transport.base import (
    ConnectFailed,
    ConnectionLost,
    ReadTimedOut,
    Reply,
    StreamReply,
    Transport,
    TransportError,
)

__all__ = [
    "ConnectFailed",
    "ConnectionLost",
    "ReadTimedOut",
    "Reply",
    "StreamReply",
    "Transport",
    "TransportError",
]
