"""What the disconnect watch costs a request: CPU microseconds per request, best of 5 rounds.

    .venv/bin/python bench/disconnect_watch.py [--n 50000]

Each request waits once for its "upstream" (one trip through the event loop, as any real call
does at least once), with ``receive`` as uvicorn's: an ``asyncio.Event`` per request, set when
the connection closes. Printed: a call without a watch, the same call under a
``DisconnectWatch``, and for a stream the watch against the two tasks (producer and watcher) a
stream cost before the watch (``until_disconnect``). The figures are the watch's own; the whole
request is measured by bench/hot_path.py.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from switchboard.adapters.inbound.http.disconnects import DisconnectWatch
from switchboard.adapters.inbound.http.responses import until_disconnect


class _Connection:
    """uvicorn's request cycle, as far as ``receive`` goes once the body is read."""

    __slots__ = ("closed", "message_event")

    def __init__(self) -> None:
        self.message_event = asyncio.Event()
        self.closed = False

    async def receive(self) -> dict[str, Any]:
        if not self.closed:
            await self.message_event.wait()
            self.message_event.clear()
        return {"type": "http.disconnect"}


async def _upstream() -> None:
    await asyncio.sleep(0)


async def _closed(failure: BaseException | None) -> None:
    return None


async def bare() -> None:
    _Connection()
    await _upstream()


async def watched() -> None:
    connection = _Connection()
    async with DisconnectWatch(connection.receive):
        await _upstream()


async def stream_before() -> None:
    connection = _Connection()
    await until_disconnect(_upstream(), connection.receive, _closed)


async def stream_watched() -> None:
    connection = _Connection()
    async with DisconnectWatch(connection.receive) as watch:
        failure: BaseException | None = None
        try:
            await _upstream()
        except BaseException as exc:
            failure = exc
            raise
        finally:
            watch.stop()
            await _closed(failure)


async def _per_request(request: Callable[[], Awaitable[None]], n: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(n):
            await request()
        best = min(best, (time.process_time() - start) / n * 1e6)
    return best


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50_000)
    n = parser.parse_args().n
    await _per_request(watched, 1000)  # warm up
    plain, under_watch = await _per_request(bare, n), await _per_request(watched, n)
    print(f"a call, no watch:              {plain:6.2f} us")
    print(f"a call under the watch:        {under_watch:6.2f} us  (+{under_watch - plain:.2f} us)")
    before, after = await _per_request(stream_before, n), await _per_request(stream_watched, n)
    print(f"a stream, producer + watcher:  {before:6.2f} us  (before)")
    print(f"a stream under the watch:      {after:6.2f} us  ({after - before:+.2f} us)")


if __name__ == "__main__":
    asyncio.run(main())
