"""What every harness behind a ``RecordingUpstream`` shares: the fake upstream it builds the
adapter on (reached through the production transport), the bodies the adapter sent there, and the
exchanges it left open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from switchboard.adapters.outbound.transport.http1 import Http1Transport
from tests.support.upstream import RecordingUpstream, StreamCounter


class RecordedHarness:
    def __init__(self) -> None:
        self._upstream: RecordingUpstream | None = None

    def _record(self, handler: Callable[[httpx.Request, StreamCounter], httpx.Response]) -> Http1Transport:
        """A transport to a new fake upstream that answers with ``handler``."""
        self._upstream = RecordingUpstream(handler)
        return self._upstream.transport()

    def sent(self) -> list[dict[str, Any]]:
        return self._upstream.bodies() if self._upstream else []

    def open_streams(self) -> int:
        return self._upstream.counter.open if self._upstream else 0
