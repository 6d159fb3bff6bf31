"""Streams as callers see them: chunks in order, usage always known at the end.

``UsageStream`` holds the guarantees; ``ChatStream`` and ``CompletionStream`` say where a chunk's
text is and how the made-up usage chunk looks. ``AudioStream`` carries speech, which has no usage.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, Protocol, Self, TypeVar

from switchboard.domain.chat import ChatChunk, RouteInfo
from switchboard.domain.completions import CompletionChunk
from switchboard.domain.usage import Usage


class _Chunk(Protocol):
    id: str
    created: int
    model: str
    usage: Usage | None

    @property
    def choices(self) -> Sequence[Any]: ...

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self: ...


C = TypeVar("C", bound=_Chunk)


class UsageStream(Generic[C]):
    """Chunks from one provider stream, with the gateway's guarantees added.

    - ``usage`` is set once the stream ends: the provider's figures, else an estimate.
    - The usage-only chunk reaches the caller only if it asked (``stream_options.include_usage``);
      when the provider sent none, one is made from the estimate.
    - ``route`` says which deployment serves the stream; ``route.cost`` is set when the
      stream ends (the cost is known only once usage is), when a ``price`` is given.
    """

    __slots__ = (
        "_estimate",
        "_first",
        "_iterator",
        "_price",
        "_source",
        "_texts",
        "_wants_usage",
        "completed",
        "route",
        "usage",
    )

    def __init__(
        self,
        first: C | None,
        source: AsyncIterator[C],
        *,
        route: RouteInfo,
        wants_usage: bool,
        estimate_usage: Callable[[str], Usage],
        price: Callable[[Usage], float | None] | None = None,
    ) -> None:
        self._first = first
        self._price = price
        self._source = source
        self._wants_usage = wants_usage
        self._estimate = estimate_usage
        self._texts: list[str] = []
        self.route = route
        self.usage: Usage | None = None
        self.completed = False
        self._iterator: AsyncGenerator[C, None] | None = None

    def __aiter__(self) -> AsyncIterator[C]:
        if self._iterator is None:
            self._iterator = self._chunks()
        return self._iterator

    @property
    def text(self) -> str:
        """The text streamed so far (every choice's, in order)."""
        return "".join(self._texts)

    def settle_usage(self) -> Usage:
        """The usage to charge: the provider's, else an estimate of what was streamed so far."""
        if self.usage is None:
            self.usage = self._estimate("".join(self._texts))
        return self.usage

    async def aclose(self) -> None:
        """Stop iterating; the owner closes the upstream."""
        if self._iterator is not None:
            await self._iterator.aclose()

    def _texts_of(self, chunk: C) -> Iterable[str]:
        """The text pieces a chunk carries."""
        raise NotImplementedError

    def _usage_chunk(self, last: C, usage: Usage) -> C:
        """The usage-only chunk made when the provider sent none."""
        raise NotImplementedError

    async def _chunks(self) -> AsyncGenerator[C, None]:
        last: C | None = None
        if self._first is not None:
            first, self._first = self._first, None
            if (out := self._admit(first)) is not None:
                last = out
                yield out
        async for chunk in self._source:
            if (out := self._admit(chunk)) is not None:
                last = out
                yield out
        self.completed = True
        estimated = self.usage is None
        if self.usage is None:
            self.usage = self._estimate("".join(self._texts))
        if self._price is not None:
            self.route.cost = self._price(self.usage)
        if estimated and self._wants_usage and last is not None:
            yield self._usage_chunk(last, self.usage)

    def _admit(self, chunk: C) -> C | None:
        """Record what the chunk tells; return what the caller should see of it."""
        self._texts.extend(self._texts_of(chunk))
        if chunk.usage is not None:
            self.usage = chunk.usage
            if not self._wants_usage:
                if not chunk.choices:
                    return None
                chunk = chunk.model_copy(update={"usage": None})
        return chunk


class ChatStream(UsageStream[ChatChunk]):
    """A chat stream; ``record()`` keeps every chunk the provider sends (to cache the answer)."""

    __slots__ = ("recorded",)

    def __init__(
        self,
        first: ChatChunk | None,
        source: AsyncIterator[ChatChunk],
        *,
        route: RouteInfo,
        wants_usage: bool,
        estimate_usage: Callable[[str], Usage],
        price: Callable[[Usage], float | None] | None = None,
    ) -> None:
        super().__init__(
            first, source, route=route, wants_usage=wants_usage, estimate_usage=estimate_usage, price=price
        )
        self.recorded: list[ChatChunk] | None = None

    def record(self) -> None:
        """Keep every chunk the provider sends in ``recorded`` (so the answer can be cached)."""
        self.recorded = []

    def _texts_of(self, chunk: ChatChunk) -> Iterable[str]:
        return [choice.delta.content for choice in chunk.choices if choice.delta.content]

    def _usage_chunk(self, last: ChatChunk, usage: Usage) -> ChatChunk:
        return ChatChunk(id=last.id, created=last.created, model=last.model, usage=usage)

    def _admit(self, chunk: ChatChunk) -> ChatChunk | None:
        if self.recorded is not None:
            self.recorded.append(chunk)
        return super()._admit(chunk)


class CompletionStream(UsageStream[CompletionChunk]):
    """A legacy completion stream."""

    __slots__ = ()

    def _texts_of(self, chunk: CompletionChunk) -> Iterable[str]:
        return [choice.text for choice in chunk.choices if choice.text]

    def _usage_chunk(self, last: CompletionChunk, usage: Usage) -> CompletionChunk:
        return CompletionChunk(id=last.id, created=last.created, model=last.model, usage=usage)


class AudioStream:
    """Audio bytes as the provider sends them (the first piece already arrived); ``completed``
    once every byte was read. Audio carries no text and no token usage."""

    __slots__ = ("_first", "_iterator", "_rest", "completed", "content_type", "route")

    def __init__(self, content_type: str, first: bytes | None, rest: AsyncIterator[bytes], *, route: RouteInfo) -> None:
        self.content_type = content_type
        self.route = route
        self.completed = False
        self._first = first
        self._rest = rest
        self._iterator: AsyncGenerator[bytes, None] | None = None

    @property
    def text(self) -> str | None:
        return None

    def chunks(self) -> AsyncIterator[bytes]:
        """The audio, once: every call returns the same iterator."""
        if self._iterator is None:
            self._iterator = self._pieces()
        return self._iterator

    def settle_usage(self) -> Usage | None:
        return None

    async def aclose(self) -> None:
        """Stop iterating; the owner closes the upstream."""
        if self._iterator is not None:
            await self._iterator.aclose()

    async def _pieces(self) -> AsyncGenerator[bytes, None]:
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        async for piece in self._rest:
            yield piece
        self.completed = True
