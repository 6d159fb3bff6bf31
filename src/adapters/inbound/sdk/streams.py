"""A streamed answer as the facade hands it out, whatever its chunk type."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, Coroutine, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, Protocol, Self, TypeVar

Chunk = TypeVar("Chunk")
Chunk_co = TypeVar("Chunk_co", covariant=True)


class _Stream(AsyncIterable[Chunk_co], Protocol[Chunk_co]):
    route: Any
    usage: Any


class AsyncStream(Generic[Chunk]):
    """Chunks of one streamed answer: ``async for`` them; the upstream closes at the end, on
    ``aclose()``, or when leaving ``async with``. ``route`` and ``usage`` are set as they are known."""

    def __init__(self, opened: AbstractAsyncContextManager[Any], stream: _Stream[Chunk]) -> None:
        self._opened = opened
        self._stream = stream
        self._closed = False

    @property
    def route(self) -> Any:
        return self._stream.route

    @property
    def usage(self) -> Any:
        return self._stream.usage

    def __aiter__(self) -> AsyncGenerator[Chunk, None]:
        return self._iterate()

    async def _iterate(self) -> AsyncGenerator[Chunk, None]:
        try:
            async for chunk in self._stream:
                yield chunk
        except BaseException as exc:
            await self._close(exc)
            raise
        await self._close(None)

    async def _close(self, exc: BaseException | None) -> None:
        if not self._closed:
            self._closed = True
            await self._opened.__aexit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)

    async def aclose(self) -> None:
        await self._close(None)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def blocking_chunks(stream: AsyncStream[Chunk], run: Any) -> Iterator[Chunk]:
    """``stream`` read from a thread that is not the loop's: ``run`` runs a coroutine on the loop
    and waits for it. The stream is closed when the iterator is."""
    iterator = stream.__aiter__()
    try:
        while True:
            try:
                yield run(_next(iterator))
            except StopAsyncIteration:
                return
    finally:
        run(stream.aclose())


def _next(iterator: AsyncGenerator[Chunk, None]) -> Coroutine[Any, Any, Chunk]:
    return iterator.__anext__()
