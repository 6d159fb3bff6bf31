"""What the native Messages relay reads of the bytes it passes on (pure): the headers it
forwards, and each SSE event, parsed for ``MessagesMeter`` (usage, text, the end)."""

from __future__ import annotations

from collections.abc import Mapping

import orjson

from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.anthropic_messages.native import MessagesMeter

# Events the meter reads; the rest (ping, content_block_start/stop, other deltas) pass unparsed.
_READ = frozenset({"message_start", "message_delta", "message_stop", "content_block_delta", "error"})


def forwarded_headers(base: Mapping[str, str], caller: Mapping[str, str]) -> dict[str, str]:
    """The deployment's headers with the caller's ``anthropic-version`` (it wins: the body is
    written for it) and ``anthropic-beta`` (joined to the deployment's, each beta once)."""
    headers = dict(base)
    version = caller.get("anthropic-version")
    if version:
        headers["anthropic-version"] = version
    betas = [b.strip() for b in caller.get("anthropic-beta", "").split(",") if b.strip()]
    if betas:
        mine = [b.strip() for b in headers.get("anthropic-beta", "").split(",") if b.strip()]
        headers["anthropic-beta"] = ",".join(dict.fromkeys([*mine, *betas]))
    return headers


def read_message(body: bytes, meter: MessagesMeter) -> None:
    """A JSON answer's usage and text, into ``meter`` (a body that is not JSON: nothing read)."""
    try:
        meter.read_message(orjson.loads(body))
    except orjson.JSONDecodeError:
        return


class MeteredEvents:
    """Feed the stream's bytes as they pass; each complete event the meter reads is parsed."""

    __slots__ = ("_decoder", "_meter")

    def __init__(self, meter: MessagesMeter) -> None:
        self._decoder = SseDecoder()
        self._meter = meter

    def feed(self, data: bytes) -> None:
        for event in self._decoder.feed(data):
            self._read(event.event, event.data)

    def flush(self) -> None:
        for event in self._decoder.flush():
            self._read(event.event, event.data)

    def _read(self, name: str | None, data: str) -> None:
        if name is not None and name not in _READ:
            return
        try:
            self._meter.read_event(orjson.loads(data))
        except orjson.JSONDecodeError:
            return
