"""OpenAI SSE event data -> canonical chunks (pure): one chunk per event, end checked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from switchboard.adapters.outbound.providers.failures import stream_cut_short
from switchboard.adapters.outbound.providers.openai.response import chat_chunk
from switchboard.domain.chat import ChatChunk


class _Choice(Protocol):
    @property
    def finish_reason(self) -> Any: ...


class _Chunk(Protocol):
    @property
    def choices(self) -> Sequence[_Choice]: ...


Chunk = TypeVar("Chunk", bound=_Chunk)


class FinishCheckedDecoder(Generic[Chunk]):
    """Parses the ``data`` of each SSE event into one chunk; ``finish`` raises if no choice ever
    finished. ``parse`` reads one chunk (chat or legacy completion).

    ``finish`` is only called when the body ends without ``data: [DONE]``: a stream that got
    its finish reason is complete, one that did not was cut short.
    """

    __slots__ = ("_deployment", "_finished", "_parse", "_provider")

    def __init__(self, parse: Callable[[str, str], Chunk], provider: str, deployment: str | None = None) -> None:
        self._parse = parse
        self._provider = provider
        self._deployment = deployment
        self._finished = False

    def feed(self, data: str) -> list[Chunk]:
        chunk = self._parse(data, self._provider)
        if not self._finished:
            self._finished = any(choice.finish_reason for choice in chunk.choices)
        return [chunk]

    def finish(self) -> list[Chunk]:
        if not self._finished:
            raise stream_cut_short(self._provider, self._deployment)
        return []


class OpenAIChunkDecoder(FinishCheckedDecoder[ChatChunk]):
    """Chat completion chunks."""

    __slots__ = ()

    def __init__(self, provider: str, deployment: str | None = None) -> None:
        super().__init__(chat_chunk, provider, deployment)
