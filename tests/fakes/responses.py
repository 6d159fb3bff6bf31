"""A native Responses endpoint that answers from a script, and a directory that finds it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from switchboard.domain.errors import SwitchboardError
from switchboard.domain.ports.providers import ChatProvider, EmbeddingProvider, ProviderDirectory
from switchboard.domain.ports.responses import ResponsesCall, ResponsesDirectory, ResponsesProvider
from switchboard.domain.responses.wire import ResponseObject, usage_dict
from tests.fakes.providers import FakeProviderDirectory


@dataclass
class FakeResponsesProvider(ResponsesProvider):
    """Answers ``native: <text>`` (two output-text deltas when streamed), or raises ``error``
    (on enter, for a stream); records every body; counts open streams."""

    text: str = "hi"
    error: SwitchboardError | None = None
    bodies: list[dict[str, Any]] = field(default_factory=list)
    open_streams: int = 0

    def _response(self, call: ResponsesCall) -> dict[str, Any]:
        part = {"type": "output_text", "text": f"native: {self.text}", "annotations": []}
        message = {"type": "message", "id": "msg_n", "role": "assistant", "status": "completed", "content": [part]}
        return {
            "id": "resp_native",
            "object": "response",
            "created_at": 1.0,
            "status": "completed",
            "model": call.deployment.model,
            "output": [message],
            "usage": usage_dict(4, 2),
        }

    async def create_response(self, call: ResponsesCall) -> ResponseObject:
        self.bodies.append(call.body)
        if self.error is not None:
            raise self.error
        return ResponseObject.model_validate(self._response(call))

    @asynccontextmanager
    async def stream_response(self, call: ResponsesCall) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        self.bodies.append(call.body)
        if self.error is not None:
            raise self.error
        self.open_streams += 1
        try:
            yield self._events(call)
        finally:
            self.open_streams -= 1

    async def _events(self, call: ResponsesCall) -> AsyncIterator[dict[str, Any]]:
        response = self._response(call)
        yield {"type": "response.created", "sequence_number": 0, "response": {**response, "output": []}}
        for n, piece in enumerate(("native: ", self.text), start=1):
            yield {"type": "response.output_text.delta", "sequence_number": n, "delta": piece}
        yield {"type": "response.completed", "sequence_number": 3, "response": response}


class FakeResponsesDirectory(ProviderDirectory, ResponsesDirectory):
    """Chat providers as ``FakeProviderDirectory`` finds them; ``native`` names the providers
    with a native Responses endpoint."""

    def __init__(self, chat: FakeProviderDirectory, native: Mapping[str, FakeResponsesProvider]) -> None:
        self._chat = chat
        self._native = dict(native)

    def chat_params(self, provider: str, model: str) -> frozenset[str]:
        return self._chat.chat_params(provider, model)

    def chat(self, provider: str) -> ChatProvider:
        return self._chat.chat(provider)

    def embeddings(self, provider: str) -> EmbeddingProvider:
        return self._chat.embeddings(provider)

    def responses(self, provider: str) -> ResponsesProvider | None:
        return self._native.get(provider)
