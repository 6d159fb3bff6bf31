"""The upstream HTTP transport: one small interface; a lean HTTP/1.1 implementation on httptools
for the hot path (``http1``, the default) and an aiohttp one beside it, both held to the same
contract (``tests/contract/test_transport_kit.py``). Provider adapters depend on the interface
only, so the client can change without touching them; their tests run over ``http1`` against
fake upstreams on 127.0.0.1 (``tests/support/loopback.py``).
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
