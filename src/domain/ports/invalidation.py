"""Telling every gateway instance that cached identities changed (a key was blocked, a team's
budget was raised...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

EVERYTHING = "*"


class InvalidationBus(Protocol):
    async def publish(self, topic: str) -> None:
        """Tell every instance (this one included) to forget ``topic``: a key hash, or
        ``EVERYTHING``. Never raises: a lost message is covered by the cache TTL."""
        ...

    async def start(self, handler: Callable[[str], None]) -> None:
        """Call ``handler(topic)`` for every message from now on (until ``stop``)."""
        ...

    async def stop(self) -> None: ...
