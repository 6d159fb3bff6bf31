"""User sinks named in gateway configs by tests (``tests.support.user_sinks:BlockingSink``)."""

from __future__ import annotations

import threading

from switchboard.domain.call_events import CallEvent

RELEASE = threading.Event()
SEEN: list[CallEvent] = []


class BlockingSink:
    """A sync sink that blocks (as ``time.sleep`` would) until ``RELEASE`` is set."""

    def log(self, event: CallEvent) -> None:
        RELEASE.wait(timeout=30)
        SEEN.append(event)


class RaisingSink:
    async def emit(self, event: CallEvent) -> None:
        raise RuntimeError("this sink always fails")


class CollectingSink:
    """Keeps every event in ``COLLECTED`` (module-level: the gateway builds the instance)."""

    async def emit(self, event: CallEvent) -> None:
        COLLECTED.append(event)


COLLECTED: list[CallEvent] = []
