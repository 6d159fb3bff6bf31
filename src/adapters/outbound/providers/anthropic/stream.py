"""Anthropic's streaming events -> canonical chunks: a fold over the events (pure).

Events, in order: ``message_start`` (id, model, input usage), then per content block
``content_block_start`` / ``content_block_delta``... / ``content_block_stop``, then
``message_delta`` (stop reason, cumulative usage) and ``message_stop``; ``ping`` may come
anywhere, and ``error`` (``overloaded_error`` mid-stream, for instance) ends the stream.

- ``text_delta`` -> ``delta.content``; ``thinking_delta`` -> ``delta.reasoning_content``.
- A ``tool_use`` block opens a tool call (id and name, at the next OpenAI tool-call index, counted
  from 0 over tool blocks only); its ``input_json_delta`` fragments become that call's argument
  fragments. A block of the forced JSON tool streams as ``delta.content`` instead.
- A finished thinking block is repeated whole, with its signature, as ``delta.thinking_blocks``
  (so a caller can send it back); a ``redacted_thinking`` block is passed on the same way.
- ``message_delta`` gives the chunk with ``finish_reason``; ``finish()`` gives the usage chunk
  after ``message_stop``, and raises ``ProviderUnavailable`` if the stream ended before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.anthropic.errors import error_from_event
from switchboard.adapters.outbound.providers.anthropic.response import PROVIDER, finish_reason, usage_of
from switchboard.adapters.outbound.providers.failures import protocol_error, stream_cut_short
from switchboard.adapters.outbound.providers.sse import SseEvent
from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta, FunctionCallDelta, ToolCallDelta


@dataclass(slots=True)
class _Block:
    kind: str  # "text", "tool", "json" (the forced JSON tool), "thinking", or "other"
    tool_index: int = -1
    thinking: list[str] = field(default_factory=list)
    signature: str = ""


@dataclass(slots=True)
class AnthropicStreamDecoder:
    """Feed it each SSE event as it arrives; it returns the chunks that event completes."""

    model: str
    created: int
    response_tool: str | None = None
    deployment: str | None = None
    _id: str = ""
    _blocks: dict[int, _Block] = field(default_factory=dict)
    _tools: int = 0
    _usage: dict[str, Any] = field(default_factory=dict)
    _stopped: bool = False

    def feed(self, event: SseEvent) -> list[ChatChunk]:
        try:
            data = orjson.loads(event.data)
            kind = data["type"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise protocol_error(PROVIDER, "a stream event we could not read", self.deployment) from exc
        try:
            match kind:
                case "content_block_delta":
                    return self._delta(data["index"], data["delta"])
                case "content_block_start":
                    return self._start(data["index"], data["content_block"])
                case "content_block_stop":
                    return self._stop(data["index"])
                case "message_start":
                    return self._message_start(data["message"])
                case "message_delta":
                    self._usage.update({k: v for k, v in (data.get("usage") or {}).items() if v is not None})
                    reason = finish_reason(
                        data["delta"].get("stop_reason"), response_tool=self.response_tool is not None
                    )
                    return [self._chunk(Delta(), reason)]
                case "message_stop":
                    self._stopped = True
                    return []
                case "error":
                    raise error_from_event(data, provider=PROVIDER, deployment=self.deployment)
                case _:  # "ping", and event types Anthropic may add (its versioning allows it)
                    return []
        except (KeyError, TypeError, AttributeError) as exc:
            raise protocol_error(PROVIDER, f"a {kind} event we could not read", self.deployment) from exc

    def finish(self) -> list[ChatChunk]:
        """The usage chunk, once the stream has ended; raises if it ended before ``message_stop``."""
        if not self._stopped:
            raise stream_cut_short(PROVIDER, self.deployment, what="message")
        return [ChatChunk(id=self._id, created=self.created, model=self.model, usage=usage_of(self._usage))]

    def _chunk(self, delta: Delta, finish: Any = None) -> ChatChunk:
        return ChatChunk(
            id=self._id,
            created=self.created,
            model=self.model,
            choices=[ChunkChoice(delta=delta, finish_reason=finish)],
        )

    def _message_start(self, message: dict[str, Any]) -> list[ChatChunk]:
        self._id = message["id"]
        self.model = message.get("model") or self.model
        self._usage = {k: v for k, v in (message.get("usage") or {}).items() if v is not None}
        return [self._chunk(Delta(role="assistant", content=""))]

    def _start(self, index: int, block: dict[str, Any]) -> list[ChatChunk]:
        kind = block["type"]
        if kind == "text":
            self._blocks[index] = _Block("text")
            text = block.get("text")
            return [self._chunk(Delta(content=text))] if text else []
        if kind == "tool_use" and block["name"] == self.response_tool:
            self._blocks[index] = _Block("json")
            return []
        if kind == "tool_use":
            self._blocks[index] = _Block("tool", tool_index=self._tools)
            self._tools += 1
            call = ToolCallDelta(
                index=self._tools - 1,
                id=block["id"],
                type="function",
                function=FunctionCallDelta(name=block["name"], arguments=""),
            )
            return [self._chunk(Delta(tool_calls=[call]))]
        if kind == "thinking":
            self._blocks[index] = started = _Block("thinking")
            text = block.get("thinking")
            if text:
                started.thinking.append(text)
                return [self._chunk(Delta(reasoning_content=text))]
            return []
        if kind == "redacted_thinking":
            self._blocks[index] = _Block("other")
            redacted = {"type": "redacted_thinking", "data": block["data"]}
            return [self._chunk(Delta(thinking_blocks=[redacted]))]
        self._blocks[index] = _Block("other")  # server-tool blocks: tools this adapter never sends
        return []

    def _delta(self, index: int, delta: dict[str, Any]) -> list[ChatChunk]:
        block = self._blocks.get(index)
        if block is None:
            raise protocol_error(PROVIDER, f"a delta for block {index}, which never started", self.deployment)
        kind = delta["type"]
        if kind == "text_delta":
            return [self._chunk(Delta(content=delta["text"]))] if delta["text"] else []
        if kind == "input_json_delta":
            fragment = delta["partial_json"]
            if not fragment:
                return []
            if block.kind == "json":
                return [self._chunk(Delta(content=fragment))]
            call = ToolCallDelta(index=block.tool_index, function=FunctionCallDelta(arguments=fragment))
            return [self._chunk(Delta(tool_calls=[call]))]
        if kind == "thinking_delta":
            block.thinking.append(delta["thinking"])
            return [self._chunk(Delta(reasoning_content=delta["thinking"]))]
        if kind == "signature_delta":
            block.signature = delta["signature"]
        return []  # citations_delta: citations are not carried in OpenAI's format

    def _stop(self, index: int) -> list[ChatChunk]:
        block = self._blocks.pop(index, None)
        if block is None or block.kind != "thinking":
            return []
        whole = {"type": "thinking", "thinking": "".join(block.thinking), "signature": block.signature}
        return [self._chunk(Delta(thinking_blocks=[whole]))]
