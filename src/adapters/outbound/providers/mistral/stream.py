"""Mistral SSE chunks -> canonical chunks (pure): OpenAI-like, normalised like the JSON answer.

Mistral puts ``usage`` on the last chunk beside the finish reason (there is no
``stream_options``); it is split off into a usage-only chunk, as OpenAI sends it. Tool calls
usually arrive whole in one delta, each with Mistral's id; they get sequential indexes here.
An ``{"object": "error"}`` event is a failure after the stream started.
"""

from __future__ import annotations

from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error, stream_cut_short
from switchboard.adapters.outbound.providers.mistral.errors import error_from_payload
from switchboard.adapters.outbound.providers.mistral.response import (
    PROVIDER,
    arguments,
    finish_reason,
    logprobs,
    split_content,
    usage,
)
from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta, FunctionCallDelta, ToolCallDelta
from switchboard.domain.errors import SwitchboardError


class MistralChunkDecoder:
    """Feed the ``data`` of each SSE event; ``finish`` when the body ends without ``[DONE]``."""

    __slots__ = ("_deployment", "_finished", "_tools")

    def __init__(self, deployment: str | None = None) -> None:
        self._deployment = deployment
        self._finished = False
        self._tools: dict[tuple[int, str], int] = {}  # (choice, Mistral id or index) -> our index

    def feed(self, data: str) -> list[ChatChunk]:
        try:
            wire = orjson.loads(data)
            if wire.get("object") == "error":
                status = wire.get("raw_status_code")
                raise error_from_payload(
                    status if isinstance(status, int) else 500, {}, wire, deployment=self._deployment
                )
            return self._chunks(wire)
        except SwitchboardError:
            raise
        except orjson.JSONDecodeError as exc:
            raise protocol_error(PROVIDER, "a stream chunk we could not read", self._deployment) from exc
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise protocol_error(PROVIDER, "a stream chunk of an unexpected shape", self._deployment) from exc

    def _chunks(self, wire: dict[str, Any]) -> list[ChatChunk]:
        ident, created, model = str(wire["id"]), int(wire.get("created") or 0), str(wire["model"])
        choices = [self._choice(choice) for choice in wire.get("choices") or ()]
        chunks = [ChatChunk(id=ident, created=created, model=model, choices=choices)] if choices else []
        reported = usage(wire.get("usage"))
        if reported is not None:
            chunks.append(ChatChunk(id=ident, created=created, model=model, usage=reported))
        return chunks

    def _choice(self, wire: dict[str, Any]) -> ChunkChoice:
        index = int(wire.get("index") or 0)
        delta = wire.get("delta") or {}
        text, reasoning = split_content(delta.get("content"))
        calls = []
        for position, call in enumerate(delta.get("tool_calls") or ()):
            call_id = call.get("id")
            known = call_id if call_id and call_id != "null" else f"#{call.get('index', position)}"
            ours = self._tools.setdefault((index, known), sum(1 for c, _ in self._tools if c == index))
            function = call.get("function") or {}
            calls.append(
                ToolCallDelta(
                    index=ours,
                    id=call_id if call_id and call_id != "null" else None,
                    type="function" if function.get("name") else None,
                    function=FunctionCallDelta(
                        name=function.get("name"), arguments=arguments(function.get("arguments", ""))
                    ),
                )
            )
        finish = finish_reason(wire.get("finish_reason"), self._deployment)
        self._finished = self._finished or finish is not None
        return ChunkChoice(
            index=index,
            delta=Delta(role=delta.get("role"), content=text, reasoning_content=reasoning, tool_calls=calls or None),
            finish_reason=finish,
            logprobs=logprobs(wire.get("logprobs")),
        )

    def finish(self) -> list[ChatChunk]:
        if not self._finished:
            raise stream_cut_short(PROVIDER, self._deployment)
        return []
