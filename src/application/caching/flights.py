"""Single flight: concurrent identical misses share one upstream call.

The first caller for a key leads: it calls upstream and then ``land``s the flight with the bytes
it got (or ``None`` when it has nothing to share), or ``crash``es it with its error. Callers that
arrive meanwhile follow: they wait for the landing and get the same bytes or the same error.
A follower whose leader had nothing to share (a stream the client left, a cancelled call) tries
again, and may lead in turn.
"""

from __future__ import annotations

import asyncio


class Flights:
    """The flights in progress in this process, one per key at most."""

    __slots__ = ("_inflight",)

    def __init__(self) -> None:
        self._inflight: dict[str, asyncio.Future[bytes | None]] = {}

    def __len__(self) -> int:
        return len(self._inflight)

    def board(self, key: str) -> asyncio.Future[bytes | None] | None:
        """``None``: the caller leads the flight for ``key`` and must land or crash it exactly once.
        Else the flight to wait on (with ``follow``)."""
        flight = self._inflight.get(key)
        if flight is not None:
            return flight
        self._inflight[key] = asyncio.get_running_loop().create_future()
        return None

    def land(self, key: str, value: bytes | None) -> None:
        """End the flight with ``value`` (``None``: nothing to share, followers try again)."""
        flight = self._inflight.pop(key, None)
        if flight is not None and not flight.done():
            flight.set_result(value)

    def crash(self, key: str, error: BaseException) -> None:
        """End the flight with ``error``, which every follower raises."""
        flight = self._inflight.pop(key, None)
        if flight is not None and not flight.done():
            flight.set_exception(error)
            flight.exception()  # retrieved: no "exception was never retrieved" without followers


async def follow(flight: asyncio.Future[bytes | None]) -> bytes | None:
    """Wait for a flight; a follower that is cancelled does not cancel the flight."""
    return await asyncio.shield(flight)
