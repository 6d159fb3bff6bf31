"""OpenAI SSE event data -> canonical chunks (pure): one chunk per event, end checked."""

from __future__ import annotations

from adapters.outbound.providers.openai.response import chat_chunk
from domain.chat import ChatChunk
from domain.errors import ProviderUnavailable


class OpenAIChunkDecoder:
    """Decodes the ``data`` of each SSE event; ``finish`` raises if no choice ever finished.

    ``finish`` is only called when the body ends without ``data: [DONE]``: a stream that got
    its finish reason is complete, one that did not was cut short.
    """

    __slots__ = ("_deployment", "_finished", "_provider")

    def __init__(self, provider: str, deployment: str | None = None) -> None:
        self._provider = provider
        self._deployment = deployment
        self._finished = False

    def feed(self, data: str) -> list[ChatChunk]:
        chunk = chat_chunk(data, self._provider)
        if not self._finished:
            self._finished = any(choice.finish_reason for choice in chunk.choices)
        return [chunk]

    def finish(self) -> list[ChatChunk]:
        if not self._finished:
            raise ProviderUnavailable(
                f"the stream from {self._provider} ended before the answer was complete",
                provider=self._provider,
                deployment=self._deployment,
            )
        return []
