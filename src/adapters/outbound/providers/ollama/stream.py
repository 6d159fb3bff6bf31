"""Ollama's NDJSON chat stream -> canonical chunks (pure), a small fold over the lines.

Every line is a partial answer (``message.content`` / ``message.thinking`` pieces, whole
``message.tool_calls``); the last has ``done: true`` with ``done_reason`` and the token counts.
A line ``{"error": "..."}`` is a failure after the stream started. A body that ends before the
``done`` line was cut short.
"""

from __future__ import annotations

from typing import Any

from switchboard.adapters.outbound.providers.failures import protocol_error, stream_cut_short
from switchboard.adapters.outbound.providers.ollama.errors import error_from_payload
from switchboard.adapters.outbound.providers.ollama.response import PROVIDER, finish_reason, tool_calls, usage
from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta, FinishReason, FunctionCallDelta, ToolCallDelta


class OllamaStreamDecoder:
    """Feed each decoded line; ``finish`` when the body ends."""

    __slots__ = ("_created", "_deployment", "_done", "_id", "_model", "_started", "_tool_calls")

    def __init__(self, response_id: str, model: str, created: int, deployment: str | None = None) -> None:
        self._id = response_id
        self._model = model
        self._created = created
        self._deployment = deployment
        self._started = False
        self._tool_calls = 0
        self._done = False

    def _chunk(self, delta: Delta, finish: FinishReason | None = None) -> ChatChunk:
        return ChatChunk(
            id=self._id,
            created=self._created,
            model=self._model,
            choices=[ChunkChoice(index=0, delta=delta, finish_reason=finish)],
        )

    def feed(self, line: Any) -> list[ChatChunk]:
        if not isinstance(line, dict):
            raise protocol_error(PROVIDER, "a stream line that is not an object", self._deployment)
        if "error" in line:
            raise error_from_payload(500, {}, line, deployment=self._deployment)
        message = line.get("message") or {}
        chunks = []
        content, thinking = message.get("content"), message.get("thinking")
        if content or thinking or not self._started:
            role = None if self._started else "assistant"
            self._started = True
            chunks.append(
                self._chunk(
                    Delta(
                        role=role,
                        content=content or ("" if role else None),
                        reasoning_content=thinking or None,
                    )
                )
            )
        if message.get("tool_calls"):
            calls = tool_calls(message["tool_calls"], self._id, self._tool_calls)
            deltas = [
                ToolCallDelta(
                    index=self._tool_calls + offset,
                    id=call.id,
                    type="function",
                    function=FunctionCallDelta(name=call.function.name, arguments=call.function.arguments),
                )
                for offset, call in enumerate(calls)
            ]
            self._tool_calls += len(calls)
            chunks.append(self._chunk(Delta(tool_calls=deltas)))
        if line.get("done"):
            self._done = True
            chunks.append(self._chunk(Delta(), finish_reason(line.get("done_reason"), self._tool_calls > 0)))
            chunks.append(ChatChunk(id=self._id, created=self._created, model=self._model, usage=usage(line)))
        return chunks

    def finish(self) -> list[ChatChunk]:
        """Nothing more to emit; raises if the ``done`` line never came."""
        if not self._done:
            raise stream_cut_short(PROVIDER, self._deployment)
        return []
