"""ConverseStream events -> ChatChunk values: a small fold over the stream (pure).

Events arrive as event-stream messages (see ``eventstream.py``) whose ``:event-type`` names them:
``messageStart`` (role), ``contentBlockStart`` (a tool call's id and name),
``contentBlockDelta`` (text, tool input JSON fragments, reasoning text / signature),
``contentBlockStop``, ``messageStop`` (stop reason), then ``metadata`` (usage). A message with
``:message-type: exception`` is a failure (``:exception-type: throttlingException``...).
``messageStop`` is the end marker: a body that ends before it was cut short.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.bedrock.errors import error_from_stream_exception
from switchboard.adapters.outbound.providers.bedrock.eventstream import EventMessage
from switchboard.adapters.outbound.providers.bedrock.response import finish_reason, thinking_block, usage_from_wire
from switchboard.adapters.outbound.providers.failures import protocol_error, stream_cut_short
from switchboard.domain.chat import ChatChunk, FinishReason


@dataclass
class ConverseStreamDecoder:
    """Feed each decoded message; get the chunks it makes. ``finish`` checks the stream ended well."""

    response_id: str
    created: int
    model: str
    json_tool: str | None = None
    provider: str = "bedrock"
    deployment: str | None = None
    secrets: Iterable[str] = ()
    finished: bool = False
    _tools: dict[int, int] = field(default_factory=dict)  # content block index -> tool call index
    _json_blocks: set[int] = field(default_factory=set)
    _reasoning: dict[int, list[str]] = field(default_factory=dict)

    def _chunk(self, delta: dict[str, Any], finish: FinishReason | None = None) -> ChatChunk:
        # One validation of plain data: about twice as fast as building the nested models.
        return ChatChunk.model_validate(
            {
                "id": self.response_id,
                "created": self.created,
                "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
        )

    def feed(self, message: EventMessage) -> list[ChatChunk]:
        kind = message.header(":message-type")
        if kind == "exception":
            raise error_from_stream_exception(
                message.header(":exception-type"),
                message.payload,
                provider=self.provider,
                deployment=self.deployment,
                secrets=self.secrets,
            )
        if kind == "error":
            raise error_from_stream_exception(
                message.header(":error-code"),
                orjson.dumps({"message": message.header(":error-message")}),
                provider=self.provider,
                deployment=self.deployment,
                secrets=self.secrets,
            )
        try:
            event = orjson.loads(message.payload) if message.payload else {}
            return self._event(message.header(":event-type"), event)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # incl. JSON and pydantic errors
            raise protocol_error(self.provider, "a stream event we could not read", self.deployment) from exc

    def _event(self, name: str, event: dict[str, Any]) -> list[ChatChunk]:
        match name:
            case "messageStart":
                return [self._chunk({"role": "assistant", "content": ""})]
            case "contentBlockStart":
                return self._block_start(event["contentBlockIndex"], event.get("start") or {})
            case "contentBlockDelta":
                return self._delta(event["contentBlockIndex"], event["delta"])
            case "messageStop":
                self.finished = True
                return [self._chunk({}, finish_reason(event.get("stopReason"), self.json_tool))]
            case "metadata":
                usage = usage_from_wire(event["usage"])
                chunk = {"id": self.response_id, "created": self.created, "model": self.model, "usage": usage}
                return [ChatChunk.model_validate(chunk)]
            case _:
                return []  # contentBlockStop, and events newer than this decoder

    def _block_start(self, index: int, start: dict[str, Any]) -> list[ChatChunk]:
        use = start.get("toolUse")
        if use is None:
            return []
        if self.json_tool and use["name"] == self.json_tool:
            self._json_blocks.add(index)
            return []
        position = self._tools[index] = len(self._tools)
        function = {"name": use["name"], "arguments": ""}
        call = {"index": position, "id": use["toolUseId"], "type": "function", "function": function}
        return [self._chunk({"tool_calls": [call]})]

    def _delta(self, index: int, delta: dict[str, Any]) -> list[ChatChunk]:
        if "text" in delta:
            return [self._chunk({"content": delta["text"]})]
        if "toolUse" in delta:
            fragment = delta["toolUse"]["input"]
            if index in self._json_blocks:
                return [self._chunk({"content": fragment})]
            call = {"index": self._tools[index], "function": {"arguments": fragment}}
            return [self._chunk({"tool_calls": [call]})]
        if "reasoningContent" in delta:
            return self._reasoning_delta(index, delta["reasoningContent"])
        return []

    def _reasoning_delta(self, index: int, content: dict[str, Any]) -> list[ChatChunk]:
        if "text" in content:
            self._reasoning.setdefault(index, []).append(content["text"])
            return [self._chunk({"reasoning_content": content["text"]})]
        if "signature" in content:
            # The signature closes a thinking block; send the whole block once, so a client can
            # return it on the next turn (LiteLLM's thinking_blocks shape).
            text = "".join(self._reasoning.pop(index, []))
            block = thinking_block(text, content["signature"])
            return [self._chunk({"thinking_blocks": [block]})]
        if "redactedContent" in content:
            block = {"type": "redacted_thinking", "data": content["redactedContent"]}
            return [self._chunk({"thinking_blocks": [block]})]
        return []

    def finish(self) -> list[ChatChunk]:
        """Nothing more to emit; raises ``ProviderUnavailable`` if ``messageStop`` never came."""
        if not self.finished:
            raise stream_cut_short(self.provider, self.deployment)
        return []
