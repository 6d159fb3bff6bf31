"""The upstream HTTP transport: one small interface; a lean HTTP/1.1 implementation on httptools
for the hot path (``http1``), an aiohttp one beside it (the same contract, ``tests/contract/
test_transport_kit.py``), and an httpx one for tests (``httpx.MockTransport``) and tools.
Provider adapters depend on the interface only, so the client can change without touching them.
"""

from switchboard.adapters.outbound.transport.base import (
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
