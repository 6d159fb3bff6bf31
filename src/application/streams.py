"""A chat stream as callers see it: chunks in order, usage always known at the end."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable

from domain.chat import ChatChunk, RouteInfo
from domain.usage import Usage


class ChatStream:
    """Chunks from one provider stream, with the gateway's guarantees added.

    - ``usage`` is set once the stream ends: the provider's figures, else an estimate.
    - The usage-only chunk reaches the caller only if it asked (``stream_options.include_usage``);
      when the provider sent none, one is made from the estimate.
    - ``route`` says which deployment serves the stream; ``route.cost`` is set when the
      stream ends (the cost is known only once usage is).
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
        "recorded",
        "route",
        "usage",
    )

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
        self._first = first
        self._price = price
        self._source = source
        self._wants_usage = wants_usage
        self._estimate = estimate_usage
        self._texts: list[str] = []
        self.route = route
        self.usage: Usage | None = None
        self.completed = False
        self._iterator: AsyncGenerator[ChatChunk, None] | None = None
        self.recorded: list[ChatChunk] | None = None

    def record(self) -> None:
        """Keep every chunk the provider sends in ``recorded`` (so the answer can be cached)."""
        self.recorded = []

    def __aiter__(self) -> AsyncIterator[ChatChunk]:
        if self._iterator is None:
            self._iterator = self._chunks()
        return self._iterator

    @property
    def text(self) -> str:
        """The content streamed so far (the first choice's and any other's, in order)."""
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

    async def _chunks(self) -> AsyncGenerator[ChatChunk, None]:
        last: ChatChunk | None = None
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
            yield ChatChunk(id=last.id, created=last.created, model=last.model, usage=self.usage)

    def _admit(self, chunk: ChatChunk) -> ChatChunk | None:
        """Record what the chunk tells; return what the caller should see of it."""
        if self.recorded is not None:
            self.recorded.append(chunk)
        for choice in chunk.choices:
            if choice.delta.content:
                self._texts.append(choice.delta.content)
        if chunk.usage is not None:
            self.usage = chunk.usage
            if not self._wants_usage:
                if not chunk.choices:
                    return None
                chunk = chunk.model_copy(update={"usage": None})
        return chunk
