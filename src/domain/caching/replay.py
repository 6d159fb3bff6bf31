"""Between a chat answer and its stream: replay a cached answer as chunks, and assemble a streamed
answer into one response so it can be cached."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from switchboard.domain.chat import (
    ChatChunk,
    ChatResponse,
    Choice,
    ChunkChoice,
    Delta,
    FinishReason,
    FunctionCallDelta,
    ResponseMessage,
    ToolCallDelta,
)
from switchboard.domain.messages import FunctionCall, ToolCall
from switchboard.domain.usage import Usage

CHUNK_CHARS = 64


def split_text(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut after a space where one is near;
    the pieces join back to exactly ``text``."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind(" ", start, start + size)
        end = cut + 1 if cut > start else start + size
        pieces.append(text[start:end])
        start = end
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def chunks_of(response: ChatResponse, size: int = CHUNK_CHARS) -> list[ChatChunk]:
    """The stream that carries ``response``: per choice a role chunk, its reasoning and content in
    pieces, its refusal, its tool calls (one chunk each), a finish chunk; then a usage-only chunk
    if the response has usage. Logprobs, annotations and audio are not replayed."""

    def chunk(index: int, delta: Delta, finish: FinishReason | None = None) -> ChatChunk:
        return ChatChunk(
            id=response.id,
            created=response.created,
            model=response.model,
            system_fingerprint=response.system_fingerprint,
            choices=[ChunkChoice(index=index, delta=delta, finish_reason=finish)],
        )

    chunks: list[ChatChunk] = []
    for choice in response.choices:
        message, index = choice.message, choice.index
        chunks.append(chunk(index, Delta(role="assistant", content="")))
        chunks.extend(
            chunk(index, Delta(reasoning_content=p)) for p in split_text(message.reasoning_content or "", size)
        )
        chunks.extend(chunk(index, Delta(content=p)) for p in split_text(message.content or "", size))
        if message.refusal:
            chunks.append(chunk(index, Delta(refusal=message.refusal)))
        for position, call in enumerate(message.tool_calls or ()):
            function = FunctionCallDelta(name=call.function.name, arguments=call.function.arguments)
            delta = ToolCallDelta(index=position, id=call.id, type="function", function=function)
            chunks.append(chunk(index, Delta(tool_calls=[delta])))
        if message.function_call is not None:
            legacy = FunctionCallDelta(name=message.function_call.name, arguments=message.function_call.arguments)
            chunks.append(chunk(index, Delta(function_call=legacy)))
        chunks.append(chunk(index, Delta(), choice.finish_reason or "stop"))
    if response.usage is not None:
        chunks.append(
            ChatChunk(
                id=response.id,
                created=response.created,
                model=response.model,
                system_fingerprint=response.system_fingerprint,
                usage=response.usage,
            )
        )
    return chunks


@dataclass
class _ToolCallParts:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


@dataclass
class _ChoiceParts:
    content: list[str] = field(default_factory=list)
    reasoning: list[str] = field(default_factory=list)
    refusal: list[str] = field(default_factory=list)
    tool_calls: dict[int, _ToolCallParts] = field(default_factory=dict)
    function_name: str | None = None
    function_arguments: list[str] = field(default_factory=list)
    finish_reason: FinishReason | None = None

    def feed(self, delta: Delta) -> None:
        if delta.content:
            self.content.append(delta.content)
        if delta.reasoning_content:
            self.reasoning.append(delta.reasoning_content)
        if delta.refusal:
            self.refusal.append(delta.refusal)
        for part in delta.tool_calls or ():
            call = self.tool_calls.setdefault(part.index, _ToolCallParts())
            call.id = call.id or part.id or ""
            if part.function is not None:
                call.name = call.name or part.function.name or ""
                if part.function.arguments:
                    call.arguments.append(part.function.arguments)
        if delta.function_call is not None:
            self.function_name = self.function_name or delta.function_call.name
            if delta.function_call.arguments:
                self.function_arguments.append(delta.function_call.arguments)

    def message(self) -> ResponseMessage:
        tool_calls = [
            ToolCall(id=call.id, function=FunctionCall(name=call.name, arguments="".join(call.arguments)))
            for _, call in sorted(self.tool_calls.items())
        ]
        function_call = (
            FunctionCall(name=self.function_name, arguments="".join(self.function_arguments))
            if self.function_name is not None
            else None
        )
        return ResponseMessage(
            content="".join(self.content) if self.content or not (tool_calls or function_call) else None,
            reasoning_content="".join(self.reasoning) or None,
            refusal="".join(self.refusal) or None,
            tool_calls=tool_calls or None,
            function_call=function_call,
        )


def assemble(chunks: Iterable[ChatChunk]) -> ChatResponse | None:
    """The response a complete stream carried, or ``None`` when there is nothing whole to keep
    (no chunk, no choice, or a choice that never said why it finished)."""
    first: ChatChunk | None = None
    usage: Usage | None = None
    choices: dict[int, _ChoiceParts] = {}
    for chunk in chunks:
        first = first or chunk
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            parts = choices.setdefault(choice.index, _ChoiceParts())
            parts.feed(choice.delta)
            if choice.finish_reason is not None:
                parts.finish_reason = choice.finish_reason
    if first is None or not choices or any(p.finish_reason is None for p in choices.values()):
        return None
    return ChatResponse(
        id=first.id,
        created=first.created,
        model=first.model,
        system_fingerprint=first.system_fingerprint,
        choices=[
            Choice(index=index, message=parts.message(), finish_reason=parts.finish_reason)
            for index, parts in sorted(choices.items())
        ],
        usage=usage,
    )
