"""``streamGenerateContent?alt=sse`` bytes -> chat chunks: a small fold over the stream (pure).

Each SSE event is a whole ``GenerateContentResponse`` holding the next slice of every candidate
(or Google's ``{"error": ...}`` when the stream fails part way);
``usageMetadata`` is cumulative and the last one counts. Gemini sends no end marker: the stream
is complete once a candidate carried a ``finishReason``, and a body that ends before that was cut.
Function calls arrive whole, so each becomes one tool-call delta with its full arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from switchboard.adapters.outbound.providers.failures import protocol_error, stream_cut_short
from switchboard.adapters.outbound.providers.gemini.errors import error_from_fields
from switchboard.adapters.outbound.providers.gemini.response import (
    finish_reason,
    logprobs_from,
    raise_if_blocked,
    tool_call,
    usage_from,
)
from switchboard.adapters.outbound.providers.sse import SseDecoder
from switchboard.domain.chat import ChatChunk, ChunkChoice, Delta, FunctionCallDelta, ToolCallDelta
from switchboard.domain.errors import ContentPolicyViolation
from switchboard.domain.usage import Usage


@dataclass
class _Candidate:
    started: bool = False
    said_anything: bool = False
    tool_calls: int = 0
    finished: bool = False


@dataclass
class GeminiStreamDecoder:
    """Feed body bytes as they arrive; call ``finish`` when the body ends.

    ``secrets`` are masked in the message of an error event.
    """

    model: str
    fallback_id: str
    created: int
    provider: str
    deployment: str | None = None
    secrets: tuple[str, ...] = ()
    _events: SseDecoder = field(default_factory=SseDecoder)
    _id: str = ""
    _candidates: dict[int, _Candidate] = field(default_factory=dict)
    _call_number: int = 0
    _usage: Usage | None = None

    @property
    def chunk_id(self) -> str:
        return f"chatcmpl-{self._id or self.fallback_id}"

    def feed(self, data: bytes) -> list[ChatChunk]:
        chunks: list[ChatChunk] = []
        for event in self._events.feed(data):
            chunks.extend(self._event(event.data))
        return chunks

    def _event(self, data: str) -> list[ChatChunk]:
        try:
            payload = orjson.loads(data)  # orjson reads str as is: no re-encoding per event
        except orjson.JSONDecodeError:
            payload = None
        if not isinstance(payload, dict):
            raise protocol_error(self.provider, "a stream event that is not a JSON object", self.deployment)
        error = payload.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            raise error_from_fields(
                code if isinstance(code, int) else 500,
                {},
                error,
                provider=self.provider,
                deployment=self.deployment,
                secrets=self.secrets,
            )
        return self._response(payload)

    def _response(self, payload: Mapping[str, Any]) -> list[ChatChunk]:
        if not self._id:
            self._id = str(payload.get("responseId") or "")
        if version := payload.get("modelVersion"):
            self.model = str(version)
        raise_if_blocked(payload, self.provider, self.deployment)
        if usage := usage_from(payload.get("usageMetadata")):
            self._usage = usage
        chunks: list[ChatChunk] = []
        for position, candidate in enumerate(payload.get("candidates") or ()):
            chunks.extend(self._candidate(int(candidate.get("index", position)), candidate))
        return chunks

    def _candidate(self, index: int, candidate: Mapping[str, Any]) -> list[ChatChunk]:
        state = self._candidates.setdefault(index, _Candidate())
        texts: list[str] = []
        thoughts: list[str] = []
        calls: list[ToolCallDelta] = []
        for part in (candidate.get("content") or {}).get("parts") or ():
            if "functionCall" in part:
                call = tool_call(part, f"call_{self._id or self.fallback_id}_{self._call_number}")
                self._call_number += 1
                calls.append(
                    ToolCallDelta.model_validate(
                        {
                            "index": state.tool_calls,
                            "id": call.id,
                            "type": "function",
                            "function": FunctionCallDelta(name=call.function.name, arguments=call.function.arguments),
                            **(call.model_extra or {}),
                        }
                    )
                )
                state.tool_calls += 1
            elif "text" in part:
                (thoughts if part.get("thought") else texts).append(part["text"])
        chunks: list[ChatChunk] = []
        logprobs = logprobs_from(candidate.get("logprobsResult"))
        if texts or thoughts or calls or not state.started:
            delta = Delta(
                role=None if state.started else "assistant",
                content="".join(texts) if texts else ("" if not state.started else None),
                reasoning_content="".join(thoughts) if thoughts else None,
                tool_calls=calls or None,
            )
            state.started = True
            state.said_anything = state.said_anything or bool(texts or thoughts or calls)
            chunks.append(self._chunk(ChunkChoice(index=index, delta=delta, logprobs=logprobs)))
        reason = finish_reason(candidate.get("finishReason"), state.tool_calls > 0)
        if reason is not None and not state.finished:
            if reason == "content_filter" and not state.said_anything:
                raise ContentPolicyViolation(
                    f"{self.provider}: the answer was withheld by the provider's content filter "
                    f"({candidate.get('finishReason')})",
                    provider=self.provider,
                    deployment=self.deployment,
                )
            state.finished = True
            chunks.append(self._chunk(ChunkChoice(index=index, delta=Delta(), finish_reason=reason)))
        return chunks

    def _chunk(self, choice: ChunkChoice) -> ChatChunk:
        return ChatChunk(id=self.chunk_id, created=self.created, model=self.model, choices=[choice])

    def finish(self) -> list[ChatChunk]:
        """The last chunks and the usage chunk. Raises ``ProviderUnavailable`` if no candidate
        finished (the body was cut short)."""
        chunks = [chunk for event in self._events.flush() for chunk in self._event(event.data)]
        if not any(state.finished for state in self._candidates.values()):
            raise stream_cut_short(self.provider, self.deployment)
        if self._usage is not None:
            chunks.append(ChatChunk(id=self.chunk_id, created=self.created, model=self.model, usage=self._usage))
        return chunks
