"""Invalidation buses: in-process for one instance, Redis pub/sub for many."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from switchboard.domain.ports.invalidation import EVERYTHING

log = logging.getLogger(__name__)

CHANNEL = "switchboard:invalidate"


class LocalInvalidationBus:
    """One process: a publish reaches the handler at once."""

    def __init__(self) -> None:
        self._handler: Callable[[str], None] | None = None

    async def publish(self, topic: str) -> None:
        if self._handler is not None:
            self._handler(topic)

    async def start(self, handler: Callable[[str], None]) -> None:
        self._handler = handler

    async def stop(self) -> None:
        self._handler = None


class RedisInvalidationBus:
    """Redis pub/sub. The publishing instance applies its own change at once; the others within
    a round trip. After a lost connection every instance drops everything it cached, since it
    may have missed messages while away."""

    def __init__(self, client: Any, channel: str = CHANNEL, retry: float = 1.0) -> None:
        self._client = client
        self._channel = channel
        self._retry = retry
        self._handler: Callable[[str], None] | None = None
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    async def publish(self, topic: str) -> None:
        if self._handler is not None:
            self._handler(topic)
        try:
            async with asyncio.timeout(1.0):
                await self._client.publish(self._channel, topic)
        except Exception as exc:  # the TTL still bounds how long other instances lag
            log.warning(
                "could not publish invalidation (%s); other instances catch up within the cache TTL",
                type(exc).__name__,
            )

    async def start(self, handler: Callable[[str], None]) -> None:
        self._handler = handler
        self._task = asyncio.create_task(self._listen(), name="switchboard-invalidation")

    async def _listen(self) -> None:
        lost = False
        while True:
            pubsub = self._client.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                self.connected.set()
                if lost and self._handler is not None:
                    self._handler(EVERYTHING)
                    log.info("invalidation channel back")
                async for message in pubsub.listen():
                    if message.get("type") == "message" and self._handler is not None:
                        data = message["data"]
                        self._handler(data.decode() if isinstance(data, bytes) else str(data))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not lost:
                    log.warning("invalidation channel lost (%s); retrying", type(exc).__name__)
                lost = True
                self.connected.clear()
                await asyncio.sleep(self._retry)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        self._handler = None
