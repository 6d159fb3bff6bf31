"""The watch on the client's connection while a call runs, for every LLM route.

    body = parse_json(ChatRequest, await read_body(receive, scope, limit))
    async with DisconnectWatch(receive) as watch:
        response = await services.chat.complete(body, ctx)
        return JsonResponse(...)
    return CLIENT_GONE  # reached only when the client left (watch.left)

Once the request body has been read, the only message ``receive`` has left to give is
``http.disconnect``. From entering the block until leaving it, one task waits for it; when it
comes, the task that entered the block is cancelled with ``CLIENT_LEFT`` as the cancellation's
message, wherever it waits: on the upstream's answer, before a stream's first byte, or in the
middle of a stream. The cancellation closes the upstream request (leaving the transport's
``async with`` drops a connection whose exchange did not end), and the call path settles the
call, slot and budget reservation released, as ``ClientAborted`` (status ``client_aborted``)
with the usage known so far. Leaving the block stops the watch and swallows that one
cancellation: the route then returns without answering, as there is nobody to answer. Any other
cancellation (the server's, at shutdown) goes on.

What it costs a request: next to nothing until the call has lasted a while. Entering the
block only puts the watch on its event loop's list; every ``WATCH_AFTER`` seconds one timer
starts a watcher task for each watch still on it. So a call that ends sooner (a mock answer, a
cache hit, a refusal) costs a dict insert and removal, and a call that lasts longer costs one
task: nothing beside its upstream's milliseconds (``bench/disconnect_watch.py`` prints both;
a timer per request would cost as much as the task). A client that leaves in the first moments of a call is
therefore seen up to ``WATCH_AFTER`` seconds later; one that leaves later, at once. Cancelling
the task in place rather than running the call in a second task keeps the call's context
variables and stack, and spends no task on the call itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any

from switchboard.domain.errors import CLIENT_LEFT

log = logging.getLogger(__name__)

Receive = Callable[[], Awaitable[Mapping[str, Any]]]

WATCH_AFTER = 0.05
"""Seconds (at most) a call runs before its client is watched: see the module."""


class DisconnectWatch:
    """Cancels the task that entered it when the client disconnects (see the module). ``left``
    says whether it did."""

    __slots__ = ("_receive", "_stopped", "_sweep", "_task", "_watcher", "left")

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._watcher: asyncio.Task[None] | None = None
        self._stopped = False
        self.left = False

    async def __aenter__(self) -> DisconnectWatch:
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - an ASGI app always runs in a task
            raise RuntimeError("DisconnectWatch needs a running task")
        self._task = task
        loop = task.get_loop()
        sweep = _SWEEPS.get(loop)
        if sweep is None:
            sweep = _SWEEPS[loop] = _Sweep(loop)
        self._sweep = sweep
        sweep.waiting[self] = None
        return self

    def start(self) -> None:
        """Watch from now on (the sweep calls it; a test may too)."""
        if self._watcher is None and not self._stopped:
            self._sweep.waiting.pop(self, None)
            self._watcher = self._task.get_loop().create_task(self._watch())

    def stop(self) -> None:
        """Stop watching, before what must not be interrupted (a stream's settling, once its end
        was sent): a client that leaves from now on cancels nothing."""
        self._stopped = True
        watcher = self._watcher
        if watcher is None:
            self._sweep.waiting.pop(self, None)
        else:
            watcher.cancel()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        self.stop()
        if not self.left:
            return False
        # The watch cancelled this task: take that cancellation back, and swallow it when it is
        # what ends the block and nobody else cancelled the task too (asyncio.timeout does the same).
        return self._task.uncancel() == 0 and isinstance(error, asyncio.CancelledError)

    async def _watch(self) -> None:
        receive = self._receive
        try:
            while (await receive())["type"] != "http.disconnect":
                pass
        except Exception as exc:  # a server that cannot say: no watch, the call goes on
            log.debug("cannot watch the client's connection: %s", type(exc).__name__)
            return
        self.left = True
        self._task.cancel(CLIENT_LEFT)


class _Sweep:
    """The watches of one event loop not watching yet. One timer, ``WATCH_AFTER`` seconds after
    the first of them arrived, starts them all; the next watch to arrive makes a new sweep."""

    __slots__ = ("loop", "waiting")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: dict[DisconnectWatch, None] = {}
        loop.call_later(WATCH_AFTER, self._run)

    def _run(self) -> None:
        if _SWEEPS.get(self.loop) is self:
            del _SWEEPS[self.loop]
        for watch in list(self.waiting):
            watch.start()


_SWEEPS: dict[asyncio.AbstractEventLoop, _Sweep] = {}
"""The current sweep of each running event loop (a gateway has one per worker; tests have more)."""
