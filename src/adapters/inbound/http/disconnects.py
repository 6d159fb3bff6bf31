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

What it costs a request: one task, started when the block is entered and cancelled when it is
left; a call that never yields to the event loop (an instant mock answer) never even runs it.
The reason to cancel the task in place rather than run the call in a second task: the call
keeps its context variables and its stack, and the route spends no extra task on the call.
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


class DisconnectWatch:
    """Cancels the task that entered it when the client disconnects (see the module). ``left``
    says whether it did."""

    __slots__ = ("_receive", "_task", "_watcher", "left")

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self.left = False

    async def __aenter__(self) -> DisconnectWatch:
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - an ASGI app always runs in a task
            raise RuntimeError("DisconnectWatch needs a running task")
        self._task = task
        self._watcher = task.get_loop().create_task(self._watch())
        return self

    def stop(self) -> None:
        """Stop watching, before what must not be interrupted (a stream's settling, once its end
        was sent): a client that leaves from now on cancels nothing."""
        self._watcher.cancel()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        self._watcher.cancel()
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
