"""Cohere v2 chat stream events -> canonical chunks (pure), a small fold over the events.

Events (https://docs.cohere.com/docs/streaming): ``message-start`` (id), ``content-start`` /
``content-delta`` / ``content-end`` (text or thinking), ``tool-plan-delta``, ``tool-call-start``
/ ``tool-call-delta`` / ``tool-call-end``, ``citation-*``, ``message-end`` (finish reason,
usage). ``message-end`` is the end marker; a body that stops before it was cut short.
"""

from __future__ import annotations

from typing import Any

import orjson

from switchboard.adapters.outbound.providers.cohere.response import PROVIDER, finish_reason, usage
from switchboard.adapters.outbound.providers.failures import protocol_error, stream_cut_short
from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta, FinishReason, FunctionCallDelta, ToolCallDelta


class CohereStreamDecoder:
    """Feed the ``data`` of each SSE event; ``finish`` when the body ends."""

    __slots__ = ("_created", "_deployment", "_ended", "_id", "_model", "_tool_index")

    def __init__(self, model: str, created: int, deployment: str | None = None) -> None:
        self._model = model
        self._created = created
        self._deployment = deployment
        self._id = ""
        self._tool_index: dict[int, int] = {}  # Cohere's event index -> our tool-call index
        self._ended = False

    def _chunk(self, delta: Delta, finish: FinishReason | None = None) -> ChatChunk:
        return ChatChunk(
            id=self._id,
            created=self._created,
            model=self._model,
            choices=[ChunkChoice(index=0, delta=delta, finish_reason=finish)],
        )

    def feed(self, data: str) -> list[ChatChunk]:
        if data == "[DONE]":
            return []
        try:
            event = orjson.loads(data)
            return self._event(event)
        except orjson.JSONDecodeError as exc:
            raise protocol_error(PROVIDER, "a stream event we could not read", self._deployment) from exc
        except (KeyError, TypeError, AttributeError) as exc:
            raise protocol_error(PROVIDER, "a stream event of an unexpected shape", self._deployment) from exc

    def _event(self, event: dict[str, Any]) -> list[ChatChunk]:
        message = (event.get("delta") or {}).get("message") or {}
        match event.get("type"):
            case "message-start":
                self._id = str(event.get("id") or "")
                return [self._chunk(Delta(role="assistant", content=""))]
            case "content-start" | "content-delta":
                content = message.get("content") or {}
                text, thinking = content.get("text"), content.get("thinking")
                if not text and not thinking:
                    return []
                return [self._chunk(Delta(content=text or None, reasoning_content=thinking or None))]
            case "tool-plan-delta":
                plan = message.get("tool_plan")
                return [self._chunk(Delta(reasoning_content=plan))] if plan else []
            case "tool-call-start":
                call = message.get("tool_calls") or {}
                function = call.get("function") or {}
                index = self._tool_index.setdefault(int(event.get("index") or 0), len(self._tool_index))
                delta = ToolCallDelta(
                    index=index,
                    id=call.get("id"),
                    type="function",
                    function=FunctionCallDelta(name=function.get("name"), arguments=function.get("arguments") or ""),
                )
                return [self._chunk(Delta(tool_calls=[delta]))]
            case "tool-call-delta":
                arguments = ((message.get("tool_calls") or {}).get("function") or {}).get("arguments")
                if not arguments:
                    return []
                index = self._tool_index.setdefault(int(event.get("index") or 0), len(self._tool_index))
                delta = ToolCallDelta(index=index, function=FunctionCallDelta(arguments=arguments))
                return [self._chunk(Delta(tool_calls=[delta]))]
            case "message-end":
                return self._end(event.get("delta") or {})
            case _:
                # content-end, tool-call-end, citation-start/-end and debug carry nothing we map
                return []

    def _end(self, delta: dict[str, Any]) -> list[ChatChunk]:
        reason = finish_reason(delta.get("finish_reason"), delta.get("error"), self._deployment)
        self._ended = True
        chunks = [self._chunk(Delta(), reason)]
        reported = usage(delta.get("usage"))
        if reported is not None:
            chunks.append(ChatChunk(id=self._id, created=self._created, model=self._model, usage=reported))
        return chunks

    def finish(self) -> list[ChatChunk]:
        """Nothing more to emit; raises if ``message-end`` never came."""
        if not self._ended:
            raise stream_cut_short(PROVIDER, self._deployment)
        return []
