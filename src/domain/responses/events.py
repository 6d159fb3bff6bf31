"""Chat chunks → Responses stream events (pure): a fold whose state is the output items open.

The events, in the order OpenAI sends them: ``response.created`` and ``response.in_progress``
first, always (``start``); then per output item ``response.output_item.added``, its parts
(``response.content_part.added``), its deltas (``response.output_text.delta``,
``response.refusal.delta``, ``response.reasoning_text.delta``,
``response.function_call_arguments.delta``), their ``.done`` events and
``response.output_item.done``; last ``response.completed`` (or ``response.incomplete`` when the
output hit ``max_output_tokens``), or, when the upstream fails midway, ``error`` then
``response.failed``. Every event carries ``sequence_number``, counted from 0.

Tool-call arguments are never dropped: a call's arguments that arrive before its name (some
upstreams split them so) wait until the name comes and then go out as one delta; several tool
calls streamed side by side (by ``index``) each get their own item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from switchboard.domain.chat import ChatChunk, FinishReason, ToolCallDelta
from switchboard.domain.responses.translation import (
    finished,
    function_call_item,
    item_ids,
    message_item,
    reasoning_item,
    refusal_part,
    text_part,
)
from switchboard.domain.responses.wire import Item
from switchboard.domain.usage import Usage

Event = dict[str, Any]


@dataclass(slots=True)
class _Call:
    call_id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)
    output_index: int = -1  # -1: not announced yet (its name has not arrived)
    item_id: str = ""
    sent: int = 0  # how many pieces of ``arguments`` went out

    @property
    def text(self) -> str:
        return "".join(self.arguments)


@dataclass(slots=True)
class ResponseEvents:
    """Folds one chat stream into Responses events. ``shell`` is the response's fields
    (``translation.response_shell``); call ``start``, ``feed`` each chunk, then ``finish`` (the
    stream ended) or ``fail`` (it broke)."""

    shell: dict[str, Any]
    _sequence: int = 0
    _output: list[Item | None] = field(default_factory=list)
    _reasoning: list[str] | None = None
    _reasoning_index: int = -1
    _text: list[str] | None = None
    _refusal: list[str] | None = None
    _message_index: int = -1
    _calls: dict[int, _Call] = field(default_factory=dict)
    _finish_reason: FinishReason | None = None
    usage: Usage | None = None
    _ids: tuple[str, str, str] = ("", "", "")
    namespaces: dict[str, str] = field(default_factory=dict)  # ``translation.tool_namespaces``

    def __post_init__(self) -> None:
        self._ids = item_ids(str(self.shell["id"]))

    @property
    def output(self) -> list[Item]:
        """The output items finished so far, in order."""
        return [item for item in self._output if item is not None]

    def start(self) -> list[Event]:
        snapshot = {**self.shell, "status": "in_progress"}
        return [
            self._event("response.created", response=snapshot),
            self._event("response.in_progress", response=snapshot),
        ]

    def feed(self, chunk: ChatChunk) -> list[Event]:
        events: list[Event] = []
        if chunk.usage is not None:
            self.usage = chunk.usage
        for choice in chunk.choices:
            if choice.index != 0:
                continue  # a Responses answer has one choice
            delta = choice.delta
            if delta.reasoning_content:
                events += self._reasoning_delta(delta.reasoning_content)
            if delta.content:
                events += self._close_reasoning()
                events += self._text_delta(delta.content)
            if delta.refusal:
                events += self._close_reasoning()
                events += self._refusal_delta(delta.refusal)
            for call in delta.tool_calls or ():
                events += self._close_reasoning()
                events += self._close_message()
                events += self._call_delta(call)
            if choice.finish_reason is not None:
                self._finish_reason = choice.finish_reason
        return events

    def finish(self, usage: dict[str, Any] | None) -> list[Event]:
        """Close every open item and say the response is done; ``usage``: the response's."""
        events = self._close_all()
        response = finished(self.shell, self._finish_reason)
        response.update(output=self.output, usage=usage)
        kind = "response.incomplete" if response["status"] == "incomplete" else "response.completed"
        events.append(self._event(kind, response=response))
        return events

    def fail(self, code: str, message: str, *, rate_limited: bool = False) -> list[Event]:
        """The upstream broke after the stream started: an ``error`` event (``code``: the
        gateway's), then the response as it stood, ``failed`` (its ``error.code`` one of those
        the API documents)."""
        error = {"code": "rate_limit_exceeded" if rate_limited else "server_error", "message": message}
        response = {**self.shell, "status": "failed", "output": self.output, "error": error}
        return [
            self._event("error", code=code, message=message, param=None),
            self._event("response.failed", response=response),
        ]

    # --- items ---------------------------------------------------------------------------------

    def _event(self, kind: str, **fields: Any) -> Event:
        event = {"type": kind, "sequence_number": self._sequence, **fields}
        self._sequence += 1
        return event

    def _add(self, item: Item) -> tuple[int, Event]:
        index = len(self._output)
        self._output.append(None)
        return index, self._event("response.output_item.added", output_index=index, item=item)

    def _done(self, index: int, item: Item) -> Event:
        self._output[index] = item
        return self._event("response.output_item.done", output_index=index, item=item)

    def _reasoning_delta(self, text: str) -> list[Event]:
        events: list[Event] = []
        item_id = self._ids[0]
        if self._reasoning is None:
            self._reasoning = []
            self._reasoning_index, added = self._add(reasoning_item(item_id, None, "in_progress"))
            part = {"type": "reasoning_text", "text": ""}
            events += [added, self._part("response.content_part.added", self._reasoning_index, item_id, part)]
        self._reasoning.append(text)
        index = self._reasoning_index
        events.append(
            self._event(
                "response.reasoning_text.delta", item_id=item_id, output_index=index, content_index=0, delta=text
            )
        )
        return events

    def _close_reasoning(self) -> list[Event]:
        if self._reasoning is None or self._output[self._reasoning_index] is not None:
            return []
        text, index, item_id = "".join(self._reasoning), self._reasoning_index, self._ids[0]
        part = {"type": "reasoning_text", "text": text}
        return [
            self._event(
                "response.reasoning_text.done", item_id=item_id, output_index=index, content_index=0, text=text
            ),
            self._part("response.content_part.done", index, item_id, part),
            self._done(index, reasoning_item(item_id, text)),
        ]

    def _open_message(self) -> list[Event]:
        if self._message_index >= 0:
            return []
        self._message_index, added = self._add(message_item(self._ids[1], [], "in_progress"))
        return [added]

    def _text_delta(self, text: str) -> list[Event]:
        events = self._open_message()
        item_id, index = self._ids[1], self._message_index
        if self._text is None:
            self._text = []
            events.append(self._part("response.content_part.added", index, item_id, text_part("")))
        self._text.append(text)
        events.append(
            self._event(
                "response.output_text.delta",
                item_id=item_id,
                output_index=index,
                content_index=0,
                delta=text,
                logprobs=[],
            )
        )
        return events

    def _refusal_delta(self, refusal: str) -> list[Event]:
        events = self._open_message()
        item_id, index = self._ids[1], self._message_index
        content_index = 1 if self._text is not None else 0
        if self._refusal is None:
            self._refusal = []
            events.append(self._part("response.content_part.added", index, item_id, refusal_part(""), content_index))
        self._refusal.append(refusal)
        events.append(
            self._event(
                "response.refusal.delta",
                item_id=item_id,
                output_index=index,
                content_index=content_index,
                delta=refusal,
            )
        )
        return events

    def _close_message(self) -> list[Event]:
        index = self._message_index
        if index < 0 or self._output[index] is not None:
            return []
        item_id, events, parts = self._ids[1], [], []
        if self._text is not None:
            text = "".join(self._text)
            events.append(
                self._event(
                    "response.output_text.done",
                    item_id=item_id,
                    output_index=index,
                    content_index=0,
                    text=text,
                    logprobs=[],
                )
            )
            events.append(self._part("response.content_part.done", index, item_id, text_part(text)))
            parts.append(text_part(text))
        if self._refusal is not None:
            refusal, content_index = "".join(self._refusal), len(parts)
            events.append(
                self._event(
                    "response.refusal.done",
                    item_id=item_id,
                    output_index=index,
                    content_index=content_index,
                    refusal=refusal,
                )
            )
            events.append(
                self._part("response.content_part.done", index, item_id, refusal_part(refusal), content_index)
            )
            parts.append(refusal_part(refusal))
        events.append(self._done(index, message_item(item_id, parts, "completed")))
        return events

    def _part(self, kind: str, index: int, item_id: str, part: Item, content_index: int = 0) -> Event:
        return self._event(kind, item_id=item_id, output_index=index, content_index=content_index, part=part)

    def _call_delta(self, delta: ToolCallDelta) -> list[Event]:
        call = self._calls.setdefault(delta.index, _Call())
        if delta.id:
            call.call_id = delta.id
        function = delta.function
        if function is not None:
            if function.name:
                call.name += function.name if call.output_index < 0 else ""
            if function.arguments:
                call.arguments.append(function.arguments)
        events: list[Event] = []
        if call.output_index < 0 and call.name:
            events.append(self._announce(delta.index, call))
        if call.output_index >= 0 and call.sent < len(call.arguments):
            events.append(self._arguments(call))
        return events

    def _announce(self, position: int, call: _Call) -> Event:
        call.item_id = f"{self._ids[2]}{position}"
        call.call_id = call.call_id or f"call_{call.item_id}"
        call.output_index, added = self._add(
            function_call_item(call.item_id, call.call_id, call.name, "", "in_progress", self.namespaces.get(call.name))
        )
        return added

    def _arguments(self, call: _Call) -> Event:
        pending = "".join(call.arguments[call.sent :])
        call.sent = len(call.arguments)
        return self._event(
            "response.function_call_arguments.delta",
            item_id=call.item_id,
            output_index=call.output_index,
            delta=pending,
        )

    def _close_call(self, position: int, call: _Call) -> list[Event]:
        events: list[Event] = []
        if call.output_index < 0:
            call.name = call.name or "unknown"
            events.append(self._announce(position, call))
        if call.sent < len(call.arguments):
            events.append(self._arguments(call))
        arguments = call.text
        events.append(
            self._event(
                "response.function_call_arguments.done",
                item_id=call.item_id,
                output_index=call.output_index,
                name=call.name,
                arguments=arguments,
            )
        )
        events.append(
            self._done(
                call.output_index,
                function_call_item(
                    call.item_id, call.call_id, call.name, arguments, namespace=self.namespaces.get(call.name)
                ),
            )
        )
        return events

    def _close_all(self) -> list[Event]:
        events = self._close_reasoning() + self._close_message()
        for position, call in sorted(self._calls.items()):
            if call.output_index < 0 or self._output[call.output_index] is None:
                events += self._close_call(position, call)
        return events
