"""Chat stream chunks -> Anthropic Messages stream events, for a deployment whose provider does
not speak Messages (pure): a fold whose state is one small object, ``MessagesEvents``.

The events follow Anthropic's order: ``message_start`` (with the prompt's estimated input
tokens), a ``ping``, then for each content block ``content_block_start``, its deltas and
``content_block_stop``, then ``message_delta`` (stop reason and the final usage) and
``message_stop``. A block is a run of one kind of delta: reasoning -> a ``thinking`` block,
text -> a ``text`` block, each tool call -> a ``tool_use`` block whose arguments arrive as
``input_json_delta`` pieces, exactly as the upstream split them (the client joins them).

A tool call's block opens once its name is known; arguments that come before it are held and
sent when it opens. A new tool call (another index) ends the one before; a piece for a tool call
whose block has ended cannot be placed, and raises ``UpstreamProtocolError`` rather than being
lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from switchboard.domain.anthropic_messages.from_chat import message_id, messages_usage, stop_reason
from switchboard.domain.anthropic_messages.wire import (
    BlockDelta,
    ContentBlock,
    ContentBlockDelta,
    ContentBlockStart,
    ContentBlockStop,
    InputJsonDelta,
    MessageDelta,
    MessageDeltaBody,
    MessagesResponse,
    MessageStart,
    MessageStop,
    MessagesUsage,
    Ping,
    TextBlock,
    TextDelta,
    ThinkingBlock,
    ThinkingDelta,
    ToolUseBlock,
)
from switchboard.domain.chat import ChatChunk, ToolCallDelta
from switchboard.domain.errors import UpstreamProtocolError
from switchboard.domain.messages import WireModel
from switchboard.domain.usage import Usage


def frame(event: WireModel) -> bytes:
    """One event in Anthropic's SSE framing: its name, then its JSON."""
    kind: str = getattr(event, "type")  # noqa: B009 - every event model names its type
    data = event.__pydantic_serializer__.to_json(event, exclude_none=True)
    return b"event: " + kind.encode() + b"\ndata: " + data + b"\n\n"


@dataclass(slots=True)
class _ToolCall:
    id: str = ""
    name: str = ""
    held: list[str] = field(default_factory=list)  # arguments before the block could open
    block: int | None = None  # the block's index, once open
    closed: bool = False


@dataclass(slots=True)
class MessagesEvents:
    """Feed chat chunks in order; ``finish`` once the chat stream has ended."""

    model: str
    input_tokens: int = 0  # the prompt's estimate, until the upstream reports usage
    provider: str | None = None
    _started: bool = False
    _blocks: int = 0
    _open: str | None = None  # "text", "thinking", or "tool:<index>"
    _tools: dict[int, _ToolCall] = field(default_factory=dict)
    _finish: str | None = None
    usage: Usage | None = None

    def feed(self, chunk: ChatChunk) -> list[bytes]:
        events: list[bytes] = []
        if not self._started:
            events += self._start(chunk)
        if chunk.usage is not None:
            self.usage = chunk.usage
        for choice in chunk.choices[:1]:
            delta = choice.delta
            if delta.reasoning_content:
                events += self._delta("thinking", ThinkingDelta(thinking=delta.reasoning_content))
            if delta.content:
                events += self._delta("text", TextDelta(text=delta.content))
            for call in delta.tool_calls or ():
                events += self._tool_delta(call)
            if choice.finish_reason is not None:
                self._finish = choice.finish_reason
        return events

    def finish(self) -> list[bytes]:
        """Close the last block, then the message with its stop reason and usage."""
        events: list[bytes] = []
        if not self._started:
            events += self._start(None)
        for index, call in sorted(self._tools.items()):
            if call.block is None:  # a tool call whose name never came
                raise UpstreamProtocolError(
                    f"The stream's tool call {index} never named its tool.", provider=self.provider
                )
        events += self._close()
        usage = messages_usage(self.usage) if self.usage is not None else MessagesUsage(input_tokens=self.input_tokens)
        events.append(frame(MessageDelta(delta=MessageDeltaBody(stop_reason=stop_reason(self._finish)), usage=usage)))
        events.append(frame(MessageStop()))
        return events

    # --- the steps -------------------------------------------------------------------------------

    def _start(self, chunk: ChatChunk | None) -> list[bytes]:
        self._started = True
        message = MessagesResponse(
            id=message_id(chunk.id if chunk is not None else "stream"),
            model=self.model,
            content=[],
            usage=MessagesUsage(input_tokens=self.input_tokens, output_tokens=0),
        )
        return [frame(MessageStart(message=message)), frame(Ping())]

    def _close(self) -> list[bytes]:
        if self._open is None:
            return []
        if self._open.startswith("tool:"):
            self._tools[int(self._open[5:])].closed = True
        self._open = None
        return [frame(ContentBlockStop(index=self._blocks - 1))]

    def _begin(self, kind: str, block: ContentBlock) -> list[bytes]:
        events = self._close()
        events.append(frame(ContentBlockStart(index=self._blocks, content_block=block)))
        self._blocks += 1
        self._open = kind
        return events

    def _delta(self, kind: str, delta: BlockDelta) -> list[bytes]:
        events: list[bytes] = []
        if self._open != kind:
            block: ContentBlock = TextBlock(text="") if kind == "text" else ThinkingBlock(thinking="", signature="")
            events = self._begin(kind, block)
        events.append(frame(ContentBlockDelta(index=self._blocks - 1, delta=delta)))
        return events

    def _tool_delta(self, piece: ToolCallDelta) -> list[bytes]:
        call = self._tools.setdefault(piece.index, _ToolCall())
        if call.closed:
            raise UpstreamProtocolError(
                f"The stream went back to tool call {piece.index} after a later block began.", provider=self.provider
            )
        if piece.id:
            call.id = piece.id
        function = piece.function
        if function is not None and function.name:
            call.name += function.name
        arguments = function.arguments if function is not None else None
        events: list[bytes] = []
        if call.block is None:
            if arguments:
                call.held.append(arguments)
            if not call.name:
                return events
            kind = f"tool:{piece.index}"
            events = self._begin(kind, ToolUseBlock(id=call.id or f"toolu_{piece.index}", name=call.name, input={}))
            call.block = self._blocks - 1
            held, call.held = "".join(call.held), []
            if held:
                events.append(frame(ContentBlockDelta(index=call.block, delta=InputJsonDelta(partial_json=held))))
            return events
        if self._open != f"tool:{piece.index}":  # text came between two pieces of one call
            raise UpstreamProtocolError(
                f"The stream went back to tool call {piece.index} after a later block began.", provider=self.provider
            )
        if arguments:
            events.append(frame(ContentBlockDelta(index=call.block, delta=InputJsonDelta(partial_json=arguments))))
        return events
