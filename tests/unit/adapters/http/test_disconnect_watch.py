"""The disconnect watch: a client that leaves cancels the call it waits for, and nothing else."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from switchboard.adapters.inbound.http.disconnects import DisconnectWatch
from switchboard.domain.errors import CLIENT_LEFT, BadRequest, client_left


class FakeClient:
    """The ``receive`` of a connection whose body was read: ``http.disconnect`` once ``leave()``
    is called (after any ``extra`` messages), and waits until then, as servers do. ``watched``
    is set once something waits for it."""

    def __init__(self, *extra: dict[str, Any]) -> None:
        self._left = asyncio.Event()
        self._extra = list(extra)
        self.watched = asyncio.Event()
        self.reads = 0
        self.waiting = 0

    def leave(self) -> None:
        self._left.set()

    async def receive(self) -> dict[str, Any]:
        self.reads += 1
        if self._extra:
            return self._extra.pop(0)
        self.watched.set()
        self.waiting += 1
        try:
            await self._left.wait()
        finally:
            self.waiting -= 1
        return {"type": "http.disconnect"}


class Upstream:
    """A call that waits until released, and records how it ended."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.released = asyncio.Event()
        self.ended_by: BaseException | None = None

    async def call(self) -> str:
        self.started.set()
        try:
            await self.released.wait()
        except BaseException as exc:
            self.ended_by = exc
            raise
        return "answer"


async def test_a_client_that_leaves_cancels_the_call_and_the_block_ends_quietly() -> None:
    client, upstream = FakeClient(), Upstream()
    answers: list[str] = []

    async def route() -> DisconnectWatch:
        async with DisconnectWatch(client.receive) as watch:
            answers.append(await upstream.call())
        return watch

    running = asyncio.create_task(route())
    await upstream.started.wait()
    client.leave()
    watch = await running
    assert watch.left and answers == []
    assert upstream.ended_by is not None and client_left(upstream.ended_by)
    assert running.cancelling() == 0  # the cancellation was taken back: the server sees a plain return


async def test_the_cancellation_names_the_client_leaving() -> None:
    client, upstream = FakeClient(), Upstream()

    async def route() -> None:
        async with DisconnectWatch(client.receive):
            await upstream.call()

    running = asyncio.create_task(route())
    await upstream.started.wait()
    client.leave()
    await running
    assert isinstance(upstream.ended_by, asyncio.CancelledError) and upstream.ended_by.args == (CLIENT_LEFT,)


async def test_a_client_that_stays_gets_its_answer_and_is_no_longer_watched() -> None:
    client, upstream = FakeClient(), Upstream()
    upstream.released.set()
    async with DisconnectWatch(client.receive) as watch:
        await client.watched.wait()  # once the call has lasted a moment
        answer = await upstream.call()
    await asyncio.sleep(0)
    assert (answer, watch.left, client.waiting) == ("answer", False, 0)


async def test_a_call_that_ends_before_its_client_is_watched_never_reads_from_it() -> None:
    client = FakeClient()
    async with DisconnectWatch(client.receive) as watch:
        pass
    watch.start()  # what the sweep does to the watches it still holds
    await asyncio.sleep(0)
    assert client.reads == 0


async def test_messages_other_than_a_disconnect_are_not_a_client_leaving() -> None:
    client, upstream = FakeClient({"type": "http.request", "body": b"", "more_body": False}), Upstream()
    upstream.released.set()
    async with DisconnectWatch(client.receive) as watch:
        await client.watched.wait()  # after the empty body message
        answer = await upstream.call()
    assert (answer, watch.left, client.reads) == ("answer", False, 2)


async def test_an_error_of_the_call_goes_through_the_watch() -> None:
    client = FakeClient()
    with pytest.raises(BadRequest):
        async with DisconnectWatch(client.receive):
            await asyncio.sleep(0)
            raise BadRequest("no", param="model")


async def test_the_servers_cancellation_is_not_swallowed() -> None:
    client, upstream = FakeClient(), Upstream()

    async def route() -> None:
        async with DisconnectWatch(client.receive):
            await upstream.call()

    running = asyncio.create_task(route())
    await upstream.started.wait()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_a_client_leaving_while_the_server_cancels_too_is_not_swallowed() -> None:
    client, upstream = FakeClient(), Upstream()

    async def route() -> None:
        async with DisconnectWatch(client.receive):
            await upstream.call()
            await asyncio.Event().wait()  # never: the server's cancellation must end this too

    running = asyncio.create_task(route())
    await client.watched.wait()
    client.leave()
    running.cancel()  # the server stops as the client leaves
    with pytest.raises(asyncio.CancelledError):
        await running


async def test_a_client_leaving_after_the_watch_stopped_cancels_nothing() -> None:
    client, upstream = FakeClient(), Upstream()

    answers: list[str] = []
    async with DisconnectWatch(client.receive) as watch:
        await client.watched.wait()
        watch.stop()  # what follows (settling) must not be interrupted
        client.leave()
        await asyncio.sleep(0)
        upstream.released.set()
        answers.append(await upstream.call())
    assert answers == ["answer"] and upstream.ended_by is None


async def test_a_receive_that_fails_leaves_the_call_running() -> None:
    upstream, asked = Upstream(), asyncio.Event()
    upstream.released.set()

    async def broken() -> dict[str, Any]:
        asked.set()
        raise RuntimeError("this server cannot tell")

    async with DisconnectWatch(broken) as watch:
        await asked.wait()
        await asyncio.sleep(0)
        answer = await upstream.call()
    assert (answer, watch.left) == ("answer", False)
